package grid

// Interop with stock Ganglia 3.7.2: the same packets go to a stock
// collector gmond, polled by a stock gmetad, and to a Grid; the two
// "/?filter=summary" answers must agree line for line once times are
// normalised and the hash-ordered METRICS blocks sorted. And our Namer
// must name hosts as the stock collector does.

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmetad/xmlout"
	"github.com/ganglia-lpm/ganglia-lpm/gmond/cluster"
	"github.com/ganglia-lpm/ganglia-lpm/internal/stockganglia"
	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

const interopTimeout = 20 * time.Second

// The source addresses of the interop senders: 127.0.0.1 resolves through
// /etc/hosts, the others normally do not resolve at all.
var interopSources = []netip.Addr{addr("127.0.0.1"), addr("127.0.0.2"), addr("127.1.2.3")}

// sent is one datagram and the address it comes from.
type sent struct {
	src netip.Addr
	msg *xdr.Message
}

// summaryPackets: for each sender and one spoofed host, numeric metrics of
// every kind (typed messages with gmond's formats and gmetric's strings),
// strings and timestamps (never summed), an unsummarized prefix, extras
// (with SPOOF_HOST on the spoofed host), and a last "sentinel" metric.
func summaryPackets() []sent {
	var out []sent
	extras := []xdr.Extra{{Name: "TITLE", Data: "Golden"}, {Name: "DESC", Data: "A golden metric"}, {Name: "GROUP", Data: "golden"}}
	for i, src := range append(interopSources, netip.Addr{}) {
		spoof := ""
		if !src.IsValid() {
			src, spoof = interopSources[0], "10.20.30.40:lpar-spoofed.example.com"
		}
		pair := func(name, typ string, slope xdr.Slope, id xdr.MsgID, v xdr.Value, ex []xdr.Extra) {
			md := &xdr.Message{ID: xdr.IDMetadata, MetricID: xdr.MetricID{Host: "golden", Name: name},
				Metadata: xdr.Metadata{Type: typ, Name: name, Units: "u_" + typ, Slope: slope, TMax: 60, Extra: ex}}
			val := &xdr.Message{ID: id, MetricID: xdr.MetricID{Host: "golden", Name: name}, Value: v}
			if spoof != "" {
				md = spoofed(md, spoof)
				md.Metadata.Extra = append(slices.Clone(ex), xdr.Extra{Name: "SPOOF_HOST", Data: spoof})
				val = spoofed(val, spoof)
			}
			out = append(out, sent{src, md}, sent{src, val})
		}
		n := float32(i + 1)
		pair("g_int32", "int32", xdr.SlopeBoth, xdr.IDInt, xdr.Value{Fmt: "%d", I: int32(-7 * (i + 1))}, extras)
		pair("g_uint16", "uint16", xdr.SlopeZero, xdr.IDUShort, xdr.Value{Fmt: "%hu", U: uint32(1000 * (i + 1))}, extras)
		pair("g_uint32", "uint32", xdr.SlopePositive, xdr.IDUInt, xdr.Value{Fmt: "%u", U: 4000000000}, nil)
		pair("g_float", "float", xdr.SlopeBoth, xdr.IDFloat, xdr.Value{Fmt: "%.2f", F32: n * 0.42}, extras)
		pair("g_double", "double", xdr.SlopeDerivative, xdr.IDDouble, xdr.Value{Fmt: "%.3f", F64: float64(n) * 85.0625}, extras)
		pair("g_gmetric", "float", xdr.SlopeBoth, xdr.IDString, xdr.Value{Fmt: "%s", Str: fmt.Sprintf("%.1f", n*1.5)}, nil)
		pair("g_big", "double", xdr.SlopeBoth, xdr.IDString, xdr.Value{Fmt: "%s", Str: "1.5e10"}, nil)
		pair("g_int8", "int8", xdr.SlopeNegative, xdr.IDString, xdr.Value{Fmt: "%s", Str: "-3"}, nil)
		pair("g_string", "string", xdr.SlopeUnspecified, xdr.IDString, xdr.Value{Fmt: "%s", Str: "text"}, extras)
		pair("g_time", "timestamp", xdr.SlopeZero, xdr.IDString, xdr.Value{Fmt: "%s", Str: "1795300000"}, nil)
		pair("skipme_x", "double", xdr.SlopeBoth, xdr.IDDouble, xdr.Value{Fmt: "%.1f", F64: 5}, nil)
		pair("heartbeat", "uint32", xdr.SlopeUnspecified, xdr.IDUInt, xdr.Value{Fmt: "%u", U: 1795300000}, nil)
		pair("sentinel", "uint32", xdr.SlopeBoth, xdr.IDUInt, xdr.Value{Fmt: "%u", U: 1}, nil)
	}
	return out
}

// TestStockSummary compares our "/?filter=summary" answer with stock
// gmetad's for the same packets, with and without summarized_metrics.
// unsummarized_metrics only stops summary RRDs: both list skipme_x.
func TestStockSummary(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name       string
		summarized []string
	}{
		{"all", nil},
		{"summarized_metrics", []string{"g_float", "g_int32", "skipme_x", "sentinel"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			stockSummary(t, tc.summarized)
		})
	}
}

func stockSummary(t *testing.T, summarized []string) {
	const clusterName, gridName, authority = "golden-cluster", "Golden Grid", "http://golden.example.com/ganglia/"
	col := stockganglia.StartCollector(t, stockganglia.CollectorOptions{Cluster: stockganglia.ClusterInfo{Name: clusterName}})
	conf := "unsummarized_metrics skipme_\n"
	if summarized != nil {
		conf += "summarized_metrics " + strings.Join(summarized, " ") + "\n"
	}
	gmetad := stockganglia.StartGmetad(t, stockganglia.GmetadOptions{
		DataSources: []stockganglia.DataSource{{Name: "golden ds", Step: 1, Addrs: []string{col.Addr}}},
		Gridname:    gridName, Authority: authority, Extra: conf,
	})
	o := DefaultOptions()
	o.GridName, o.Authority, o.Unsummarized, o.Summarized = gridName, authority, []string{"skipme_"}, summarized
	o.Namer = cluster.NewNamer(2 * time.Second)
	g := New(o)
	g.SetClusters([]ClusterSpec{{Name: clusterName, Port: col.Port}})

	packets := summaryPackets()
	sendAll(t, col.Addr, packets, func(p sent) {
		if r := g.Handle(col.Port, p.msg, p.src, time.Now()); r.Dropped != 0 || r.Conflict {
			t.Fatalf("Handle: %+v", r)
		}
	})
	hosts := len(interopSources) + 1
	var stock []byte
	stockganglia.Eventually(t, interopTimeout, func() error {
		stock = gmetad.Query(t, "/?filter=summary")
		doc, err := stockganglia.ParseXML(stock)
		if err != nil {
			return err
		}
		if len(doc.Grids) != 1 || len(doc.Grids[0].Clusters) != 1 {
			return errors.New("no cluster yet")
		}
		root, c := doc.Grids[0], doc.Grids[0].Clusters[0]
		for _, s := range []*stockganglia.MetricSummary{root.Summary("sentinel"), c.Summary("sentinel")} {
			if s == nil || s.Num != hosts {
				return fmt.Errorf("sentinel summary %+v", s)
			}
		}
		if root.HostsSummary == nil || root.HostsSummary.Up != hosts {
			return fmt.Errorf("root HOSTS %+v", root.HostsSummary)
		}
		// Stock 3.7.2 copies EXTRA_ELEMENTs into a cluster's summary only
		// from its fourth poll on (it alternates two summary tables):
		// compare the steady state.
		if !hasSummaryExtras(string(stock), clusterName, "g_float") {
			return errors.New("the cluster summary has no EXTRA_DATA yet")
		}
		return nil
	})
	now := time.Now()
	var ours bytes.Buffer
	if _, err := xmlout.Answer(&ours, g.Snapshot(now), "/?filter=summary", now); err != nil {
		t.Fatal(err)
	}
	if !hasSummaryExtras(ours.String(), clusterName, "g_float") {
		t.Errorf("our cluster summary of g_float has no EXTRA_DATA:\n%s", ours.String())
	}
	want, got := normalizeSummary(string(stock)), normalizeSummary(ours.String())
	if want != got {
		t.Errorf("summary answers differ\n--- stock\n%s\n--- ours\n%s", want, got)
	}
	const clusterMetrics = 10 // numeric names in summaryPackets, heartbeat excepted
	root := clusterMetrics
	if summarized != nil {
		root = len(summarized)
	}
	if n := strings.Count(got, "<METRICS "); n != clusterMetrics+root {
		t.Errorf("%d METRICS compared, want %d:\n%s", n, clusterMetrics+root, got)
	}
}

// hasSummaryExtras reports whether the METRICS block of metric inside
// cluster's summary in doc lists EXTRA_ELEMENTs.
func hasSummaryExtras(doc, cluster, metric string) bool {
	_, c, ok := strings.Cut(doc, `<CLUSTER NAME="`+cluster+`"`)
	if !ok {
		return false
	}
	_, m, ok := strings.Cut(c, `<METRICS NAME="`+metric+`"`)
	if !ok {
		return false
	}
	block, _, _ := strings.Cut(m, "</METRICS>")
	return strings.Contains(block, "<EXTRA_ELEMENT ")
}

var localtime = regexp.MustCompile(` LOCALTIME="\d+"`)

// normalizeSummary drops the prolog and the LOCALTIMEs, and sorts each run
// of METRICS blocks (stock prints them in hash order). EXTRA_ELEMENTs keep
// their order: every host sends the same ones.
func normalizeSummary(doc string) string {
	if i := strings.Index(doc, "]>\n"); i >= 0 {
		doc = doc[i+3:]
	}
	doc = localtime.ReplaceAllString(doc, "")
	var out, blocks []string
	var block []string
	flush := func() {
		slices.Sort(blocks)
		out = append(out, blocks...)
		blocks = nil
	}
	for _, line := range strings.Split(doc, "\n") {
		switch {
		case strings.HasPrefix(line, "<METRICS "):
			block = []string{line}
		case block != nil && line == "</METRICS>":
			blocks = append(blocks, strings.Join(append(block, line), "\n"))
			block = nil
		case block != nil && strings.HasPrefix(line, "<EXTRA_ELEMENT "):
			// Stock alternates two summary tables and only one of them
			// carries the extras, so they come and go between polls;
			// ours are checked on their own.
		case block != nil:
			block = append(block, line)
		default:
			flush()
			out = append(out, line)
		}
	}
	flush()
	return strings.Join(out, "\n")
}

// TestNamerMatchesStock: one packet from each of 127.0.0.1, 127.0.0.2 and
// 127.1.2.3 to a stock collector and to a State using NewNamer gives the
// same HOST NAMEs.
func TestNamerMatchesStock(t *testing.T) {
	t.Parallel()
	col := stockganglia.StartCollector(t, stockganglia.CollectorOptions{})
	o := cluster.DefaultOptions()
	o.Namer = cluster.NewNamer(2 * time.Second)
	s := cluster.New(o)
	var packets []sent
	for _, src := range interopSources {
		packets = append(packets, sent{src, &xdr.Message{ID: xdr.IDMetadata, MetricID: xdr.MetricID{Host: "x", Name: "m"},
			Metadata: xdr.Metadata{Type: "uint32", Name: "m", TMax: 60}}})
	}
	sendAll(t, col.Addr, packets, func(p sent) { s.Apply(p.msg, p.src, time.Now()) })
	want := map[string]string{}
	for _, h := range s.Hosts() {
		want[h.Key] = h.Name
	}
	if len(want) != 3 || want["127.0.0.1"] != "localhost" {
		t.Errorf("our names %v", want)
	}
	col.WaitFor(t, interopTimeout, func(d *stockganglia.Doc) error {
		got := map[string]string{}
		for _, h := range d.Clusters[0].Hosts {
			got[h.IP] = h.Name
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			return fmt.Errorf("stock names %v, ours %v", got, want)
		}
		return nil
	})
}

// sendAll sends every packet to the stock daemon at to, from its source
// address, and hands it to apply.
func sendAll(t *testing.T, to string, packets []sent, apply func(sent)) {
	t.Helper()
	conns := map[netip.Addr]*net.UDPConn{}
	for _, p := range packets {
		conn := conns[p.src]
		if conn == nil {
			raddr, err := net.ResolveUDPAddr("udp4", to)
			if err != nil {
				t.Fatal(err)
			}
			conn, err = net.DialUDP("udp4", net.UDPAddrFromAddrPort(netip.AddrPortFrom(p.src, 0)), raddr)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { conn.Close() })
			conns[p.src] = conn
		}
		b, err := xdr.AppendMessage(nil, p.msg)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := conn.Write(b); err != nil {
			t.Fatal(err)
		}
		apply(p)
	}
}
