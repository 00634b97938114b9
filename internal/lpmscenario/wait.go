package lpmscenario

import (
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/internal/stockganglia"
	"github.com/ganglia-lpm/ganglia-lpm/rrdstore"
)

// freshTN is the largest TN (seconds since last heard) of a host that
// WaitHostIn takes as reporting: two send intervals and a poll.
const freshTN = 60

// XMLAddr is the xml_port of impl.
func (s *Scenario) XMLAddr(impl Impl) string {
	if impl == Stock {
		return s.StockXML
	}
	return s.OurXML
}

// Doc fetches and parses impl's xml_port document.
func (s *Scenario) Doc(tb testing.TB, impl Impl) *stockganglia.Doc {
	tb.Helper()
	d, err := s.doc(impl)
	if err != nil {
		tb.Fatalf("lpmscenario: %s gmetad: %v", impl, err)
	}
	return d
}

func (s *Scenario) doc(impl Impl) (*stockganglia.Doc, error) {
	addr := s.XMLAddr(impl)
	if addr == "" {
		return nil, fmt.Errorf("the %s pipeline is not running", impl)
	}
	b, err := stockganglia.FetchXML(addr, 5*time.Second)
	if err != nil {
		return nil, err
	}
	return stockganglia.ParseXML(b)
}

// WaitHostIn waits until impl's gmetad lists host in cluster, reporting
// (TN < 60 s), for at most WaitTimeout. For ours it also waits until no
// other cluster lists the host: our gmetad moves it at once. Stock gmetad
// keeps listing a moved host under the system it left, down, until that
// collector's host_dmax (Options.StockHostDmax), so other clusters are not
// looked at for stock.
func (s *Scenario) WaitHostIn(tb testing.TB, impl Impl, host, cluster string) {
	tb.Helper()
	stockganglia.Eventually(tb, WaitTimeout, func() error {
		d, err := s.doc(impl)
		if err != nil {
			return err
		}
		return hostIn(d, impl, host, cluster)
	})
}

func hostIn(d *stockganglia.Doc, impl Impl, host, cluster string) error {
	var in []string
	for _, c := range d.AllClusters() {
		h := c.Host(host)
		if h == nil {
			continue
		}
		if c.Name != cluster {
			in = append(in, c.Name)
			continue
		}
		if h.TN >= freshTN {
			return fmt.Errorf("%s gmetad: %s in %s last heard %d s ago", impl, host, cluster, h.TN)
		}
	}
	if c := d.Cluster(cluster); c == nil || c.Host(host) == nil {
		return fmt.Errorf("%s gmetad: %s not in %s (listed in %q)", impl, host, cluster, in)
	}
	if impl == Ours && len(in) > 0 {
		return fmt.Errorf("%s gmetad: %s is in %s and also in %q", impl, host, cluster, in)
	}
	return nil
}

// WaitPlaced waits until impl lists every LPAR under the system it runs
// on now (WaitHostIn for each).
func (s *Scenario) WaitPlaced(tb testing.TB, impl Impl) {
	tb.Helper()
	for _, l := range s.LPARs {
		s.WaitHostIn(tb, impl, l.Name, s.SystemOf(l.Name))
	}
}

// RRDPath is where impl keeps a host's metric as seen from cluster:
// rrd_rootdir/cluster/host/metric.rrd. For ours that is a link to the
// host's one directory LPARS/host, which cluster "" names directly.
func (s *Scenario) RRDPath(impl Impl, cluster, host, metric string) string {
	if impl == Stock {
		return filepath.Join(s.StockRRDRoot, cluster, host, metric+".rrd")
	}
	if cluster == "" {
		cluster = "LPARS"
	}
	return filepath.Join(s.OurRRDRoot, cluster, host, metric+".rrd")
}

// WaitRRD waits until the RRD file at path has been updated at or after
// ts (unix seconds) and returns its last update; it fails tb after
// timeout.
func WaitRRD(tb testing.TB, path string, ts int64, timeout time.Duration) int64 {
	tb.Helper()
	var last int64
	stockganglia.Eventually(tb, timeout, func() error {
		var err error
		if last, _, _, err = rrdstore.LastUpdate(path); err != nil {
			return err
		}
		if last < ts {
			return fmt.Errorf("%s: last update %d, waiting for %d", path, last, ts)
		}
		return nil
	})
	return last
}

// StepAfter is the end of the n-th RRD step that begins at or after t
// (n = 1 for the first), which is the time its row carries: a file
// updated at or after it holds n rows wholly after t.
func StepAfter(t time.Time, n int) int64 {
	first := (t.Unix() + Step - 1) / Step * Step
	return first + int64(n)*Step
}

// Clusters lists impl's cluster names, sorted.
func (s *Scenario) Clusters(tb testing.TB, impl Impl) []string {
	tb.Helper()
	var out []string
	for _, c := range s.Doc(tb, impl).AllClusters() {
		out = append(out, c.Name)
	}
	slices.Sort(out)
	return out
}
