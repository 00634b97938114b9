package poller

// Interop: the Poller against real stock Ganglia 3.7.2 peers from
// internal/stockganglia. Every poll goes through a dialer that keeps a copy
// of the bytes read, so the Report is checked against exactly the document
// it came from, parsed independently by stockganglia.ParseXML.

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/internal/stockganglia"
)

const interopTimeout = 20 * time.Second

// teeDialer dials for real and keeps what each connection read.
type teeDialer struct {
	mu    sync.Mutex
	dials []string
	last  *bytes.Buffer
}

func (d *teeDialer) Dial(ctx context.Context, network, addr string) (net.Conn, error) {
	d.mu.Lock()
	d.dials = append(d.dials, addr)
	d.mu.Unlock()
	c, err := (&net.Dialer{Timeout: 5 * time.Second}).DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	buf := new(bytes.Buffer)
	d.mu.Lock()
	d.last = buf
	d.mu.Unlock()
	return &teeConn{Conn: c, copy: buf}, nil
}

// takeDials returns and forgets the addresses dialled.
func (d *teeDialer) takeDials() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := d.dials
	d.dials = nil
	return out
}

// read returns the bytes of the last connection, gunzipped.
func (d *teeDialer) read(t *testing.T) []byte {
	t.Helper()
	d.mu.Lock()
	b := d.last.Bytes()
	d.mu.Unlock()
	if !bytes.HasPrefix(b, []byte{0x1f, 0x8b}) {
		return b
	}
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

type teeConn struct {
	net.Conn
	copy io.Writer
}

func (c *teeConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.copy.Write(p[:n])
	return n, err
}

// startSources starts a collector gmond fed by a stock sender gmond (a
// realistic host) and by gmetric (one metric per type, a spoofed host).
func startSources(t *testing.T, gz bool, owner string) *stockganglia.Gmond {
	t.Helper()
	col := stockganglia.StartCollector(t, stockganglia.CollectorOptions{
		Cluster: stockganglia.ClusterInfo{Name: "Interop Cluster", Owner: owner, URL: "http://example.org/"},
		Tags:    "interop-tag",
		Gzip:    gz,
	})
	stockganglia.StartSender(t, stockganglia.SenderOptions{Channels: []string{col.Addr}, Bind: "127.0.0.2",
		Location: "8231-E2D_06AB35T"})
	gm := stockganglia.NewGmetric(t, stockganglia.GmetricOptions{Channels: []string{col.Addr}})
	for _, args := range [][]string{
		{"-n", "interop_float", "-v", "3.14159", "-t", "float", "-u", "widgets/s", "-s", "both", "-x", "120",
			"-d", "600", "-g", "env", "-T", "Interop Float", "-D", "a float"},
		{"-n", "interop_int", "-v", "-42", "-t", "int32", "-u", "count", "-s", "positive"},
		{"-n", "interop_u16", "-v", "65000", "-t", "uint16"},
		{"-n", "interop_i8", "-v", "5", "-t", "int8"},
		{"-n", "interop_dbl", "-v", "1.5e10", "-t", "double", "-s", "derivative"},
		{"-n", "interop_spoof", "-v", "7", "-t", "uint32", "-S", "10.1.2.3:spoofed.example.com"},
	} {
		gm.Run(t, args...)
	}
	col.WaitFor(t, interopTimeout, func(d *stockganglia.Doc) error {
		c := d.Cluster("Interop Cluster")
		if c == nil {
			return errors.New("no cluster")
		}
		if h := c.HostByIP("127.0.0.2"); h == nil || h.Metric("load_one") == nil || h.Metric("cpu_num") == nil {
			return errors.New("sender host not complete")
		}
		if h := c.HostByIP("127.0.0.1"); h == nil || h.Metric("interop_dbl") == nil {
			return errors.New("gmetric metrics not there")
		}
		return stockganglia.HasMetric("spoofed.example.com", "interop_spoof")(d)
	})
	return col
}

// sendString sends a string metric with '<' and '&': gmond escapes it, stock
// gmetad re-emits it unescaped (§5.2 quirk).
func sendString(t *testing.T, col *stockganglia.Gmond) {
	t.Helper()
	gm := stockganglia.NewGmetric(t, stockganglia.GmetricOptions{Channels: []string{col.Addr}})
	gm.Run(t, "-n", "interop_str", "-v", "hello <world> & x", "-t", "string")
	col.WaitFor(t, interopTimeout, func(d *stockganglia.Doc) error {
		if c := d.Cluster("Interop Cluster"); c == nil || c.HostByIP("127.0.0.1") == nil ||
			c.HostByIP("127.0.0.1").Metric("interop_str") == nil {
			return errors.New("no interop_str yet")
		}
		return nil
	})
}

func TestInteropStockGmond(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		gzip  bool
		owner string
	}{
		{"plain", false, "Interop Owner"},
		// gzip_output. (An OWNER with a bare '&', which gmond does not
		// escape, is left to the unit tests: stockganglia's readiness
		// check parses strictly and would never see such a gmond ready.)
		{"gzip", true, "Interop Owner gz"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			col := startSources(t, tc.gzip, tc.owner)
			sendString(t, col)
			dial := &teeDialer{}
			p := New(DataSource{Name: "interop ds", Step: time.Second, Addrs: []string{col.Addr}},
				Options{Dial: dial.Dial, Timeout: 5 * time.Second})
			rep, err := p.Poll(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			raw := dial.read(t)
			if tc.gzip && !bytes.HasPrefix(dial.last.Bytes(), []byte{0x1f, 0x8b}) {
				t.Errorf("gzip_output collector sent no gzip stream")
			}
			doc, err := stockganglia.ParseXML(raw)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Skipped[ReasonMalformed] != 0 || !rep.Complete {
				t.Errorf("Skipped %v Errors %q Complete %v", rep.Skipped, rep.Errors, rep.Complete)
			}
			compareCluster(t, rep, doc)
			if n := len(rep.Cluster.Hosts); n != 3 {
				t.Errorf("%d hosts, want the sender, gmetric's and the spoofed one", n)
			}
			if rep.Cluster.Owner != tc.owner {
				t.Errorf("Owner %q, want %q", rep.Cluster.Owner, tc.owner)
			}
			if p.Dead() || p.Addr() != col.Addr || p.LastGood().IsZero() {
				t.Errorf("Dead %v Addr %q LastGood %v", p.Dead(), p.Addr(), p.LastGood())
			}
		})
	}
}

// compareCluster checks every attribute of the report against the document
// parsed by stockganglia, applying gmetad's rules independently.
func compareCluster(t *testing.T, rep *Report, doc *stockganglia.Doc) {
	t.Helper()
	if rep.Kind != KindCluster || len(doc.Clusters) != 1 {
		t.Fatalf("Kind %q, %d clusters in the document", rep.Kind, len(doc.Clusters))
	}
	if rep.Version != doc.Version || rep.Source != doc.Source {
		t.Errorf("Version %q Source %q, want %q %q", rep.Version, rep.Source, doc.Version, doc.Source)
	}
	dc, c := doc.Clusters[0], rep.Cluster
	if c.Name != dc.Name || c.LocalTime != dc.LocalTime || c.Owner != dc.Owner || c.LatLong != dc.LatLong || c.URL != dc.URL {
		t.Errorf("cluster %+v, want %+v", *c, dc)
	}
	if len(c.Hosts) != len(dc.Hosts) {
		t.Fatalf("%d hosts, want %d", len(c.Hosts), len(dc.Hosts))
	}
	want := Summary{}
	for i, dh := range dc.Hosts {
		h := c.Hosts[i]
		up := dh.TN < 4*dh.TMAX
		if h.Name != dh.Name || h.IP != dh.IP || h.Reported != dh.Reported || h.TN != dh.TN || h.TMax != dh.TMAX ||
			h.DMax != dh.DMAX || h.Location != dh.Location || h.GmondStarted != dh.GmondStarted || h.Tags != dh.Tags || h.Up != up {
			t.Errorf("host %d = %+v\nwant %+v (up %v)", i, h, dh, up)
		}
		if !up {
			want.Down++
			continue
		}
		want.Up++
		compareMetrics(t, h, dh, &want)
	}
	compareSummary(t, c.Summary, want)
}

func compareMetrics(t *testing.T, h Host, dh stockganglia.Host, sum *Summary) {
	t.Helper()
	var kept []stockganglia.Metric
	for _, dm := range dh.Metrics {
		if _, class := typeClass(dm.Type); class != classUnknown && !(dm.DMAX > 0 && dm.TN > dm.DMAX) {
			kept = append(kept, dm)
		}
	}
	if len(h.Metrics) != len(kept) {
		t.Fatalf("host %s: %d metrics, want %d", h.Name, len(h.Metrics), len(kept))
	}
	for i, dm := range kept {
		m := h.Metrics[i]
		source := dm.Source
		if source == "" {
			source = "gmond" // the DTD default
		}
		if m.Name != dm.Name || m.Val != dm.Val || m.Type != dm.Type || m.Units != dm.Units || m.TN != dm.TN ||
			m.TMax != dm.TMAX || m.DMax != dm.DMAX || m.Slope != dm.Slope || m.Source != source ||
			fmt.Sprint(m.Extra) != fmt.Sprint(dm.Extra) && !(len(m.Extra) == 0 && len(dm.Extra) == 0) {
			t.Errorf("host %s metric %d = %+v\nwant %+v", h.Name, i, m, dm)
		}
		_, class := typeClass(dm.Type)
		if m.Numeric != (class == classNumeric) {
			t.Errorf("%s: Numeric %v for TYPE %s", m.Name, m.Numeric, m.Type)
		}
		if !m.Numeric {
			continue
		}
		v, err := strconv.ParseFloat(dm.Val, 64)
		if err != nil || m.Value != v {
			t.Errorf("%s: Value %v, VAL %q", m.Name, m.Value, dm.Val)
		}
		addWant(sum, dm.Name, v, 1, dm.Type, dm.Units, dm.Slope)
	}
}

func addWant(s *Summary, name string, v float64, n uint32, typ, units, slope string) {
	for i := range s.Metrics {
		if s.Metrics[i].Name == name {
			s.Metrics[i].Sum += v
			s.Metrics[i].Num += n
			return
		}
	}
	s.Metrics = append(s.Metrics, SummaryMetric{Name: name, Sum: v, Num: n, Type: typ, Units: units, Slope: slope})
}

func compareSummary(t *testing.T, got, want Summary) {
	t.Helper()
	if got.Up != want.Up || got.Down != want.Down || len(got.Metrics) != len(want.Metrics) {
		t.Fatalf("summary up/down %d/%d with %d metrics, want %d/%d with %d",
			got.Up, got.Down, len(got.Metrics), want.Up, want.Down, len(want.Metrics))
	}
	for i, w := range want.Metrics {
		g := got.Metrics[i]
		if g.Name != w.Name || g.Num != w.Num || g.Type != w.Type || g.Units != w.Units || g.Slope != w.Slope ||
			math.Abs(g.Sum-w.Sum) > 1e-9*math.Max(1, math.Abs(w.Sum)) {
			t.Errorf("summary %d = %+v, want %+v", i, g, w)
		}
	}
}
