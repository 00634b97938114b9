//go:build linux

// The sysroot fixtures are Linux trees: identity.Read looks at /proc only
// when runtime.GOOS is linux, so these tests build there only.

package main

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmond/sysroot"
	"github.com/ganglia-lpm/ganglia-lpm/internal/stockganglia"
	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

const stockGmond = "/usr/sbin/gmond"

// startStockGmond runs Debian's stock gmond in the foreground on conf.
func startStockGmond(t *testing.T, conf string) *stockganglia.Process {
	t.Helper()
	if fi, err := os.Stat(stockGmond); err != nil || fi.Mode().Perm()&0o111 == 0 {
		t.Fatalf("%s (stock Ganglia 3.7.2) is not installed; run `make deps`", stockGmond)
	}
	return stockganglia.Launch(t, "gmond", filepath.Dir(conf), stockGmond, "-c", conf, "-f")
}

// writeMapping writes a mapping file into dir and returns its path.
func writeMapping(t *testing.T, dir, text string) string {
	t.Helper()
	path := filepath.Join(dir, "lpm.toml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestRenderStockGmondSends renders the default template and runs stock
// gmond on the result: its packets reach the port the mapping gives the
// P9's managed system, every module loads from its relative path, and the
// location metric carries the model_serial.
func TestRenderStockGmondSends(t *testing.T) {
	sink := stockganglia.StartSink(t)
	_, portText, _ := net.SplitHostPort(sink.Addr)
	port, _ := strconv.Atoi(portText)
	defaultPort := 8300
	if port == defaultPort {
		defaultPort++
	}
	dir := t.TempDir()
	mappingFile := writeMapping(t, dir, fmt.Sprintf(`collector = "127.0.0.1"
[default]
cluster = "Unmapped"
port = %d
[[managed_system]]
name = "P9-DC1-R01"
model_serial = "9009-42A_21ABCDE"
port = %d
`, defaultPort, port))
	// The P9 fixture, with this machine's module directory instead of the
	// fixture's, since the real stock gmond loads them.
	modules := moduleDir(sysroot.New("/"), runtime.GOARCH)
	if modules == "" {
		t.Fatal("stock gmond's metric modules (modcpu.so) not found; run `make deps`")
	}
	root := filepath.Join(dir, "root")
	for name, data := range map[string]string{
		"proc/ppc64/lparcfg":       readText(t, "testdata/render/p9/proc/ppc64/lparcfg"),
		modules[1:] + "/modcpu.so": "",
	} {
		path := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(dir, "gmond.conf")
	r := runCmd(t, nil, "render", "--mapping", mappingFile, "--sysroot", root, "--hostname", "lnxlpar01", "--out", out)
	if r.code != exitOK {
		t.Fatal(r)
	}
	if os.Geteuid() != 0 {
		// Only root can switch to user nobody; the rest is run unchanged.
		text := strings.Replace(readText(t, out), "setuid = yes", "setuid = no", 1)
		if err := os.WriteFile(out, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	gmond := startStockGmond(t, out)

	// One metric of each module the template loads: core, cpu, mem, load,
	// disk, proc, net, sys. Stock gmond sends all of them at start-up.
	missing := map[string]bool{"location": true, "cpu_num": true, "mem_total": true, "load_one": true,
		"disk_total": true, "proc_total": true, "bytes_in": true, "os_name": true}
	location := ""
	deadline := time.After(60 * time.Second)
	for len(missing) > 0 || location == "" {
		select {
		case d := <-sink.C:
			m, err := xdr.Decode(d.Data)
			if err != nil {
				t.Fatalf("stock gmond sent a packet that does not decode: %v", err)
			}
			delete(missing, m.Name)
			if m.Name == "location" && m.ID != xdr.IDMetadata {
				location = m.Value.Str
			}
		case <-deadline:
			t.Fatalf("after 60 s, no packets for %v (location %q) at %s; gmond log:\n%s",
				missing, location, sink.Addr, gmond.Log())
		}
	}
	if location != "9009-42A_21ABCDE" {
		t.Errorf("location metric %q, want the model_serial", location)
	}
}

// TestRenderQuoteStockGmond renders a collector gmond.conf from a custom
// template with awkward names and reads them back from stock gmond's XML:
// quote escapes what stock libconfuse would otherwise unescape or expand.
func TestRenderQuoteStockGmond(t *testing.T) {
	const cluster = `Odd "name" ${HOME} \ $x`
	const host = `lnx${PATH}'q'`
	port := stockganglia.FreePort(t)
	dir := t.TempDir()
	mappingFile := writeMapping(t, dir, fmt.Sprintf(`collector = "127.0.0.1"
[default]
cluster = "Unmapped"
port = %d
[[managed_system]]
name = %q
model_serial = "9009-42A_21ABCDE"
port = %d
`, port+1, cluster, port))
	tmpl := filepath.Join(dir, "collector.tmpl")
	text := `globals { daemonize = no setuid = no mute = yes deaf = no }
cluster { name = {{quote .Cluster}} owner = {{quote .Hostname}} }
udp_recv_channel { bind = "127.0.0.1" port = {{.Port}} }
tcp_accept_channel { bind = "127.0.0.1" port = {{.Port}} }
`
	if err := os.WriteFile(tmpl, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "gmond.conf")
	r := runCmd(t, nil, "render", "--mapping", mappingFile, "--template", tmpl, "--sysroot", "testdata/render/p9",
		"--hostname", host, "--out", out)
	if r.code != exitOK {
		t.Fatal(r)
	}
	gmond := startStockGmond(t, out)
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	var xml []byte
	if err := gmond.WaitReady(30*time.Second, func() (err error) {
		xml, err = stockganglia.FetchXML(addr, 5*time.Second)
		return err
	}); err != nil {
		t.Fatalf("%v; gmond log:\n%s", err, gmond.Log())
	}
	// Stock gmond prints attribute values without escaping them (the XML
	// is then malformed, PROTOCOL.md §3, Q7), so compare the raw text.
	want := fmt.Sprintf(`<CLUSTER NAME="%s" LOCALTIME=`, cluster)
	if !strings.Contains(string(xml), want) || !strings.Contains(string(xml), `OWNER="`+host+`"`) {
		t.Errorf("stock gmond's XML lacks %s and OWNER=%q:\n%s", want, host, xml)
	}
}
