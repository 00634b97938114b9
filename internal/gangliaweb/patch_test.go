package gangliaweb

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ganglia-lpm/ganglia-lpm/templates"
)

// hunk is one hunk of a unified diff: the lines it expects (context and
// removed) and the lines it leaves (context and added).
type hunk struct{ old, new string }

// parsePatch reads a unified diff (patch -p1) into its hunks per file.
// Text before the first "--- " line is a comment, as for patch(1).
func parsePatch(text string) (map[string][]hunk, error) {
	files := map[string][]hunk{}
	var file string
	var h *hunk
	flush := func() {
		if h != nil {
			files[file] = append(files[file], *h)
			h = nil
		}
	}
	for _, line := range strings.SplitAfter(text, "\n") {
		switch {
		case strings.HasPrefix(line, "--- "):
			flush()
			file = ""
		case strings.HasPrefix(line, "+++ b/"):
			file = strings.TrimSpace(strings.TrimPrefix(line, "+++ b/"))
		case strings.HasPrefix(line, "@@ "):
			flush()
			if file == "" {
				return nil, fmt.Errorf("hunk %q before a file name", line)
			}
			h = &hunk{}
		case h == nil || line == "":
		case line[0] == ' ':
			h.old += line[1:]
			h.new += line[1:]
		case line[0] == '-':
			h.old += line[1:]
		case line[0] == '+':
			h.new += line[1:]
		default:
			return nil, fmt.Errorf("%s: unexpected line %q", file, line)
		}
	}
	flush()
	return files, nil
}

// TestShippedPatchIsTheHarnessFixes applies templates/ganglia-web/php8.patch
// to the installed ganglia-web, in memory, and requires exactly the files
// that the harness's fixes give: what sites apply is what the tests ran.
func TestShippedPatchIsTheHarnessFixes(t *testing.T) {
	need(t)
	patch, err := parsePatch(templates.GangliaWebPHP8Patch)
	if err != nil {
		t.Fatal(err)
	}
	var patched, fixed []string
	for file := range patch {
		patched = append(patched, file)
	}
	for _, f := range php8Fixes {
		if !slices.Contains(fixed, f.file) {
			fixed = append(fixed, f.file)
		}
	}
	slices.Sort(patched)
	slices.Sort(fixed)
	if !slices.Equal(patched, fixed) {
		t.Fatalf("the patch changes %q, the harness %q", patched, fixed)
	}
	dir := t.TempDir()
	for _, file := range fixed {
		orig, err := os.ReadFile(filepath.Join(installedApp, file))
		if err != nil {
			t.Fatal(err)
		}
		text := string(orig)
		for _, h := range patch[file] {
			if n := strings.Count(text, h.old); n != 1 {
				t.Fatalf("%s: a hunk of the patch matches %d times:\n%s", file, n, h.old)
			}
			text = strings.Replace(text, h.old, h.new, 1)
		}
		dst := filepath.Join(dir, file)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, orig, 0o644); err != nil {
			t.Fatal(err)
		}
		for _, f := range php8Fixes {
			if f.file == file {
				if err := f.apply(dir); err != nil {
					t.Fatal(err)
				}
			}
		}
		want, err := os.ReadFile(dst)
		if err != nil {
			t.Fatal(err)
		}
		if text != string(want) {
			t.Errorf("%s: the patch and the harness's fixes give different files", file)
		}
	}
}

func TestParsePatch(t *testing.T) {
	files, err := parsePatch("comment\n--- a/x.php\n+++ b/x.php\n@@ -1,3 +1,3 @@\n a\n-b\n+c\n d\n@@ -9 +9 @@\n-e\n+f\n")
	if err != nil {
		t.Fatal(err)
	}
	want := []hunk{{"a\nb\nd\n", "a\nc\nd\n"}, {"e\n", "f\n"}}
	if !slices.Equal(files["x.php"], want) || len(files) != 1 {
		t.Errorf("parsePatch = %q, want x.php: %q", files, want)
	}
	if _, err := parsePatch("--- a/x\n+++ b/x\n@@ -1 +1 @@\n?\n"); err == nil {
		t.Error("a line that is not context, - or +: no error")
	}
}
