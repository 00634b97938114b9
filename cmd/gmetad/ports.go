package main

import (
	"context"
	"fmt"
	"io"
	"net/netip"
	"slices"
	"sync/atomic"

	"github.com/ganglia-lpm/ganglia-lpm/gmetad/grid"
	"github.com/ganglia-lpm/ganglia-lpm/gmond/mapping"
	"github.com/ganglia-lpm/ganglia-lpm/gmond/udprecv"
	"github.com/ganglia-lpm/ganglia-lpm/gmond/xmlserve"
)

// portListener is one managed system's port: the UDP receiver of the
// collector gmond it replaces, and its TCP XML dump.
type portListener struct {
	port int
	// acl is the mapping's ACL of the port; a mapping reload replaces it
	// without rebinding.
	acl          atomic.Pointer[mapping.ACL]
	udp          *udprecv.Receiver
	tcp          *xmlserve.Server
	decodeErrors atomic.Uint64
}

func (pl *portListener) allow(ip netip.Addr) bool {
	return pl.acl.Load().Allowed(ip)
}

// openPort binds cp's UDP and TCP port.
func (a *app) openPort(cp mapping.ClusterPort) (*portListener, error) {
	pl := &portListener{port: cp.Port}
	acl := slices.Clone(cp.ACL)
	pl.acl.Store(&acl)
	buf := a.cfg.UDPRecvBuffer
	if buf == 0 {
		buf = -1 // udp_recv_buffer 0: the kernel's default, like stock gmond
	}
	var err error
	pl.udp, err = udprecv.New(listenAddr(cp.Port), udprecv.Options{Readers: a.cfg.UDPReaders, RecvBuffer: buf,
		Allow: pl.allow, Logger: a.log.With("port", cp.Port)})
	if err != nil {
		return nil, fmt.Errorf("cluster %q: udp port %d: %w", cp.Cluster, cp.Port, err)
	}
	pl.tcp, err = xmlserve.New(listenAddr(cp.Port), xmlserve.Options{Allow: pl.allow,
		MaxConns: a.cfg.MaxXMLClients, WriteTimeout: a.cfg.XMLWriteTimeout, Logger: a.log.With("port", cp.Port)})
	if err != nil {
		pl.udp.Close()
		return nil, fmt.Errorf("cluster %q: tcp port %d: %w", cp.Cluster, cp.Port, err)
	}
	a.log.Debug("listening for a cluster", "cluster", cp.Cluster, "udp", pl.udp.Addr().String(),
		"tcp", pl.tcp.Addr().String(), "acl", len(acl))
	return pl, nil
}

// servePort starts pl's receiver and XML dump server.
func (a *app) servePort(pl *portListener) {
	a.serveWG.Add(1)
	go func() {
		defer a.serveWG.Done()
		if err := pl.udp.Serve(a.serveCtx, udprecv.HandlerFunc(a.packetHandler(pl))); err != nil {
			a.log.Error("UDP receiver stopped", "port", pl.port, "err", err)
		}
	}()
	a.serve(pl.tcp, func(_ context.Context, w io.Writer, _ string, _ netip.AddrPort) error {
		return a.grid.WriteClusterXML(w, pl.port, a.env.now())
	})
}

// closePort stops pl after its port left the mapping: the receiver at
// once, the XML server after its clients got their answers.
func (a *app) closePort(pl *portListener) {
	pl.udp.Close()
	a.closeWG.Add(1)
	go func() {
		defer a.closeWG.Done()
		ctx, cancel := context.WithTimeout(context.Background(), drainTimeout)
		defer cancel()
		pl.tcp.Shutdown(ctx)
	}()
}

// applyClusters makes specs the clusters gmetad receives: it binds the new
// ports, hands the list to the grid (which keeps the state of renamed and
// moved clusters) and closes the ports that left. At start (initial) a
// port that cannot be bound is an error; on a reload it is logged, its
// cluster is kept without a listener, and the next reload tries again.
// Called with a.mu held.
func (a *app) applyClusters(specs []mapping.ClusterPort, initial bool) ([]grid.ClusterChange, error) {
	want := make(map[int]bool, len(specs))
	var opened []*portListener
	for _, cp := range specs {
		want[cp.Port] = true
		if pl := a.ports[cp.Port]; pl != nil {
			acl := slices.Clone(cp.ACL)
			pl.acl.Store(&acl)
			continue
		}
		pl, err := a.openPort(cp)
		if err != nil {
			if initial {
				for _, pl := range opened {
					pl.udp.Close()
					pl.tcp.Close()
				}
				return nil, err
			}
			a.log.Error("cannot listen for a cluster of the new mapping", "cluster", cp.Cluster, "port", cp.Port, "err", err)
			continue
		}
		opened = append(opened, pl)
	}
	gs := make([]grid.ClusterSpec, len(specs))
	for i, cp := range specs {
		gs[i] = grid.ClusterSpec{Name: cp.Cluster, Port: cp.Port}
	}
	changes := a.grid.SetClusters(gs)
	for _, pl := range opened {
		a.ports[pl.port] = pl
		if !initial {
			a.servePort(pl)
		}
	}
	for port, pl := range a.ports {
		if !want[port] {
			delete(a.ports, port)
			a.closePort(pl)
		}
	}
	if !initial {
		for _, ch := range changes {
			a.log.Info("cluster "+string(ch.Kind), "cluster", ch.Name, "port", ch.Port,
				"old_name", ch.OldName, "old_port", ch.OldPort, "hosts", ch.Hosts)
		}
	}
	return changes, nil
}

// mappingChanged is the watcher's onChange: a new valid mapping, from an
// edit of the file or from SIGHUP. An invalid one never gets here (the
// watcher logs it and keeps the old).
func (a *app) mappingChanged(m *mapping.Mapping) {
	a.mu.Lock()
	if !a.live {
		// Still starting (start applies the latest mapping) or stopping.
		a.mapping = m
		a.mu.Unlock()
		return
	}
	old := a.mapping
	a.mapping = m
	if lparDir(old) != lparDir(m) {
		a.log.Warn("lpar_dir changed in the mapping: restart gmetad to use it", "lpar_dir", lparDir(old), "new", lparDir(m))
	}
	a.log.Info("mapping changed", "mapping", m.Path, "clusters", len(m.Clusters()))
	a.applyClusters(clustersOf(m), false)
	a.mu.Unlock()
	if a.env.clustersChanged != nil {
		a.env.clustersChanged()
	}
}

func lparDir(m *mapping.Mapping) string {
	if m == nil || m.LPARDir == "" {
		return mapping.DefaultLPARDir
	}
	return m.LPARDir
}
