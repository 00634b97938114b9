package poller

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/internal/stockganglia"
)

// TestInteropStockGmetad polls a stock gmetad's xml_port as a grid source,
// then makes its output malformed (a string VAL with '<', which it re-emits
// unescaped) and checks that only that metric is lost.
func TestInteropStockGmetad(t *testing.T) {
	t.Parallel()
	col := startSources(t, false, "Interop Owner")
	gmetad := stockganglia.StartGmetad(t, stockganglia.GmetadOptions{
		DataSources: []stockganglia.DataSource{{Name: "my ds", Step: 1, Addrs: []string{col.Addr}}},
		Gridname:    "Interop Grid",
		Authority:   "http://interop.example/ganglia/",
	})
	// Only now: stockganglia's readiness check cannot read the broken XML.
	sendString(t, col)
	dial := &teeDialer{}
	p := New(DataSource{Name: "grid ds", Addrs: []string{gmetad.XMLAddr}}, Options{Dial: dial.Dial, Timeout: 5 * time.Second})

	// gmetad escapes nothing it re-emits, so interop_str breaks its XML:
	// poll until gmetad has polled the string and the grid has every host.
	var rep *Report
	var raw []byte
	stockganglia.Eventually(t, interopTimeout, func() error {
		var err error
		rep, err = p.Poll(context.Background())
		if err != nil {
			return err
		}
		raw = dial.read(t)
		if rep.Grid == nil || rep.Grid.Summary.Up != 3 || rep.Skipped[ReasonMalformed] == 0 {
			return fmt.Errorf("grid not complete yet: %+v, skipped %v", rep.Grid, rep.Skipped)
		}
		return nil
	})
	if _, err := stockganglia.ParseXML(raw); err == nil {
		t.Fatal("stock gmetad's XML is well-formed; expected its escaping bug")
	}
	repaired := dropMetric(t, raw, "interop_str")
	doc, err := stockganglia.ParseXML(repaired)
	if err != nil {
		t.Fatalf("repaired document: %v", err)
	}
	if rep.Kind != KindGrid || rep.Skipped[ReasonMalformed] != 1 || !rep.Complete || p.Dead() {
		t.Fatalf("Kind %q Skipped %v Errors %q Complete %v", rep.Kind, rep.Skipped, rep.Errors, rep.Complete)
	}
	compareGrid(t, rep, doc)
}

// compareGrid checks a grid report against the summary computed from the
// document's nested clusters.
func compareGrid(t *testing.T, rep *Report, doc *stockganglia.Doc) {
	t.Helper()
	if len(doc.Grids) != 1 {
		t.Fatalf("%d grids", len(doc.Grids))
	}
	dg, g := doc.Grids[0], rep.Grid
	if g.Name != dg.Name || g.Authority != dg.Authority || g.LocalTime != dg.LocalTime {
		t.Errorf("grid %+v, want %s %s %d", g, dg.Name, dg.Authority, dg.LocalTime)
	}
	want := Summary{}
	for _, c := range doc.AllClusters() {
		for _, h := range c.Hosts {
			if h.TN >= 4*h.TMAX {
				want.Down++
				continue
			}
			want.Up++
			for _, m := range h.Metrics {
				if _, class := typeClass(m.Type); class == classNumeric && !(m.DMAX > 0 && m.TN > m.DMAX) {
					v, _ := strconv.ParseFloat(m.Val, 64)
					addWant(&want, m.Name, v, 1, m.Type, m.Units, m.Slope)
				}
			}
		}
	}
	compareSummary(t, g.Summary, want)
}

func TestInteropFailover(t *testing.T) {
	t.Parallel()
	col := stockganglia.StartCollector(t, stockganglia.CollectorOptions{Cluster: stockganglia.ClusterInfo{Name: "failover"}})
	closed := "127.0.0.1:" + strconv.Itoa(stockganglia.FreePort(t))
	dial := &teeDialer{}
	p := New(DataSource{Name: "fo", Addrs: []string{closed, col.Addr}}, Options{Dial: dial.Dial, Timeout: 5 * time.Second})
	for round := range 2 {
		rep, err := p.Poll(context.Background())
		if err != nil || rep.Cluster.Name != "failover" {
			t.Fatalf("round %d: %v", round, err)
		}
		want := []string{closed, col.Addr} // the closed port first, then the gmond
		if round > 0 {
			want = []string{col.Addr} // the gmond is remembered
		}
		if got := dial.takeDials(); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("round %d: dialled %v, want %v", round, got, want)
		}
		if p.Addr() != col.Addr || p.Dead() {
			t.Errorf("Addr %q Dead %v", p.Addr(), p.Dead())
		}
	}
}

func TestInteropSilentSource(t *testing.T) {
	t.Parallel()
	// A TCP peer that accepts and never writes.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			t.Cleanup(func() { c.Close() })
		}
	}()
	const timeout = 200 * time.Millisecond
	p := New(DataSource{Name: "silent", Addrs: []string{ln.Addr().String()}}, Options{Timeout: timeout})
	start := time.Now()
	rep, err := p.Poll(context.Background())
	var pe *PollError
	if rep != nil || !errors.As(err, &pe) || !pe.Dead || !errors.Is(err, os.ErrDeadlineExceeded) || !p.Dead() {
		t.Fatalf("Poll = %v, %v; want a dead source after the timeout", rep, err)
	}
	if took := time.Since(start); took < timeout {
		t.Errorf("gave up after %v, before the %v timeout", took, timeout)
	}
	if pe.Addr != ln.Addr().String() {
		t.Errorf("PollError Addr %q", pe.Addr)
	}
}
