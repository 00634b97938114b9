package main

import (
	"bytes"
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/internal/loadgen"
)

func TestParse(t *testing.T) {
	cfg, d, err := parse([]string{"-hosts", "10", "-metrics", "5", "-interval", "1s", "-duration", "2s",
		"-target", "127.0.0.1:8301=0-4", "-target", "127.0.0.1:8302=5-9", "-source-base", "127.3.0.1", "-spoof"}, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	want := []loadgen.Target{{Addr: "127.0.0.1:8301", End: 5}, {Addr: "127.0.0.1:8302", First: 5, End: 10}}
	if cfg.Hosts != 10 || cfg.Metrics != 5 || cfg.Interval != time.Second || d != 2*time.Second || !cfg.Spoof ||
		!cfg.Heartbeat || cfg.SourceBase.String() != "127.3.0.1" || len(cfg.Targets) != 2 || cfg.Targets[0] != want[0] || cfg.Targets[1] != want[1] {
		t.Errorf("parse = %+v, %v", cfg, d)
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{},                                  // no target
		{"-target", "nowhere"},              // no port
		{"-target", "127.0.0.1:1=9-1"},      // bad range
		{"-target", "127.0.0.1:1", "extra"}, // stray argument
		{"-target", "127.0.0.1:1", "-hosts", "0"},
		{"-target", "127.0.0.1:1", "-source-base", "x"},
	} {
		var stderr bytes.Buffer
		if code := run(context.Background(), args, &stderr); code != exitUsage {
			t.Errorf("run %q = %d, want %d; stderr:\n%s", args, code, exitUsage, stderr.String())
		}
	}
}

// TestRunDuration sends to a local socket for a short -duration and exits 0
// with a final stats line; the packets come from 127.1.0.x.
func TestRunDuration(t *testing.T) {
	sink, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	var stderr bytes.Buffer
	code := run(context.Background(), []string{"-hosts", "3", "-metrics", "2", "-interval", "20ms",
		"-duration", "100ms", "-target", sink.LocalAddr().String()}, &stderr)
	if code != exitOK || !strings.Contains(stderr.String(), "msg=stopped") {
		t.Fatalf("exit %d, log:\n%s", code, stderr.String())
	}
	buf := make([]byte, 2048)
	sink.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, from, err := sink.ReadFromUDPAddrPort(buf)
	if err != nil || from.Addr().String() != "127.1.0.1" {
		t.Errorf("first packet from %v (%v), want host 0 = 127.1.0.1", from, err)
	}
}
