package grid

import (
	"fmt"
	"io"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmond/cluster"
)

// WriteClusterXML writes the XML dump the collector gmond of port would
// serve on its tcp_accept_channel (PROTOCOL.md §3): the CLUSTER of that
// port with its hosts, as a stock collector gmond prints it, so that a
// gmetad or a tool polling the managed system's port directly keeps
// working. It fails when no cluster is configured on port.
func (g *Grid) WriteClusterXML(w io.Writer, port int, now time.Time) error {
	g.mu.RLock()
	e := g.ports[port]
	var spec ClusterSpec
	if e != nil {
		spec = e.spec
	}
	g.mu.RUnlock()
	if e == nil {
		return fmt.Errorf("grid: no cluster on port %d", port)
	}
	// The State has its own lock, taken per host while rendering: the
	// grid's lock is not held, so a slow reader blocks no packet.
	return e.state.WriteXML(w, cluster.ClusterInfo{Name: spec.Name, Owner: spec.Owner,
		LatLong: spec.LatLong, URL: spec.URL}, now)
}
