package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmetad/grid"
)

// linkHost makes rrds/<system>/<host> -> ../LPARS/<host> as gmetad does,
// dated made.
func linkHost(t *testing.T, rrds, system, host string, made time.Time) {
	t.Helper()
	for _, d := range []string{filepath.Join(rrds, "LPARS", host), filepath.Join(rrds, system)} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(rrds, system, host)
	if err := os.Symlink("../LPARS/"+host, path); err != nil {
		t.Fatal(err)
	}
	if err := setLinkTime(path, made); err != nil {
		t.Fatal(err)
	}
}

func appendConf(t *testing.T, s *unitSite, lines ...string) {
	t.Helper()
	f, err := os.OpenFile(s.conf, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, l := range lines {
		fmt.Fprintln(f, l)
	}
}

func movesText(ms []grid.Move) []string {
	var out []string
	for _, m := range ms {
		out = append(out, fmt.Sprintf("%s %s->%s %s", m.Host, m.From, m.To, m.Time.UTC().Format(time.RFC3339)))
	}
	return out
}

// TestRebuildMovesAtStart: with no state file, gmetad rebuilds the move
// history from the links' times, keeps the newest move_history of it, and
// the state file carries it over a restart, which then rebuilds nothing
// (the file's history wins over the tree's), until the file is damaged.
func TestRebuildMovesAtStart(t *testing.T) {
	s := newUnitSite(t)
	appendConf(t, s, "move_history 2")
	base := time.Now().Add(-3 * time.Hour).Truncate(time.Second)
	linkHost(t, s.rrds, "P550", "lpar-a", base)
	linkHost(t, s.rrds, "P770", "lpar-a", base.Add(time.Hour))
	linkHost(t, s.rrds, "P550", "lpar-b", base.Add(10*time.Minute))
	linkHost(t, s.rrds, "P770", "lpar-b", base.Add(20*time.Minute))
	linkHost(t, s.rrds, "P880", "lpar-b", base.Add(90*time.Minute))
	linkHost(t, s.rrds, "P880", "lpar-c", base) // never moved
	stamp := func(d time.Duration) string { return base.Add(d).UTC().Format(time.RFC3339) }
	want := []string{ // lpar-b P550->P770 at 20 min is the oldest of three: over move_history
		"lpar-a P550->P770 " + stamp(time.Hour),
		"lpar-b P770->P880 " + stamp(90*time.Minute),
	}

	r := startUnit(t, s)
	if got := movesText(r.app.grid.Moves()); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("moves after start = %q, want %q", got, want)
	}
	if !strings.Contains(r.logs.String(), "move history rebuilt") {
		t.Errorf("no \"move history rebuilt\" line in the log")
	}
	r.stop(t)

	// A link made since is not read: the state file's history is used.
	linkHost(t, s.rrds, "P770", "lpar-c", base.Add(2*time.Hour))
	r2 := startUnit(t, s)
	if got := movesText(r2.app.grid.Moves()); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("moves after the restart = %q, want %q", got, want)
	}
	if strings.Contains(r2.logs.String(), "move history rebuilt") {
		t.Errorf("the restart rebuilt the history although the state file has it:\n%s", r2.logs.String())
	}
	r2.stop(t)

	// A damaged state file: rebuilt again, with the new link.
	writeText(t, s.state, "not a state file")
	r3 := startUnit(t, s)
	want = []string{"lpar-b P770->P880 " + stamp(90*time.Minute), "lpar-c P880->P770 " + stamp(2*time.Hour)}
	if got := movesText(r3.app.grid.Moves()); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("moves after a start with a damaged state file = %q, want %q", got, want)
	}
}
