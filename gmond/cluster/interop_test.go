package cluster

// Interop with a real stock collector gmond 3.7.2: the same packets go to it
// over UDP and to a State through Apply, and the two XML documents must
// agree attribute for attribute (times aside), as must the metadata
// requests both send for values that arrive without metadata.

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/internal/stockganglia"
	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

const interopTimeout = 15 * time.Second

var interopCluster = ClusterInfo{Name: "interop-cluster", Owner: "Interop Owner", LatLong: "N48.13 E11.57", URL: "http://example.com/interop"}

// sent is one datagram of the interop sequence and the address it comes from.
type sent struct {
	src netip.Addr
	msg *xdr.Message
}

// interopPackets covers: several hosts (two source addresses, a spoofed IP
// host, a spoofed override_hostname-style host), every value kind with
// stock module formats, extra data, heartbeat, location, non-spoofed names
// with ':', a spoofed "X:Y" name, values without metadata, metadata without
// a value, a metadata request, and updated values.
func interopPackets() []sent {
	a, b := localhost, netip.MustParseAddr("127.0.0.2")
	const spoofC, spoofD = "10.20.30.40:lpar-c.example.com", "lpar-d.example.com:lpar-d.example.com"
	extras := []xdr.Extra{{Name: "TITLE", Data: "A Title"}, {Name: "DESC", Data: "slope both => GAUGE"},
		{Name: "GROUP", Data: "interop"}, {Name: "GROUP", Data: "second group"}}
	var out []sent
	pair := func(src netip.Addr, host, name string, spoof bool, typ string, slope xdr.Slope, id xdr.MsgID, v xdr.Value) {
		md := xdr.Metadata{Type: typ, Name: name, Units: "u_" + typ, Slope: slope, TMax: 60, DMax: 3600, Extra: extras}
		out = append(out, sent{src, metadataMsg(host, name, spoof, md)}, sent{src, valueMsg(host, name, spoof, id, v)})
	}
	for _, host := range []struct {
		src   netip.Addr
		id    string
		spoof bool
	}{{a, "sender-a", false}, {a, spoofC, true}} {
		pair(host.src, host.id, "k_ushort", host.spoof, "uint16", xdr.SlopeZero, xdr.IDUShort, xdr.Value{Fmt: "%hu", U: 65535})
		pair(host.src, host.id, "k_short", host.spoof, "int16", xdr.SlopePositive, xdr.IDShort, xdr.Value{Fmt: "%hd", I: -1234})
		pair(host.src, host.id, "k_int", host.spoof, "int32", xdr.SlopeNegative, xdr.IDInt, xdr.Value{Fmt: "%d", I: -2000000000})
		pair(host.src, host.id, "k_uint", host.spoof, "uint32", xdr.SlopeBoth, xdr.IDUInt, xdr.Value{Fmt: "%u", U: 4000000000})
		pair(host.src, host.id, "k_string", host.spoof, "string", xdr.SlopeUnspecified, xdr.IDString, xdr.Value{Fmt: "%s", Str: `a <b> & "c" 'd'`})
		pair(host.src, host.id, "k_float", host.spoof, "float", xdr.SlopeDerivative, xdr.IDFloat, xdr.Value{Fmt: "%.2f", F32: 2.675})
		pair(host.src, host.id, "k_double", host.spoof, "double", xdr.SlopeBoth, xdr.IDDouble, xdr.Value{Fmt: "%.3f", F64: 85.0625})
		pair(host.src, host.id, "disk:sda:util", host.spoof, "float", xdr.SlopeBoth, xdr.IDFloat, xdr.Value{Fmt: "%.1f", F32: 42.5})
		pair(host.src, host.id, "heartbeat", host.spoof, "uint32", xdr.SlopeUnspecified, xdr.IDUInt, xdr.Value{Fmt: "%u", U: 1795000000})
		out = append(out,
			sent{host.src, valueMsg(host.id, "location", host.spoof, xdr.IDString, xdr.Value{Fmt: "%s", Str: "8231-E2D_06AB35T"})},
			sent{host.src, valueMsg(host.id, "orphan:x", host.spoof, xdr.IDUInt, xdr.Value{Fmt: "%u", U: 7})},
			sent{host.src, metadataMsg(host.id, "meta_only", host.spoof, xdr.Metadata{Type: "uint32", TMax: 60})},
			sent{host.src, valueMsg(host.id, "k_float", host.spoof, xdr.IDFloat, xdr.Value{Fmt: "%.2f", F32: 0.125})},
		)
	}
	pair(b, "sender-b", "load_one", false, "float", xdr.SlopeBoth, xdr.IDFloat, xdr.Value{Fmt: "%.2f", F32: 0.53})
	pair(b, "sender-b", "no_extras", false, "uint32", xdr.SlopeBoth, xdr.IDString, xdr.Value{Fmt: "%s", Str: "7"})
	out[len(out)-2].msg.Metadata.Extra = nil
	out = append(out, sent{b, &xdr.Message{ID: xdr.IDMetadataRequest, MetricID: xdr.MetricID{Host: "asker", Name: "load_one"}}})
	pair(a, spoofD, "temp:real", true, "float", xdr.SlopeBoth, xdr.IDFloat, xdr.Value{Fmt: "%.1f", F32: 21.5})
	out = append(out, sent{a, valueMsg(spoofD, "orphan_d", true, xdr.IDDouble, xdr.Value{Fmt: "%.3f", F64: 1})})
	pair(a, "sender-a", "sentinel", false, "uint32", xdr.SlopeBoth, xdr.IDUInt, xdr.Value{Fmt: "%u", U: 1})
	return out
}

// reverseDNS names hosts as getnameinfo does for stock gmond: the first
// name of the address, or nothing (then the IP text).
func reverseDNS(ip netip.Addr) string {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	names, err := net.DefaultResolver.LookupAddr(ctx, ip.String())
	if err != nil || len(names) == 0 {
		return ""
	}
	return strings.TrimSuffix(names[0], ".")
}

func TestInteropStockCollector(t *testing.T) {
	t.Parallel()
	sink := stockganglia.StartSink(t)
	col := stockganglia.StartCollector(t, stockganglia.CollectorOptions{
		Cluster:      stockganglia.ClusterInfo{Name: interopCluster.Name, Owner: interopCluster.Owner, LatLong: interopCluster.LatLong, URL: interopCluster.URL},
		Tags:         "interop-tag",
		SendChannels: []string{sink.Addr},
	})
	o := DefaultOptions()
	o.Tags, o.Namer = "interop-tag", reverseDNS
	s := New(o)

	ourRequests := sendBoth(t, s, col.Addr, interopPackets())
	doc := col.WaitFor(t, interopTimeout, stockganglia.HasMetric(hostName(t, s, "127.0.0.1"), "sentinel"))
	ours, err := stockganglia.ParseXML(dump(t, s, interopCluster, time.Now()))
	if err != nil {
		t.Fatal(err)
	}
	sc, oc := doc.Clusters[0], ours.Clusters[0]
	oc.LocalTime, sc.LocalTime = 0, 0
	if a, b := clusterAttrs(oc), clusterAttrs(sc); !slices.Equal(a, b) {
		t.Errorf("CLUSTER ours %q stock %q", a, b)
	}
	compareDocHosts(t, oc.Hosts, sc.Hosts, nil, true)
	if t.Failed() {
		t.Logf("stock XML:\n%s", body(col.XML(t)))
	}

	n := 0
	for _, h := range sc.Hosts {
		n += len(h.Metrics)
	}
	t.Logf("compared %d hosts with %d metrics; %d metadata requests", len(sc.Hosts), n, len(ourRequests))
	stockRequests := readRequests(t, sink, len(ourRequests))
	key := func(a, b xdr.MetricID) int { return strings.Compare(fmt.Sprint(a), fmt.Sprint(b)) }
	slices.SortFunc(stockRequests, key)
	slices.SortFunc(ourRequests, key)
	if !slices.Equal(stockRequests, ourRequests) {
		t.Errorf("metadata requests:\n ours  %+v\n stock %+v", ourRequests, stockRequests)
	}
}

// sendBoth sends every packet to the stock collector at addr and applies it
// to s; it returns the metadata requests s asked for.
func sendBoth(t *testing.T, s *State, addr string, packets []sent) []xdr.MetricID {
	t.Helper()
	var requests []xdr.MetricID
	conns := map[netip.Addr]*net.UDPConn{}
	for _, p := range packets {
		conn := conns[p.src]
		if conn == nil {
			conn = dialFrom(t, p.src, addr)
			conns[p.src] = conn
		}
		b, err := xdr.AppendMessage(nil, p.msg)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := conn.Write(b); err != nil {
			t.Fatal(err)
		}
		if r := apply(t, s, p.msg, p.src, time.Now()); r.NeedMetadata {
			requests = append(requests, r.Request)
		}
	}
	return requests
}

func hostName(t *testing.T, s *State, key string) string {
	t.Helper()
	for _, h := range s.Hosts() {
		if h.Key == key {
			return h.Name
		}
	}
	t.Fatalf("no host %s", key)
	return ""
}

func dialFrom(t *testing.T, src netip.Addr, to string) *net.UDPConn {
	t.Helper()
	raddr, err := net.ResolveUDPAddr("udp4", to)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.DialUDP("udp4", net.UDPAddrFromAddrPort(netip.AddrPortFrom(src, 0)), raddr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// readRequests collects the metadata requests the stock collector sent to
// the sink: want of them, then anything that follows within a moment.
func readRequests(t *testing.T, sink *stockganglia.Sink, want int) []xdr.MetricID {
	t.Helper()
	var got []xdr.MetricID
	deadline := time.After(interopTimeout)
	for {
		wait := time.After(200 * time.Millisecond) // late extras would show here
		if len(got) < want {
			wait = deadline
		}
		select {
		case d, ok := <-sink.C:
			if !ok {
				t.Fatal(errors.New("sink closed"))
			}
			m, err := xdr.Decode(d.Data)
			if err != nil || m.ID != xdr.IDMetadataRequest {
				t.Fatalf("stock sent %v (%v), want only metadata requests", m.ID, err)
			}
			got = append(got, m.MetricID)
		case <-wait:
			if len(got) < want {
				t.Fatalf("stock sent %d metadata requests, we asked %d times: %+v", len(got), want, got)
			}
			return got
		}
	}
}
