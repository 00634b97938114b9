package stockganglia

import (
	"fmt"
	"os"
	"testing"
	"time"
)

// pollInterval is how often the waiting helpers look again.
const pollInterval = 25 * time.Millisecond

// ioTimeout bounds one connection to a daemon.
const ioTimeout = 5 * time.Second

// startTimeout bounds how long a daemon may take to answer after start.
const startTimeout = 15 * time.Second

// Eventually calls cond until it returns nil and fails tb with cond's last
// error when timeout passes first. Use it for everything that happens
// asynchronously (UDP delivery, gmetad polls, RRD creation) instead of
// sleeping.
func Eventually(tb testing.TB, timeout time.Duration, cond func() error) {
	tb.Helper()
	deadline := time.Now().Add(timeout)
	tick := time.NewTicker(pollInterval)
	defer tick.Stop()
	for {
		err := cond()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			tb.Fatalf("stockganglia: still not true after %v: %v", timeout, err)
		}
		<-tick.C
	}
}

// WaitForFile waits until path exists.
func WaitForFile(tb testing.TB, path string, timeout time.Duration) {
	tb.Helper()
	Eventually(tb, timeout, func() error {
		_, err := os.Stat(path)
		return err
	})
}

// waitForDoc polls fetch until the parsed document satisfies pred and
// returns that document. On timeout the failure shows pred's last complaint.
func waitForDoc(tb testing.TB, timeout time.Duration, fetch func() ([]byte, error), pred func(*Doc) error) *Doc {
	tb.Helper()
	var doc *Doc
	Eventually(tb, timeout, func() error {
		b, err := fetch()
		if err != nil {
			return err
		}
		d, err := ParseXML(b)
		if err != nil {
			return err
		}
		if err := pred(d); err != nil {
			return err
		}
		doc = d
		return nil
	})
	return doc
}

// HasHost is a predicate for WaitFor: some cluster lists a host named host.
func HasHost(host string) func(*Doc) error {
	return func(d *Doc) error {
		if d.Host(host) == nil {
			return fmt.Errorf("no host %q in the XML", host)
		}
		return nil
	}
}

// HasMetric is a predicate for WaitFor: the host named host lists metric.
func HasMetric(host, metric string) func(*Doc) error {
	return func(d *Doc) error {
		h := d.Host(host)
		if h == nil {
			return fmt.Errorf("no host %q in the XML", host)
		}
		if h.Metric(metric) == nil {
			return fmt.Errorf("host %q has no metric %q", host, metric)
		}
		return nil
	}
}
