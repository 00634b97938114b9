package treecheck

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestLexicalTarget: where a link leads on its face, relative to the
// root, for the spellings the seed's hand-made links used.
func TestLexicalTarget(t *testing.T) {
	const root, given = "/srv/rrds", "/var/lib/ganglia/rrds"
	tests := []struct{ rel, target, want string }{
		{"P550/h", "../LPARS/h", "LPARS/h"},
		{"P550/h", "../LPARS/h/", "LPARS/h"},
		{"P550/h", "./../LPARS/./h", "LPARS/h"},
		{"P550/h", "/srv/rrds/LPARS/h", "LPARS/h"},
		{"P550/h", "/var/lib/ganglia/rrds/LPARS/h", "LPARS/h"},
		{"P550/h", "../P770/h", "P770/h"},
		{"P550/h", "h2", "P550/h2"},
		{"P550/h", ".", "P550"},
		{"P550/h", "..", "."},
		{"P550/h", "../..", ""},
		{"P550/h", "../../rrds/LPARS/h", ""},
		{"P550/h", "/srv/other/LPARS/h", ""},
		{"P550/h", "/", ""},
		{"LPARS", "/srv/rrds", "."},
	}
	for _, tc := range tests {
		if got := lexicalTarget(tc.rel, tc.target, root, given); got != tc.want {
			t.Errorf("lexicalTarget(%q, %q) = %q, want %q", tc.rel, tc.target, got, tc.want)
		}
	}
}

// FuzzLexicalTarget: whatever a link says, the answer is either "" or a
// clean relative path that stays under the root when joined to it.
func FuzzLexicalTarget(f *testing.F) {
	for _, s := range []string{"../LPARS/h", "/srv/rrds/LPARS/h", "../../x", "a/../../b", "/", ".", "....//..", "/srv/rrdsx/y"} {
		f.Add("P550/h", s)
	}
	f.Fuzz(func(t *testing.T, rel, target string) {
		const root = "/srv/rrds"
		rel = inside(rel)
		if rel == "" {
			return
		}
		got := lexicalTarget(rel, target, root)
		if got == "" {
			return
		}
		if got != filepath.Clean(got) || filepath.IsAbs(got) || got == ".." || strings.HasPrefix(got, "../") {
			t.Fatalf("lexicalTarget(%q, %q) = %q: not clean and relative", rel, target, got)
		}
		if p := filepath.Join(root, got); !within(root, p) {
			t.Fatalf("lexicalTarget(%q, %q) = %q leaves the root (%s)", rel, target, got, p)
		}
	})
}
