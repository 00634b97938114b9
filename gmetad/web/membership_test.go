package web

import (
	"slices"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmetad/grid"
)

func TestMemberIntervals(t *testing.T) {
	at := func(h int) time.Time { return now.Add(time.Duration(h) * time.Hour) }
	mv := func(h int, host, from, to string) grid.Move {
		return grid.Move{Time: at(h), Host: host, From: from, To: to}
	}
	for _, c := range []struct {
		name    string
		moves   []grid.Move
		current string
		system  string
		want    []interval
	}{
		{"never moved, here", nil, "A", "A", []interval{{}}},
		{"never moved, elsewhere", nil, "B", "A", nil},
		{"never moved, not listed", nil, "", "A", nil},
		{"moved in", []grid.Move{mv(-2, "h", "B", "A")}, "A", "A", []interval{{From: at(-2)}}},
		{"moved out: before the first move", []grid.Move{mv(-2, "h", "A", "B")}, "B", "A", []interval{{To: at(-2)}}},
		{"in and out again: only between", []grid.Move{mv(-5, "h", "B", "A"), mv(-3, "h", "A", "C")}, "C", "A",
			[]interval{{From: at(-5), To: at(-3)}}},
		{"the system in the middle sees neither end", []grid.Move{mv(-5, "h", "B", "A"), mv(-3, "h", "A", "C")}, "C", "B",
			[]interval{{To: at(-5)}}},
		{"back and forth", []grid.Move{mv(-6, "h", "A", "B"), mv(-4, "h", "B", "A"), mv(-2, "h", "A", "B")}, "B", "A",
			[]interval{{To: at(-6)}, {From: at(-4), To: at(-2)}}},
		{"moves out of order are sorted", []grid.Move{mv(-3, "h", "A", "C"), mv(-5, "h", "B", "A")}, "C", "A",
			[]interval{{From: at(-5), To: at(-3)}}},
		{"other hosts' moves are ignored", []grid.Move{mv(-2, "other", "A", "B")}, "A", "A", []interval{{}}},
		{"moves win over a stale current", []grid.Move{mv(-2, "h", "A", "B")}, "A", "A", []interval{{To: at(-2)}}},
		{"two moves at one instant leave no empty interval", []grid.Move{mv(-2, "h", "B", "A"), mv(-2, "h", "A", "C")},
			"C", "A", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := memberIntervals("h", c.system, c.moves, c.current)
			if !slices.Equal(got, c.want) {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
}

func TestIntervalContains(t *testing.T) {
	iv := interval{From: now, To: now.Add(time.Hour)}
	for _, c := range []struct {
		t    time.Time
		want bool
	}{
		{now.Add(-time.Second), false}, {now, true}, {now.Add(59 * time.Minute), true}, {now.Add(time.Hour), false},
	} {
		if got := iv.contains(c.t); got != c.want {
			t.Errorf("contains(%v) = %v", c.t, got)
		}
	}
	if !(interval{}).contains(time.Unix(0, 0)) {
		t.Error("an open interval must contain everything")
	}
}

// TestSystemMembers: a host that moved in and out contributes only its
// interval; hosts outside the range are dropped.
func TestSystemMembers(t *testing.T) {
	at := func(h int) time.Time { return now.Add(time.Duration(h) * time.Hour) }
	moves := []grid.Move{
		{Time: at(-5), Host: "visitor", From: "B", To: "A"},
		{Time: at(-3), Host: "visitor", From: "A", To: "C"},
		{Time: at(-40), Host: "ancient", From: "A", To: "C"},
		{Time: at(-1), Host: "newcomer", From: "C", To: "A"},
	}
	current := map[string]string{"resident": "A", "visitor": "C", "ancient": "C", "newcomer": "A", "stranger": "B"}
	got := systemMembers("A", current, moves, at(-24), now)
	want := map[string][]interval{
		"resident": {{}},
		"visitor":  {{From: at(-5), To: at(-3)}},
		"newcomer": {{From: at(-1)}},
	}
	if len(got) != len(want) {
		t.Fatalf("members %v, want %v", got, want)
	}
	for h, ivs := range want {
		if !slices.Equal(got[h], ivs) {
			t.Errorf("%s: %v, want %v", h, got[h], ivs)
		}
	}
	// A week back, "ancient" was on A until 40 h ago.
	if ivs := systemMembers("A", current, moves, at(-168), now)["ancient"]; !slices.Equal(ivs, []interval{{To: at(-40)}}) {
		t.Errorf("ancient over a week: %v", ivs)
	}
}
