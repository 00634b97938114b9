package cluster

// The golden replay: the 199 packets a stock collector gmond received in
// /work/shared/testdata/ganglia (a sender gmond spoofing lpar01.example.com,
// gmetric runs, a spoofed gmetric host and a plain gmetric from 127.0.0.1),
// replayed with their capture times, must give the XML that collector
// served at the time of its first dump.

import (
	"bufio"
	"bytes"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/internal/stockganglia"
	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

// captureCluster is the collector's cluster section (gmond-collector.conf).
var captureCluster = ClusterInfo{
	Name: "P770-DC1-R05", Owner: "Golden Owner", LatLong: "N48.13 E11.57", URL: "http://example.com/p770",
}

// captureOptions are the collector's globals: host_tmax 20, host_dmax
// 86400, tags "collector-tag"; 127.0.0.1 resolves to localhost.
func captureOptions() Options {
	o := testOptions()
	o.Tags = "collector-tag"
	return o
}

type capturedPacket struct {
	seq  int
	at   time.Time
	src  netip.Addr
	data []byte
}

// readCapture reads testdata/capture/capture.tsv and the packets it lists.
func readCapture(t testing.TB) []capturedPacket {
	t.Helper()
	f, err := os.Open("testdata/capture/capture.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []capturedPacket
	sc := bufio.NewScanner(f)
	sc.Scan() // header: seq recv_unix_time src length msg_id
	for sc.Scan() {
		fields := strings.Split(sc.Text(), "\t")
		if len(fields) != 5 {
			t.Fatalf("capture.tsv: bad line %q", sc.Text())
		}
		seq, _ := strconv.Atoi(fields[0])
		at := parseUnixTime(t, fields[1])
		src := netip.MustParseAddrPort(fields[2]).Addr()
		data, err := os.ReadFile(filepath.Join("testdata/capture", fmt4(seq)+".bin"))
		if err != nil {
			t.Fatal(err)
		}
		if strconv.Itoa(len(data)) != fields[3] {
			t.Fatalf("packet %d: %d bytes, capture.tsv says %s", seq, len(data), fields[3])
		}
		out = append(out, capturedPacket{seq: seq, at: at, src: src, data: data})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(out) != 199 {
		t.Fatalf("capture has %d packets, want 199", len(out))
	}
	return out
}

func fmt4(n int) string { return strings.Repeat("0", 4-len(strconv.Itoa(n))) + strconv.Itoa(n) }

// parseUnixTime parses "seconds.fraction".
func parseUnixTime(t testing.TB, s string) time.Time {
	t.Helper()
	sec, frac, _ := strings.Cut(s, ".")
	secs, err := strconv.ParseInt(sec, 10, 64)
	if err != nil {
		t.Fatalf("bad time %q", s)
	}
	frac = (frac + "000000000")[:9]
	ns, err := strconv.ParseInt(frac, 10, 64)
	if err != nil {
		t.Fatalf("bad time %q", s)
	}
	return time.Unix(secs, ns)
}

// replay applies every captured packet received before until.
func replay(t testing.TB, s *State, until time.Time) int {
	t.Helper()
	var m xdr.Message
	n := 0
	for _, p := range readCapture(t) {
		if !p.at.Before(until) {
			continue
		}
		if err := xdr.DecodeInto(&m, p.data); err != nil {
			t.Fatalf("packet %d: %v", p.seq, err)
		}
		apply(t, s, &m, p.src, p.at)
		n++
	}
	return n
}

func readDumpTime(t testing.TB) time.Time {
	t.Helper()
	b, err := os.ReadFile("testdata/capture/gmond-dump-1.time")
	if err != nil {
		t.Fatal(err)
	}
	return parseUnixTime(t, strings.TrimSpace(string(b)))
}

// q5Host is the spoofed-heartbeat host whose GMOND_STARTED stock gets
// wrong (Q5): it prints a pointer's low bits, we print the parsed "0".
const q5Host = "spoofed.example.com"

func TestGoldenReplay(t *testing.T) {
	at := readDumpTime(t)
	s := New(captureOptions())
	n := replay(t, s, at)
	got := dump(t, s, captureCluster, at)
	checkWellFormed(t, got)
	stockXML, err := os.ReadFile("testdata/capture/gmond-dump-1.xml")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("replayed %d packets up to %v", n, at)

	ours, err := stockganglia.ParseXML(got)
	if err != nil {
		t.Fatal(err)
	}
	stock, err := stockganglia.ParseXML(stockXML)
	if err != nil {
		t.Fatal(err)
	}
	if ours.Version != stock.Version || ours.Source != stock.Source {
		t.Errorf("GANGLIA_XML %s/%s, stock %s/%s", ours.Version, ours.Source, stock.Version, stock.Source)
	}
	if len(ours.Clusters) != 1 || len(stock.Clusters) != 1 {
		t.Fatalf("clusters: ours %d, stock %d", len(ours.Clusters), len(stock.Clusters))
	}
	oc, sc := ours.Clusters[0], stock.Clusters[0]
	if oc.Name != sc.Name || oc.LocalTime != sc.LocalTime || oc.Owner != sc.Owner ||
		oc.LatLong != sc.LatLong || oc.URL != sc.URL {
		t.Errorf("CLUSTER ours %+v\nstock %+v", clusterAttrs(oc), clusterAttrs(sc))
	}
	compareDocHosts(t, oc.Hosts, sc.Hosts, hostExceptions{q5Host: func(ours, stock *stockganglia.Host) {
		if ours.GmondStarted != 0 {
			t.Errorf("%s: GMOND_STARTED = %d, want 0 (the string heartbeat \"0\", parsed: Q5)", q5Host, ours.GmondStarted)
		}
		stock.GmondStarted = ours.GmondStarted
	}}, false)

	// Byte level: stock's document with its hosts and metrics put in our
	// order (stock's is hash order) must be ours, line for line.
	if want := strings.Replace(string(stockXML), `GMOND_STARTED="-1065984480"`, `GMOND_STARTED="0"`, 1); canonical(want) != canonical(string(got)) {
		t.Errorf("our XML differs from stock's (orders normalised):\n%s", lineDiff(canonical(want), canonical(string(got))))
	}
	if !strings.HasPrefix(string(got), string(stockXML[:strings.Index(string(stockXML), "<GANGLIA_XML")])) {
		t.Errorf("the prolog and DTD differ from stock's")
	}

	golden(t, "testdata/replay.golden", got)
}

func clusterAttrs(c stockganglia.Cluster) []string {
	return []string{c.Name, strconv.FormatInt(c.LocalTime, 10), c.Owner, c.LatLong, c.URL}
}

// golden compares got with the file at path, or rewrites it with -update.
func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (rerun with -update if intended):\n%s", path, lineDiff(string(want), string(got)))
	}
}
