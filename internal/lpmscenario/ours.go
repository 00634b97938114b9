package lpmscenario

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/internal/stockganglia"
)

// startAttempts is how often our gmetad is started on fresh ports when it
// exits because another process took one between FreePort and its bind.
const startAttempts = 3

// readyTimeout bounds our gmetad's start-up, up to its XML and web answers.
const readyTimeout = 20 * time.Second

// errPortTaken reports a start that failed on a port taken meanwhile.
var errPortTaken = errors.New("a port was taken")

// startOurs writes our gmetad's mapping and configuration on free ports
// and starts it in the foreground; it returns once the xml_port serves
// GANGLIA_XML and the web interface answers /healthz.
func (s *Scenario) startOurs(tb testing.TB, o *Options) {
	tb.Helper()
	dir := filepath.Join(s.Dir, "ours")
	s.OurRRDRoot = filepath.Join(dir, "rrds")
	if err := os.MkdirAll(s.OurRRDRoot, 0o755); err != nil {
		tb.Fatalf("lpmscenario: %v", err)
	}
	for attempt := 1; ; attempt++ {
		s.OurXML, s.OurInteractive = addr(stockganglia.FreePort(tb)), addr(stockganglia.FreePort(tb))
		s.OurWeb = "http://" + addr(stockganglia.FreePort(tb))
		s.OurPorts = s.OurPorts[:0]
		for range s.Systems {
			s.OurPorts = append(s.OurPorts, stockganglia.FreePort(tb))
		}
		mapping := filepath.Join(dir, "lpm.toml")
		conf := filepath.Join(dir, "gmetad.conf")
		s.ourDefault = stockganglia.FreePort(tb)
		writeFile(tb, mapping, mappingTOML(s.Systems, s.OurPorts, s.ourDefault))
		writeFile(tb, conf, gmetadConf(s, o, mapping))
		s.OurLog = filepath.Join(dir, fmt.Sprintf("gmetad-%d.log", attempt))
		checkLog(tb, s.OurLog)
		s.gmetad = stockganglia.Launch(tb, strings.TrimSuffix(filepath.Base(s.OurLog), ".log"), dir, s.Bin.Gmetad, "-f", "-c", conf)
		err := s.gmetad.WaitReady(readyTimeout, s.oursReady)
		if err == nil {
			return
		}
		if log, _ := os.ReadFile(s.OurLog); s.gmetad.Exited() && strings.Contains(string(log), "address already in use") {
			err = errPortTaken
		}
		if !errors.Is(err, errPortTaken) || attempt == startAttempts {
			tb.Fatalf("lpmscenario: our gmetad (%s): %v\n%s", conf, err, s.gmetad.Log())
		}
	}
}

// oursReady checks our gmetad's XML and web ports.
func (s *Scenario) oursReady() error {
	b, err := stockganglia.FetchXML(s.OurXML, 5*time.Second)
	if err != nil {
		return err
	}
	if _, err := stockganglia.ParseXML(b); err != nil {
		return err
	}
	c := http.Client{Timeout: 5 * time.Second}
	resp, err := c.Get(s.OurWeb + "/healthz")
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s/healthz: %s", s.OurWeb, resp.Status)
	}
	return nil
}

// checkLog fails tb when, once the process writing path has been stopped
// (the cleanup runs after Launch's), its log shows a crash or a race.
func checkLog(tb testing.TB, path string) {
	tb.Helper()
	tb.Cleanup(func() {
		b, err := os.ReadFile(path)
		if err != nil {
			return // never started
		}
		for _, bad := range []string{"panic:", "fatal error:", "WARNING: DATA RACE"} {
			if strings.Contains(string(b), bad) {
				tb.Errorf("lpmscenario: %s contains %q", path, bad)
			}
		}
	})
}

// startLPARs writes each LPAR's sysroot, gmond.conf and the agents'
// mapping (each system's port is its tee; the default port is our
// gmetad's own), starts the fixture clock and the gmonds.
func (s *Scenario) startLPARs(tb testing.TB, o *Options) {
	tb.Helper()
	teePorts := make([]int, len(s.Tees))
	for i, t := range s.Tees {
		teePorts[i] = int(t.Addr().Port())
	}
	mapping := filepath.Join(s.Dir, "agents-lpm.toml")
	writeFile(tb, mapping, mappingTOML(s.Systems, teePorts, s.ourDefault))
	now := time.Now()
	for i, l := range s.LPARs {
		f, err := newFixture(filepath.Join(s.Dir, "lpars", l.Name, "sysroot"), l, s.Systems[l.Home], 11+i, now)
		if err != nil {
			tb.Fatalf("lpmscenario: fixture of %s: %v", l.Name, err)
		}
		s.fixtures = append(s.fixtures, f)
		s.where = append(s.where, l.Home)
	}
	s.startClock(tb)
	for i, l := range s.LPARs {
		dir := filepath.Join(s.Dir, "lpars", l.Name)
		conf := filepath.Join(dir, "gmond.conf")
		writeFile(tb, conf, gmondConf(l, o.Interval))
		checkLog(tb, filepath.Join(dir, "gmond.log"))
		g := stockganglia.Launch(tb, "gmond", dir, s.Bin.Gmond, "-f", "-c", conf,
			"--mapping", mapping, "--sysroot", s.fixtures[i].root)
		s.gmonds = append(s.gmonds, g)
	}
}

// startClock advances every LPAR's counters once a second until tb ends.
func (s *Scenario) startClock(tb testing.TB) {
	tb.Helper()
	stop, done := make(chan struct{}), make(chan error, 1)
	go func() {
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				done <- nil
				return
			case now := <-tick.C:
				if err := s.writeFixtures(now); err != nil {
					done <- err
					return
				}
			}
		}
	}()
	tb.Cleanup(func() {
		close(stop)
		if err := <-done; err != nil {
			tb.Errorf("lpmscenario: fixture clock: %v", err)
		}
	})
}

func (s *Scenario) writeFixtures(now time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, f := range s.fixtures {
		if err := f.write(now); err != nil {
			return err
		}
	}
	return nil
}

// Move is LPM: it rewrites the LPAR's fixture identity to the managed
// system named to (its serial and type, a new partition id, that frame's
// pool counters), as the kernel shows it after a migration. The LPAR's
// gmond notices at its next collection and re-targets by itself; wait
// with WaitHostIn.
func (s *Scenario) Move(tb testing.TB, lpar, to string) Move {
	tb.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	i, j := s.lparIndex(lpar), s.systemIndex(to)
	if i < 0 || j < 0 {
		tb.Fatalf("lpmscenario: Move(%q, %q): no such LPAR or system", lpar, to)
	}
	if s.where[i] == j {
		tb.Fatalf("lpmscenario: Move(%q, %q): it is there already", lpar, to)
	}
	now := time.Now()
	if err := s.fixtures[i].move(s.Systems[j], s.nextPart, now); err != nil {
		tb.Fatalf("lpmscenario: moving %s: %v", lpar, err)
	}
	m := Move{LPAR: lpar, From: s.Systems[s.where[i]].Name, To: to, At: now}
	s.nextPart++
	s.where[i] = j
	s.moves = append(s.moves, m)
	tb.Logf("lpmscenario: %s moves from %s to %s at %s", lpar, m.From, m.To, now.UTC().Format(time.TimeOnly))
	return m
}

func writeFile(tb testing.TB, path, text string) {
	tb.Helper()
	if err := writeAtomic(path, []byte(text)); err != nil {
		tb.Fatalf("lpmscenario: %v", err)
	}
}
