package grid

import (
	"io"
	"reflect"
	"strings"
	"testing"
)

// TestSetClusters: a rename keeps the hosts, a removed port hides its
// cluster but keeps its hosts (one that shows up elsewhere moves there at
// once with its metadata, even within the conflict window), re-adding the
// port restores the cluster, and a cluster given a new port keeps its
// hosts.
func TestSetClusters(t *testing.T) {
	g := New(testOptions())
	changes := g.SetClusters([]ClusterSpec{{Name: "A", Port: 8301}, {Name: "B", Port: 8302}})
	wantChanges(t, changes, ClusterChange{Kind: ClusterAdded, Port: 8301, Name: "A"},
		ClusterChange{Kind: ClusterAdded, Port: 8302, Name: "B"})
	lpar1, lpar2 := addr("10.0.0.1"), addr("10.0.0.2")
	report(t, g, 8301, lpar1, at(0), 1, 1)
	report(t, g, 8301, lpar2, at(0), 2, 2)

	changes = g.SetClusters([]ClusterSpec{{Name: "A2", Port: 8301}, {Name: "B", Port: 8302}})
	wantChanges(t, changes, ClusterChange{Kind: ClusterRenamed, Port: 8301, Name: "A2", OldName: "A", Hosts: 2})
	s := g.Snapshot(at(1))
	if hasSource(s, "A") || len(source(t, s, "A2").Hosts) != 2 {
		t.Fatalf("after the rename: %+v", s.Sources)
	}

	changes = g.SetClusters([]ClusterSpec{{Name: "B", Port: 8302}})
	wantChanges(t, changes, ClusterChange{Kind: ClusterRemoved, Port: 8301, Name: "A2", Hosts: 2})
	s = g.Snapshot(at(2))
	if hasSource(s, "A2") || len(s.Sources) != 1 || s.Summary.Up != 0 {
		t.Fatalf("after the removal: %+v", s)
	}
	if r := g.Handle(8301, floatValue("cpu_user", 1), lpar1, at(3)); !r.NoCluster {
		t.Errorf("packet on the removed port: %+v", r)
	}
	st := g.Stats()
	if len(st.Clusters) != 2 || !st.Clusters[0].Detached || st.Clusters[0].Hosts != 2 {
		t.Errorf("stats %+v", st.Clusters)
	}

	// lpar1 reappears on 8302, 4 s after it was last heard on the
	// detached port: a move, metadata kept.
	r := handle(t, g, 8302, floatValue("cpu_user", 5), lpar1, at(4))
	if !r.Moved || r.MovedFrom != "A2" || r.NeedMetadata {
		t.Fatalf("reappearing host: %+v", r)
	}
	h := findHost(source(t, g.Snapshot(at(5)), "B"), "lpar1.example.com")
	if h == nil || findMetric(h, "load_one") == nil || findMetric(h, "cpu_user").Val != "5.00" {
		t.Errorf("moved host %+v", h)
	}

	changes = g.SetClusters([]ClusterSpec{{Name: "A2", Port: 8301}, {Name: "B", Port: 8302}})
	wantChanges(t, changes, ClusterChange{Kind: ClusterRestored, Port: 8301, Name: "A2", Hosts: 1})
	s = g.Snapshot(at(6))
	if a := source(t, s, "A2"); len(a.Hosts) != 1 || a.Hosts[0].Name != "lpar2.example.com" || len(a.Hosts[0].Metrics) != 2 {
		t.Errorf("restored cluster %+v", a.Hosts)
	}

	changes = g.SetClusters([]ClusterSpec{{Name: "A2", Port: 8301}, {Name: "B", Port: 8305}})
	wantChanges(t, changes, ClusterChange{Kind: ClusterPortChanged, Port: 8305, Name: "B", OldPort: 8302, Hosts: 1})
	handle(t, g, 8305, floatValue("cpu_user", 6), lpar1, at(7))
	if h := findHost(source(t, g.Snapshot(at(8)), "B"), "lpar1.example.com"); h == nil || len(g.Moves()) != 1 {
		t.Errorf("after the port change: %+v, moves %+v", h, g.Moves())
	}
	if got := g.Clusters(); !reflect.DeepEqual(got, []ClusterSpec{{Name: "A2", Port: 8301}, {Name: "B", Port: 8305}}) {
		t.Errorf("Clusters() = %+v", got)
	}
	if got := g.Locate("lpar1.example.com"); !reflect.DeepEqual(got, []string{"B"}) {
		t.Errorf("Locate = %q", got)
	}
	if changes := g.SetClusters(g.Clusters()); len(changes) != 0 {
		t.Errorf("no-op reload: %+v", changes)
	}
}

// TestDetachedExpire: a detached cluster's hosts expire like any, and the
// cluster is forgotten once empty.
func TestDetachedExpire(t *testing.T) {
	o := testOptions()
	o.Cluster.HostDMax = 100
	g := New(o)
	g.SetClusters([]ClusterSpec{{Name: "A", Port: 8301}})
	report(t, g, 8301, addr("10.0.0.1"), at(0), 1, 1)
	g.SetClusters(nil)
	if h, _ := g.Expire(at(50)); h != 0 || len(g.Stats().Clusters) != 1 {
		t.Errorf("early expiry removed %d hosts", h)
	}
	if h, _ := g.Expire(at(101)); h != 1 || len(g.Stats().Clusters) != 0 {
		t.Errorf("expiry removed %d hosts; clusters %+v", h, g.Stats().Clusters)
	}
	g.SetClusters([]ClusterSpec{{Name: "A", Port: 8301}})
	if r := handle(t, g, 8301, floatValue("cpu_user", 1), addr("10.0.0.1"), at(102)); !r.NewHost || !r.NeedMetadata {
		t.Errorf("host after expiry: %+v", r)
	}
}

func wantChanges(t *testing.T, got []ClusterChange, want ...ClusterChange) {
	t.Helper()
	if len(got) == 0 && len(want) == 0 {
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("changes\n got  %+v\n want %+v", got, want)
	}
}

// TestWriteClusterXML: each port's collector dump lists the hosts its
// cluster holds now.
func TestWriteClusterXML(t *testing.T) {
	g := newGrid(t, testOptions())
	report(t, g, 8301, addr("10.0.0.1"), at(0), 1, 1)
	handle(t, g, 8302, floatValue("cpu_user", 2), addr("10.0.0.1"), at(5))
	dump := func(port int) string {
		var b strings.Builder
		if err := g.WriteClusterXML(&b, port, at(6)); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	if a, b := dump(8301), dump(8302); strings.Contains(a, "lpar1") || !strings.Contains(b, `<HOST NAME="lpar1.example.com" IP="10.0.0.1"`) ||
		!strings.Contains(b, `<CLUSTER NAME="`+clB+`"`) {
		t.Errorf("8301:\n%s\n8302:\n%s", a, b)
	}
	if err := g.WriteClusterXML(io.Discard, 9999, at(6)); err == nil {
		t.Errorf("no error for a port without a cluster")
	}
}
