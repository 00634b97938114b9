package movelog

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/rrdstore"
)

var t0 = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

// at is t0 plus sec seconds.
func at(sec int) time.Time { return t0.Add(time.Duration(sec) * time.Second) }

// treeSpec describes a generated tree in the LPARS layout. links maps a
// host to its links as "SYSTEM@seconds" words (fractions allowed) (the link's mtime, after
// t0); hostLast and sysLast are the last updates of the host's RRD and of
// the system's summary RRD in seconds after t0, no entry: no RRD file.
type treeSpec struct {
	links             map[string]string
	hostLast, sysLast map[string]int
}

// build writes spec under a new root and returns the root.
func build(t *testing.T, spec treeSpec) string {
	t.Helper()
	root := t.TempDir()
	mkdir(t, filepath.Join(root, "LPARS"))
	for host, words := range spec.links {
		mkdir(t, filepath.Join(root, "LPARS", host))
		for _, w := range strings.Fields(words) {
			system, sec, ok := strings.Cut(w, "@")
			f, err := strconv.ParseFloat(sec, 64)
			if !ok || err != nil {
				t.Fatalf("bad link %q", w)
			}
			mkdir(t, filepath.Join(root, system))
			link(t, "../LPARS/"+host, filepath.Join(root, system, host), t0.Add(time.Duration(f*float64(time.Second))))
		}
	}
	for host, sec := range spec.hostLast {
		writeRRD(t, filepath.Join(root, "LPARS", host, "load_one.rrd"), false, at(sec))
	}
	for system, sec := range spec.sysLast {
		dir := filepath.Join(root, system, summaryDir)
		mkdir(t, dir)
		writeRRD(t, filepath.Join(dir, "load_one.rrd"), true, at(sec))
	}
	return root
}

func mkdir(t testing.TB, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
}

// link makes the symlink path -> target with its own mtime set to made.
func link(t testing.TB, target, path string, made time.Time) {
	t.Helper()
	if err := os.Symlink(target, path); err != nil {
		t.Fatal(err)
	}
	if err := setLinkTime(path, made); err != nil {
		t.Fatal(err)
	}
}

// writeRRD creates a gmetad-shaped RRD whose last update is last.
func writeRRD(t testing.TB, path string, summary bool, last time.Time) {
	t.Helper()
	_, rras, err := rrdstore.ParseDefs([]string{"RRA:AVERAGE:0.5:1:20"}, 15)
	if err != nil {
		t.Fatal(err)
	}
	spec := rrdstore.GmetadSpec(15, last.Unix()-3600, "both", summary, rras)
	if err := rrdstore.Create(path, spec, rrdstore.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	arg := strconv.FormatInt(last.Unix(), 10) + ":1"
	if summary {
		arg += ":1"
	}
	if err := rrdstore.Update(path, arg); err != nil {
		t.Fatal(err)
	}
}

// movesText and skipsText print a History for comparison.
func movesText(ms []Move) []string {
	var out []string
	for _, m := range ms {
		out = append(out, fmt.Sprintf("%s %s->%s @%d", m.Host, m.From, m.To, int(m.Time.Sub(t0).Seconds())))
	}
	return out
}

func skipsText(ss []Skip) []string {
	var out []string
	for _, s := range ss {
		out = append(out, fmt.Sprintf("%s %s@%d: %s", s.Host, s.System, int(s.Made.Sub(t0).Seconds()), s.Reason))
	}
	return out
}

func TestRebuild(t *testing.T) {
	tests := []struct {
		name    string
		spec    treeSpec
		noRRDs  bool // Scan without reading RRD headers
		moves   []string
		skipped []string
		hosts   int
	}{{
		name:  "one system: no move",
		spec:  treeSpec{links: map[string]string{"a": "P1@0"}, hostLast: map[string]int{"a": 900}},
		moves: nil,
	}, {
		name: "one move, the newest link is where it went",
		spec: treeSpec{links: map[string]string{"a": "P2@600 P1@0"},
			hostLast: map[string]int{"a": 900}, sysLast: map[string]int{"P1": 900, "P2": 900}},
		moves: []string{"a P1->P2 @600"}, hosts: 1,
	}, {
		name: "two moves of one host and one of another, oldest first",
		spec: treeSpec{links: map[string]string{"a": "P1@0 P2@600 P3@1200", "b": "P3@100 P1@900"},
			hostLast: map[string]int{"a": 1500, "b": 1500}},
		moves: []string{"a P1->P2 @600", "b P3->P1 @900", "a P2->P3 @1200"}, hosts: 2,
	}, {
		// The documented limit: going back makes no new link.
		name:  "a return to an earlier system is not seen",
		spec:  treeSpec{links: map[string]string{"a": "P1@0 P2@600"}, hostLast: map[string]int{"a": 3000}},
		moves: []string{"a P1->P2 @600"}, hosts: 1,
	}, {
		name: "a link with no host data after it is not a move",
		spec: treeSpec{links: map[string]string{"a": "P1@0 P2@600 P3@2000"},
			hostLast: map[string]int{"a": 900}},
		moves:   []string{"a P1->P2 @600"},
		skipped: []string{"a P3@2000: " + ReasonNoHostData}, hosts: 1,
	}, {
		name: "the RRDs' whole seconds are within the grace",
		spec: treeSpec{links: map[string]string{"a": "P1@0 P2@600.5"},
			hostLast: map[string]int{"a": 600}, sysLast: map[string]int{"P2": 600}},
		moves: []string{"a P1->P2 @600"}, hosts: 1,
	}, {
		name: "a link into a system whose summary stopped before it",
		spec: treeSpec{links: map[string]string{"a": "P1@0 P2@600 P3@1200"},
			hostLast: map[string]int{"a": 1800}, sysLast: map[string]int{"P1": 1800, "P2": 300, "P3": 1800}},
		moves:   []string{"a P1->P3 @1200"},
		skipped: []string{"a P2@600: " + ReasonNoSystemData}, hosts: 1,
	}, {
		name: "without RRD headers every link counts",
		spec: treeSpec{links: map[string]string{"a": "P1@0 P2@600 P3@2000"},
			hostLast: map[string]int{"a": 900}},
		noRRDs: true,
		moves:  []string{"a P1->P2 @600", "a P2->P3 @2000"}, hosts: 1,
	}, {
		name:  "no RRD at all: nothing to check against",
		spec:  treeSpec{links: map[string]string{"a": "P1@0 P2@600"}},
		moves: []string{"a P1->P2 @600"}, hosts: 1,
	}, {
		name: "links made together, then a move from an unknown system, then a move",
		spec: treeSpec{links: map[string]string{"a": "P1@0 P2@1 P3@600 P4@1200"},
			hostLast: map[string]int{"a": 1500}},
		moves: []string{"a P3->P4 @1200"},
		skipped: []string{"a P1@0: " + ReasonTogether, "a P2@1: " + ReasonTogether,
			"a P3@600: " + ReasonUnknownFrom}, hosts: 1,
	}, {
		name: "links made together after a move",
		spec: treeSpec{links: map[string]string{"a": "P1@0 P2@600 P3@1200 P4@1201"},
			hostLast: map[string]int{"a": 1500}},
		moves:   []string{"a P1->P2 @600"},
		skipped: []string{"a P3@1200: " + ReasonTogether, "a P4@1201: " + ReasonTogether}, hosts: 1,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := build(t, tt.spec)
			tree, err := Scan(root, ScanOptions{ReadRRDs: !tt.noRRDs})
			if err != nil {
				t.Fatal(err)
			}
			if len(tree.Errors) > 0 {
				t.Errorf("Scan errors: %v", tree.Errors)
			}
			h := Rebuild(tree, Options{})
			if got := movesText(h.Moves); !reflect.DeepEqual(got, tt.moves) {
				t.Errorf("moves = %q, want %q", got, tt.moves)
			}
			if got := skipsText(h.Skipped); !reflect.DeepEqual(got, tt.skipped) {
				t.Errorf("skipped = %q, want %q", got, tt.skipped)
			}
			if h.Hosts != tt.hosts {
				t.Errorf("Hosts = %d, want %d", h.Hosts, tt.hosts)
			}
		})
	}
}

// TestScanKeepsOnlyHostLinks: Scan reports the links gmetad makes (and the
// seed setup's absolute ones) and nothing else the tree may hold.
func TestScanKeepsOnlyHostLinks(t *testing.T) {
	root := build(t, treeSpec{links: map[string]string{"a": "P1@0", "b": "P1@10"}})
	mkdir(t, filepath.Join(root, "LPARS", "c"))
	mkdir(t, filepath.Join(root, "P2", "stock-host"))                 // a stock host directory
	mkdir(t, filepath.Join(root, "P2", summaryDir))                   // a summary
	mkdir(t, filepath.Join(root, ".hidden"))                          // not a system
	link(t, "../LPARS/a", filepath.Join(root, ".hidden", "a"), at(5)) // ignored with its directory
	link(t, "../LPARS/a", filepath.Join(root, "P2", "alias"), at(5))  // another name
	link(t, "../LPARS/gone", filepath.Join(root, "P2", "gone"), at(5))
	link(t, filepath.Join(root, "LPARS", "c"), filepath.Join(root, "P2", "c"), at(20)) // absolute, by hand
	link(t, "../LPARS/b", filepath.Join(root, "P2", "a"), at(5))                       // the wrong host
	link(t, "P1", filepath.Join(root, "P3"), at(5))                                    // a linked system
	tree, err := Scan(root, ScanOptions{ReadRRDs: true})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]time.Time{"P1/a": at(0), "P1/b": at(10), "P2/c": at(20)}
	got := map[string]time.Time{}
	for _, l := range tree.Links {
		got[l.System+"/"+l.Host] = l.Made
	}
	if len(got) != len(want) {
		t.Errorf("links = %v, want %v", got, want)
	}
	for k, w := range want {
		if !got[k].Equal(w) {
			t.Errorf("link %s made %v, want %v", k, got[k], w)
		}
	}
}

// TestScanOtherLPARDir: the mapping's lpar_dir names the hosts' directory.
func TestScanOtherLPARDir(t *testing.T) {
	root := t.TempDir()
	mkdir(t, filepath.Join(root, "hosts", "a"))
	mkdir(t, filepath.Join(root, "P1"))
	mkdir(t, filepath.Join(root, "P2"))
	link(t, "../hosts/a", filepath.Join(root, "P1", "a"), at(0))
	link(t, "../hosts/a", filepath.Join(root, "P2", "a"), at(600))
	tree, err := Scan(root, ScanOptions{LPARDir: "hosts"})
	if err != nil {
		t.Fatal(err)
	}
	if got := movesText(Rebuild(tree, Options{}).Moves); !reflect.DeepEqual(got, []string{"a P1->P2 @600"}) {
		t.Errorf("moves = %q", got)
	}
}

// TestScanUnreadable: an RRD that is not one is an error of its own, and
// the host's other files still count.
func TestScanUnreadable(t *testing.T) {
	root := build(t, treeSpec{links: map[string]string{"a": "P1@0 P2@600"}, hostLast: map[string]int{"a": 900}})
	if err := os.WriteFile(filepath.Join(root, "LPARS", "a", "junk.rrd"), []byte("not an RRD"), 0o644); err != nil {
		t.Fatal(err)
	}
	tree, err := Scan(root, ScanOptions{ReadRRDs: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(tree.Errors) != 1 || !strings.Contains(tree.Errors[0].Error(), "junk.rrd") {
		t.Errorf("Errors = %v, want one naming junk.rrd", tree.Errors)
	}
	if got := tree.HostLast["a"]; !got.Equal(at(900)) {
		t.Errorf("HostLast[a] = %v, want %v", got, at(900))
	}
	if _, err := Scan(filepath.Join(root, "missing"), ScanOptions{}); err == nil {
		t.Error("Scan of a missing root: no error")
	}
}
