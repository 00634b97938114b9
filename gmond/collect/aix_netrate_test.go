package collect

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmond/metric"
	"github.com/ganglia-lpm/ganglia-lpm/gmond/sysroot"
)

// aixNetMachine answers netstat -in and netstat -v from counters the test
// sets: one virtual adapter ent0 under en0, and loopback.
type aixNetMachine struct {
	rxPkts, txPkts, rxBytes, txBytes uint64
	lo                               uint64
	noV                              bool // netstat -v fails (e.g. not permitted)
}

func (m *aixNetMachine) root() sysroot.Root {
	return sysroot.Root{Dir: "/x", Run: func(_ context.Context, name string, args ...string) ([]byte, error) {
		switch strings.Join(append([]string{name}, args...), " ") {
		case "netstat -in":
			return fmt.Appendf(nil, "Name  Mtu   Network     Address            Ipkts Ierrs    Opkts Oerrs  Coll\n"+
				"en0   1500  link#2      fa.16.3e.0.1.2  %d     0 %d     0     0\n"+
				"lo0   16896 link#1                      %d     0 %d     0     0\n",
				m.rxPkts-5, m.txPkts-5, m.lo, m.lo), nil
		case "netstat -v":
			if m.noV {
				return nil, errors.New("entstat: 0909-003 Unable to connect to device ent0, errno = 13")
			}
			return fmt.Appendf(nil, "ETHERNET STATISTICS (ent0) :\n\n"+
				"Transmit Statistics:                          Receive Statistics:\n"+
				"--------------------                          -------------------\n"+
				"Packets: %-36d Packets: %d\n"+
				"Bytes: %-38d Bytes: %d\n\n",
				m.txPkts, m.rxPkts, m.txBytes, m.rxBytes), nil
		}
		return nil, errors.New("no such command")
	}}
}

func aixRates(t *testing.T, c *aixNetCollector, now time.Time) map[string]float64 {
	t.Helper()
	rs, err := c.Collect(now)
	if err != nil {
		t.Fatal(err)
	}
	got := make(map[string]float64)
	for _, r := range rs {
		if r.Name != "mtu" {
			got[r.Name] = r.Value.Num
		}
	}
	return got
}

func aixWantRates(t *testing.T, step string, got map[string]float64, want map[string]float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: got %v, want %v", step, got, want)
		return
	}
	for k, w := range want {
		if g, ok := got[k]; !ok || !aixApprox(g, w) {
			t.Errorf("%s: %s = %v (present %v), want %v", step, k, g, ok, w)
		}
	}
}

func TestAIXNetRates(t *testing.T) {
	m := &aixNetMachine{rxPkts: 1000, txPkts: 2000, rxBytes: 1e6, txBytes: 3e6, lo: 50}
	c := newAIXNetwork(m.root(), newOnceLog(nil))
	var _ metric.Resetter = c
	t0 := time.Date(2024, 1, 15, 10, 0, 0, 0, time.UTC)

	aixWantRates(t, "first reading", aixRates(t, c, t0), map[string]float64{})

	m.rxPkts, m.txPkts, m.rxBytes, m.txBytes, m.lo = 1400, 2200, 1.4e6, 3.8e6, 90
	both := map[string]float64{
		"bytes_in": 1e4, "bytes_out": 2e4, "pkts_in": 10, "pkts_out": 5,
		"bytes_in_en0": 1e4, "bytes_out_en0": 2e4, "pkts_in_en0": 10, "pkts_out_en0": 5,
	}
	aixWantRates(t, "40 s later", aixRates(t, c, t0.Add(40*time.Second)), both)

	// The same instant again: no interval, baseline kept.
	aixWantRates(t, "no time passed", aixRates(t, c, t0.Add(40*time.Second)), map[string]float64{})

	// A counter that went backwards (adapter reset): absent, then rates
	// from the new baseline.
	m.rxBytes = 1000
	aixWantRates(t, "counter reset", aixRates(t, c, t0.Add(60*time.Second)), map[string]float64{})
	m.rxPkts, m.txPkts, m.rxBytes, m.txBytes = 1600, 2300, 201000, 4.2e6
	aixWantRates(t, "after reset", aixRates(t, c, t0.Add(80*time.Second)), map[string]float64{
		"bytes_in": 1e4, "bytes_out": 2e4, "pkts_in": 10, "pkts_out": 5,
		"bytes_in_en0": 1e4, "bytes_out_en0": 2e4, "pkts_in_en0": 10, "pkts_out_en0": 5,
	})

	// After ResetBaselines (an LPM move) the next reading only records.
	c.ResetBaselines()
	m.rxPkts += 1e6
	aixWantRates(t, "after ResetBaselines", aixRates(t, c, t0.Add(100*time.Second)), map[string]float64{})

	// netstat -v stops answering: packet counts switch to netstat -in, so
	// this interval is not comparable and is left out; the next one has
	// packets and no bytes.
	m.noV = true
	aixWantRates(t, "source changed", aixRates(t, c, t0.Add(120*time.Second)), map[string]float64{})
	m.rxPkts, m.txPkts = m.rxPkts+200, m.txPkts+100
	aixWantRates(t, "packets only", aixRates(t, c, t0.Add(140*time.Second)), map[string]float64{
		"pkts_in": 10, "pkts_out": 5, "pkts_in_en0": 10, "pkts_out_en0": 5,
	})
}

// TestAIXNetNewInterface: an interface that appears counts from its second
// reading and does not spoil the totals meanwhile.
func TestAIXNetNewInterface(t *testing.T) {
	prev := map[string]aixCounters{"en0": {rxPkts: 100, txPkts: 100, inTotal: true}}
	cur := map[string]aixCounters{
		"en0": {rxPkts: 200, txPkts: 150, inTotal: true},
		"en1": {rxPkts: 5000, txPkts: 5000, inTotal: true},
	}
	names := map[string]string{"en0": "en0", "en1": "en1"}
	got := make(map[string]float64)
	for _, r := range aixNetRates(prev, cur, names, 10) {
		got[r.Name] = r.Value.Num
	}
	aixWantRates(t, "new en1", got, map[string]float64{"pkts_in": 10, "pkts_out": 5, "pkts_in_en0": 10, "pkts_out_en0": 5})
}

func TestAIXRateGlitch(t *testing.T) {
	if rs := aixRateReadings(aixDelta{rxBytes: maxByteRate * 20, hasBytes: true}, 10, ""); rs != nil {
		t.Errorf("glitch reported: %v", rs)
	}
}
