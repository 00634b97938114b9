package collect

import (
	"slices"
	"strings"
	"sync"

	"github.com/ganglia-lpm/ganglia-lpm/gmond/metric"
)

// ifaceSet is the interfaces a network collector has seen, for the
// per-interface metrics of Defs. It only grows: the scheduler binds what
// Defs lists, and a metric that vanished would leave a gap in its RRD
// instead of just going stale. Both the Linux and the AIX collector use it.
type ifaceSet struct {
	log   *onceLog
	mu    sync.Mutex
	known map[string]string // sanitised name → interface it came from
}

func newIfaceSet(log *onceLog) *ifaceSet {
	return &ifaceSet{log: log, known: make(map[string]string)}
}

// defs returns the defs of totals followed by the per-interface defs of
// every interface seen so far, sorted by name.
func (s *ifaceSet) defs(totals ...string) []metric.Def {
	defs := defsOf(totals...)
	s.mu.Lock()
	names := make([]string, 0, len(s.known))
	for n := range s.known {
		names = append(names, n)
	}
	s.mu.Unlock()
	slices.Sort(names)
	for _, n := range names {
		defs = append(defs, PerInterfaceDefs(n)...)
	}
	return defs
}

// learn records ifaces and returns, for each one that gets its own
// metrics (every interface but loopback), its sanitised name. Of two
// interfaces whose names sanitise alike the first keeps the metrics.
func (s *ifaceSet) learn(ifaces []string) map[string]string {
	names := make(map[string]string, len(ifaces))
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, iface := range ifaces {
		if strings.HasPrefix(iface, "lo") {
			continue
		}
		san := SanitizeIface(iface)
		if owner, ok := s.known[san]; ok && owner != iface {
			if s.log != nil {
				s.log.warn("clash:"+iface, "interface name clashes with another once sanitised; it gets no metrics of its own",
					"iface", iface, "other", owner, "metric_suffix", san)
			}
			continue
		}
		s.known[san] = iface
		names[iface] = san
	}
	return names
}
