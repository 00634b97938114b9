package grid

import (
	"encoding/json"
	"reflect"
	"testing"
)

// exportedGrid builds a grid with hosts in two clusters, a move, a
// conflict and a detached cluster.
func exportedGrid(t *testing.T) *Grid {
	t.Helper()
	g := New(testOptions())
	g.SetClusters(append(threeClusters, ClusterSpec{Name: "gone", Port: 8309}))
	report(t, g, 8301, addr("10.0.0.1"), at(0), 1, 1.5)
	report(t, g, 8301, addr("10.0.0.2"), at(0), 2, 2.5)
	report(t, g, 8302, addr("10.0.0.3"), at(0), 3, 3.5)
	report(t, g, 8309, addr("127.0.0.1"), at(0), 4, 4.5)
	gmetric(t, g, 8303, "10.9.9.9:spoofy\xe9", "temp", "float", "21.5", 0)
	handle(t, g, 8302, floatValue("cpu_user", 5), addr("10.0.0.1"), at(10))
	if r := g.Handle(8301, floatValue("cpu_user", 6), addr("10.0.0.1"), at(11)); !r.Conflict {
		t.Fatalf("no conflict: %+v", r)
	}
	g.SetClusters(threeClusters)
	return g
}

// TestExportImport: Export → JSON → Import into a fresh grid gives the
// same XML, moves and conflicts, and the conflict rule carries on.
func TestExportImport(t *testing.T) {
	g := exportedGrid(t)
	b, err := json.Marshal(g.Export())
	if err != nil {
		t.Fatal(err)
	}
	var d GridDump
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	r := New(testOptions())
	r.SetClusters(threeClusters)
	if n := r.Import(d, at(12)); n != 5 {
		t.Errorf("imported %d hosts, want 5", n)
	}
	now := at(20)
	if want, got := full(t, g.Snapshot(now), now), full(t, r.Snapshot(now), now); want != got {
		t.Errorf("XML after import differs\nwant %s\ngot  %s", want, got)
	}
	if !reflect.DeepEqual(jsonOf(t, g.Moves()), jsonOf(t, r.Moves())) || !reflect.DeepEqual(jsonOf(t, g.Conflicts()), jsonOf(t, r.Conflicts())) {
		t.Errorf("history: %+v %+v / %+v %+v", g.Moves(), g.Conflicts(), r.Moves(), r.Conflicts())
	}
	if st := r.Stats(); len(st.Clusters) != 4 || !st.Clusters[3].Detached || st.Clusters[3].Name != "gone" {
		t.Errorf("clusters after import %+v", st.Clusters)
	}
	// lpar1 moved at 10 s and was in conflict at 11 s: still a conflict.
	if res := r.Handle(8301, floatValue("cpu_user", 7), addr("10.0.0.1"), at(21)); !res.Conflict {
		t.Errorf("after import: %+v, want a conflict", res)
	}
	// The detached cluster's host moves with its metadata.
	if res := handle(t, r, 8303, floatValue("cpu_user", 8), addr("127.0.0.1"), at(22)); !res.Moved || res.NeedMetadata || res.MovedFrom != "gone" {
		t.Errorf("detached host: %+v", res)
	}
}

// TestImportNewNames: a dumped cluster whose name is no longer configured
// becomes detached; a host found twice is kept where heard last.
func TestImportNewNames(t *testing.T) {
	g := exportedGrid(t)
	d := g.Export()
	r := New(testOptions())
	r.SetClusters([]ClusterSpec{{Name: clA, Port: 8301}, {Name: "renamed", Port: 8302}})
	handle(t, r, 8301, floatValue("cpu_user", 9), addr("10.0.0.3"), at(15)) // newer than the dump's
	r.Import(d, at(16))
	s := r.Snapshot(at(16))
	if hasSource(s, clB) || len(source(t, s, "renamed").Hosts) != 0 || len(source(t, s, clA).Hosts) != 2 {
		t.Errorf("sources %+v", s.Sources)
	}
	if got := r.Locate("lpar3.example.com"); !reflect.DeepEqual(got, []string{clA}) {
		t.Errorf("lpar3 in %q", got)
	}
	if res := handle(t, r, 8302, floatValue("cpu_user", 1), addr("10.0.0.1"), at(200)); !res.Moved || res.MovedFrom != clB {
		t.Errorf("host of the detached %s: %+v", clB, res)
	}
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
