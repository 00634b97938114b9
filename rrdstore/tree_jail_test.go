package rrdstore

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Names from the network must be refused before anything is created.
func TestTreeHostileNames(t *testing.T) {
	long := strings.Repeat("a", 4096)
	tests := []struct {
		cluster, host string
		kind, reason  string
	}{
		{"c", "../x", NameKindHost, NameReasonSlash},
		{"../x", "h", NameKindCluster, NameReasonSlash},
		{"c", "a/b", NameKindHost, NameReasonSlash},
		{"a/b", "h", NameKindCluster, NameReasonSlash},
		{"/etc", "h", NameKindCluster, NameReasonSlash},
		{"c", ".", NameKindHost, NameReasonDot},
		{"c", "..", NameKindHost, NameReasonDot},
		{"..", "h", NameKindCluster, NameReasonDot},
		{"c", "", NameKindHost, NameReasonEmpty},
		{"", "h", NameKindCluster, NameReasonEmpty},
		{"c", "h\x00/../../x", NameKindHost, NameReasonControl},
		{"c\x00", "h", NameKindCluster, NameReasonControl},
		{"c", long, NameKindHost, NameReasonTooLong},
		{long, "h", NameKindCluster, NameReasonTooLong},
		{"c", "h\x1b[31m", NameKindHost, NameReasonControl},
		{"c", "h\x7f", NameKindHost, NameReasonControl},
		{"c", "h\nFAKE LOG LINE", NameKindHost, NameReasonControl},
		{"c\r", "h", NameKindCluster, NameReasonControl},
		{"c", "__SummaryInfo__", NameKindHost, NameReasonReserved},
		{"__SummaryInfo__", "h", NameKindCluster, NameReasonReserved},
		{"LPARS", "h", NameKindCluster, NameReasonReserved},
	}
	for _, tc := range tests {
		t.Run(treeQuoteName(tc.cluster+"/"+tc.host), func(t *testing.T) {
			tr := treeTestOpen(t, DefaultTreeOptions())
			_, err := tr.HostDir(tc.cluster, tc.host)
			treeCheckNameError(t, err, tc.kind, tc.reason)
			if tc.kind == NameKindCluster {
				_, err = tr.ClusterSummaryDir(tc.cluster)
				treeCheckNameError(t, err, tc.kind, tc.reason)
			}
			if got := treeList(t, tr.Root()); len(got) != 0 {
				t.Errorf("a refused name created %q", got)
			}
		})
	}
}

func treeCheckNameError(t *testing.T, err error, kind, reason string) {
	t.Helper()
	var ne *NameError
	if !errors.As(err, &ne) || !errors.Is(err, ErrBadName) {
		t.Fatalf("err = %v, want a *NameError", err)
	}
	if ne.Kind != kind || ne.Reason != reason {
		t.Errorf("NameError{Kind: %q, Reason: %q}, want %q, %q", ne.Kind, ne.Reason, kind, reason)
	}
}

func TestTreeMetricNames(t *testing.T) {
	tr := treeTestOpen(t, DefaultTreeOptions())
	dir, err := tr.HostDir("c", "h")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []string{"../../../etc/passwd", "a/b", "..", "", "x\x00", strings.Repeat("m", 252)} {
		if p, err := tr.MetricPath(dir, m); !errors.Is(err, ErrBadName) {
			t.Errorf("MetricPath(%q) = %q, %v; want ErrBadName", m, p, err)
		}
	}
	if p, err := tr.MetricPath(dir, strings.Repeat("m", 251)); err != nil || len(filepath.Base(p)) != 255 {
		t.Errorf("251-byte metric: %q, %v", p, err)
	}
}

// A symlink planted where the tree expects a real directory is never
// followed for writing, whether it leads outside the root or not.
func TestTreeRefusesPlantedSymlinks(t *testing.T) {
	tests := []struct {
		name  string
		plant func(t *testing.T, root, outside string)
		call  func(tr *Tree) error
	}{
		{"cluster dir", treePlantLink("c", ""), treeHostDirCall},
		{"cluster dir inside root", treePlantLinkTo("c", "LPARS"), treeHostDirCall},
		{"cluster dir for summary", treePlantLink("c", ""), treeClusterSummaryCall},
		{"LPARS dir", treePlantLink("LPARS", ""), treeHostDirCall},
		{"host dir", treePlantLink("LPARS/h", ""), treeHostDirCall},
		{"cluster summary dir", treePlantLink("c/__SummaryInfo__", ""), treeClusterSummaryCall},
		{"grid summary dir", treePlantLink("__SummaryInfo__", ""), func(tr *Tree) error {
			_, err := tr.GridSummaryDir()
			return err
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tr := treeTestOpen(t, DefaultTreeOptions())
			outside := t.TempDir()
			treeWrite(t, filepath.Join(outside, "LPARS", "keep"), "outside")
			tc.plant(t, tr.Root(), outside)
			before := treeList(t, outside)
			err := tc.call(tr)
			if !errors.Is(err, ErrTreeConflict) {
				t.Errorf("err = %v, want ErrTreeConflict", err)
			}
			if after := treeList(t, outside); !slices.Equal(before, after) {
				t.Errorf("outside changed:\n%q\nwant:\n%q", after, before)
			}
		})
	}
}

// treePlantLink makes <root>/<rel> a symlink to the outside directory (plus
// sub), creating its real parents.
func treePlantLink(rel, sub string) func(t *testing.T, root, outside string) {
	return func(t *testing.T, root, outside string) {
		t.Helper()
		treePlantLinkTo(rel, filepath.Join(outside, sub))(t, root, outside)
	}
}

func treePlantLinkTo(rel, target string) func(t *testing.T, root, outside string) {
	return func(t *testing.T, root, _ string) {
		t.Helper()
		p := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, p); err != nil {
			t.Fatal(err)
		}
	}
}

func treeHostDirCall(tr *Tree) error {
	_, err := tr.HostDir("c", "h")
	return err
}

func treeClusterSummaryCall(tr *Tree) error {
	_, err := tr.ClusterSummaryDir("c")
	return err
}

// Whatever sits at <cluster>/<host> and is not our link is left alone.
func TestTreeLinkConflicts(t *testing.T) {
	tests := []struct {
		name  string
		plant func(t *testing.T, root string)
	}{
		{"regular file", func(t *testing.T, root string) {
			treeWrite(t, filepath.Join(root, "c", "h"), "not a link")
		}},
		{"link to another host", func(t *testing.T, root string) {
			treeWrite(t, filepath.Join(root, "LPARS", "other", "x.rrd"), "x")
			treePlantLinkTo("c/h", "../LPARS/other")(t, root, "")
		}},
		{"absolute link outside", func(t *testing.T, root string) {
			treePlantLinkTo("c/h", t.TempDir())(t, root, "")
		}},
		{"absolute link into the root", func(t *testing.T, root string) {
			treePlantLinkTo("c/h", filepath.Join(root, "LPARS", "other"))(t, root, "")
		}},
		{"relative link escaping", func(t *testing.T, root string) {
			treePlantLinkTo("c/h", "../../../../etc")(t, root, "")
		}},
		{"link through another dir", func(t *testing.T, root string) {
			treePlantLinkTo("c/h", "../LPARS/x/../h")(t, root, "")
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tr := treeTestOpen(t, DefaultTreeOptions())
			tc.plant(t, tr.Root())
			// LPARS/h is made before the link's place is looked at.
			made := func(p string) bool { return p == "LPARS" || p == "LPARS/h" }
			before := slices.DeleteFunc(treeList(t, tr.Root()), made)
			if _, err := tr.HostDir("c", "h"); !errors.Is(err, ErrTreeConflict) {
				t.Errorf("err = %v, want ErrTreeConflict", err)
			}
			if after := slices.DeleteFunc(treeList(t, tr.Root()), made); !slices.Equal(before, after) {
				t.Errorf("tree changed:\n%q\nwant:\n%q", after, before)
			}
		})
	}
}

// Links naming the host's directory in another spelling, like the seed
// setup's hand-made absolute links, are rewritten to the relative form.
func TestTreeRewritesEquivalentLinks(t *testing.T) {
	for _, target := range []string{"../LPARS/h/", "./../LPARS//h", "<root>/LPARS/h"} {
		t.Run(target, func(t *testing.T) {
			tr := treeTestOpen(t, DefaultTreeOptions())
			treePlantLinkTo("c/h", strings.Replace(target, "<root>", tr.Root(), 1))(t, tr.Root(), "")
			if _, err := tr.HostDir("c", "h"); err != nil {
				t.Fatal(err)
			}
			treeCheckLink(t, tr, "c", "h")
			want := []string{"LPARS", "LPARS/h", "c", "c/h -> ../LPARS/h"}
			if got := treeList(t, tr.Root()); !slices.Equal(got, want) {
				t.Errorf("tree = %q, want %q", got, want)
			}
		})
	}
}
