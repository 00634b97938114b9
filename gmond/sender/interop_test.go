package sender

// Interop with a real stock collector gmond 3.7.2 (internal/stockganglia):
// what the Sender sends shows up in its XML, and the metadata requests it
// sends back reach Serve.

import (
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/internal/stockganglia"
	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

const interopTimeout = 30 * time.Second

const interopHost = "lpar01.example.com"

func tempMetadata() *xdr.Metadata {
	return &xdr.Metadata{Type: "float", Name: "lpm_temp", Units: "C", Slope: xdr.SlopeBoth, TMax: 60,
		Extra: []xdr.Extra{{Name: "TITLE", Data: "Temperature"}, {Name: "GROUP", Data: "env"}}}
}

func tempPackets(t *testing.T, v float32) (md, val []byte) {
	t.Helper()
	id := xdr.MetricID{Host: interopHost, Name: "lpm_temp"}
	md, err := xdr.AppendMetadata(nil, id, tempMetadata())
	if err != nil {
		t.Fatal(err)
	}
	val, err = xdr.AppendValue(nil, xdr.IDFloat, id, &xdr.Value{Fmt: "%.1f", F32: v})
	if err != nil {
		t.Fatal(err)
	}
	return md, val
}

// hasTemp waits for lpm_temp of the host at 127.0.0.1 with value val.
func hasTemp(val string) func(*stockganglia.Doc) error {
	return func(d *stockganglia.Doc) error {
		for _, c := range d.AllClusters() {
			h := c.HostByIP("127.0.0.1")
			if h == nil {
				continue
			}
			m := h.Metric("lpm_temp")
			if m == nil {
				return fmt.Errorf("host %s has no lpm_temp", h.Name)
			}
			if m.Val != val || m.Type != "float" || m.Units != "C" || m.Slope != "both" {
				return fmt.Errorf("lpm_temp is VAL=%q TYPE=%q UNITS=%q SLOPE=%q", m.Val, m.Type, m.Units, m.Slope)
			}
			return nil
		}
		return fmt.Errorf("no host 127.0.0.1 in the XML")
	}
}

func TestInteropStockCollector(t *testing.T) {
	t.Parallel()
	col := stockganglia.StartCollector(t, stockganglia.CollectorOptions{})
	s := newTest(t, Options{Channels: []Channel{{Host: "127.0.0.1", Port: col.Port}}})
	md, val := tempPackets(t, 21.5)
	s.Send(md)
	s.Send(val)
	col.WaitFor(t, interopTimeout, hasTemp("21.5"))

	// After a Retarget to the same collector's port by name the same
	// socket goes on reaching it.
	if err := s.Retarget("localhost", col.Port); err != nil {
		t.Fatal(err)
	}
	_, val = tempPackets(t, 22.5)
	s.Send(val)
	col.WaitFor(t, interopTimeout, hasTemp("22.5"))
	if st := s.Stats(); st.Sent != 3 || st.SendErrors != 0 {
		t.Errorf("Stats = %+v", st)
	}
}

// TestInteropStockMetadataRequest: a stock collector that gets a value
// without metadata sends a gmetadata_request to its udp_send_channel. With
// that channel pointing at the agent's fixed source port, the request
// reaches OnRequest, and the metadata the agent sends in answer makes the
// metric appear.
func TestInteropStockMetadataRequest(t *testing.T) {
	t.Parallel()
	src := stockganglia.FreePort(t)
	col := stockganglia.StartCollector(t, stockganglia.CollectorOptions{
		SendChannels: []string{"127.0.0.1:" + strconv.Itoa(src)},
	})
	requests := make(chan xdr.MetricID, 16)
	s := newTest(t, Options{
		Channels:  []Channel{{Host: "127.0.0.1", Port: col.Port, SourcePort: src}},
		OnRequest: func(id xdr.MetricID) { requests <- id },
	})
	serve(t, s)
	md, val := tempPackets(t, 19.5)
	s.Send(val)
	select {
	case id := <-requests:
		if id.Name != "lpm_temp" || id.Spoof {
			t.Errorf("request %+v, want lpm_temp, not spoofed", id)
		}
		t.Logf("stock collector asked for %+v", id)
	case <-time.After(interopTimeout):
		t.Fatalf("no metadata request from the stock collector; its log:\n%s", col.Log())
	}
	s.Send(md)
	s.Send(val)
	col.WaitFor(t, interopTimeout, hasTemp("19.5"))
}
