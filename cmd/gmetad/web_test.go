package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/internal/stockganglia"
)

// checkReport is what `ganglia-lpm check --json` writes for a tree with
// one link left dangling and one stray file fixed.
const checkReport = `{"type":"finding","path":"/srv/rrds/P550/gone","rule":"dangling-link","message":"leads nowhere","action":"reported"}
{"type":"finding","path":"/srv/rrds/LPARS/a/x.tmp","rule":"stray-file","message":"not an RRD","action":"fixed: removed"}
{"type":"summary","root":"/srv/rrds","fix":true,"rrd_files":10,"directories":4,"links":2,"findings":2,"fixed":1,"left":1,"exit":1}
`

// webGet fetches url and returns the body; a status other than 200 is an
// error.
func webGet(url string) (string, error) {
	c := http.Client{Timeout: unitTimeout}
	resp, err := c.Get(url)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return string(b), fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return string(b), nil
}

// TestWebSource: the web interface of an in-process gmetad sees the
// packets of each port, the XML requests, the RRD writer and the tree
// check report, and finds its host under the right cluster.
func TestWebSource(t *testing.T) {
	s := newUnitSite(t)
	report := filepath.Join(s.dir, "lpm-check.json")
	writeText(t, report, checkReport)
	appendConf(t, s, fmt.Sprintf("check_report %q", report))
	r := startUnit(t, s)
	base := "http://" + r.app.web.Addr().String()
	if !strings.Contains(r.logs.String(), "web="+base+"/") {
		t.Errorf("the start-up line does not say web=%s/:\n%s", base, r.logs.String())
	}
	src := newSender(t)
	src.send(t, s.portA, temperature(t, 21.5)...)
	stockganglia.Eventually(t, unitTimeout, func() error {
		_, err := fetchHost(addr(s.xmlPort), "P550")
		return err
	})

	if body, err := webGet(base + "/healthz"); err != nil || strings.TrimSpace(body) != "ok" {
		t.Errorf("/healthz: %q, %v", body, err)
	}
	var h struct {
		Ports []struct {
			Port                  int
			Cluster               string
			Packets, Bytes, Hosts uint64
		}
		RRD struct {
			LastStep *time.Time `json:"last_step"`
		}
		XMLRequests uint64 `json:"xml_requests"`
		TreeCheck   *struct {
			Path     string
			Findings int
			Error    string
		} `json:"tree_check"`
	}
	stockganglia.Eventually(t, unitTimeout, func() error {
		body, err := webGet(base + "/api/health")
		if err != nil {
			return err
		}
		if err := json.Unmarshal([]byte(body), &h); err != nil {
			return err
		}
		if h.RRD.LastStep == nil {
			return fmt.Errorf("no RRD step written yet: %s", body)
		}
		return nil
	})
	var sawA bool
	for _, p := range h.Ports {
		if p.Port == s.portA {
			sawA = true
			if p.Cluster != "P550" || p.Packets != 2 || p.Bytes == 0 || p.Hosts != 1 {
				t.Errorf("port %d in /api/health: %+v, want P550 with 2 packets and 1 host", p.Port, p)
			}
		}
	}
	if !sawA || len(h.Ports) != 2 {
		t.Errorf("/api/health ports = %+v, want ports %d and %d", h.Ports, s.portA, s.portB)
	}
	if h.XMLRequests == 0 {
		t.Errorf("/api/health xml_requests = 0 after XML was fetched")
	}
	if h.TreeCheck == nil || h.TreeCheck.Path != report || h.TreeCheck.Findings != 1 || h.TreeCheck.Error != "" {
		t.Errorf("/api/health tree_check = %+v, want 1 finding left from %s", h.TreeCheck, report)
	}

	metrics, err := webGet(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf(`gmetad_udp_packets_total{port="%d",cluster="P550"} 2`, s.portA)
	if !strings.Contains(metrics, want) {
		t.Errorf("/metrics lacks %s:\n%s", want, metrics)
	}
}

// TestWebAddressInUse: a web_address that cannot be bound stops the start,
// like a busy XML port, naming the directive.
func TestWebAddressInUse(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	s := newUnitSite(t)
	appendConf(t, s, "web_address "+busy.Addr().String())
	var stderr lockedBuffer
	code := unitEnv(t).run(context.Background(), []string{"-f", "-c", s.conf, "-p", s.pid}, &bytes.Buffer{}, &stderr)
	if code != exitFailed {
		t.Fatalf("exit %d, want %d\n%s", code, exitFailed, stderr.String())
	}
	if out := stderr.String(); !strings.Contains(out, "web_address") || !strings.Contains(out, "address already in use") {
		t.Errorf("output does not name web_address and the busy port:\n%s", out)
	}
	if _, err := os.Stat(s.pid); !os.IsNotExist(err) {
		t.Errorf("a failed start left the pid file: %v", err)
	}
}

// TestTreeCheckCache: the report is read again when it changes, and a
// missing one is reported as such.
func TestTreeCheckCache(t *testing.T) {
	var c treeCheckCache
	path := filepath.Join(t.TempDir(), "lpm-check.json")
	if tc := c.get(path); tc == nil || tc.Err == "" {
		t.Errorf("missing report: %+v, want an error", tc)
	}
	writeText(t, path, checkReport)
	first := c.get(path)
	if first.Err != "" || first.Findings != 1 || first.ByRule["dangling-link"] != 1 {
		t.Fatalf("report: %+v", first)
	}
	if again := c.get(path); again != first {
		t.Errorf("an unchanged report was read again")
	}
	clean := `{"type":"summary","root":"/srv/rrds","fix":false,"rrd_files":10,"directories":4,"links":2,"findings":0,"fixed":0,"left":0,"exit":0}` + "\n"
	writeText(t, path, clean)
	later := time.Now().Add(time.Minute)
	if err := os.Chtimes(path, later, later); err != nil {
		t.Fatal(err)
	}
	if tc := c.get(path); tc.Err != "" || tc.Findings != 0 {
		t.Errorf("report after the next check: %+v, want clean", tc)
	}
}

// webStatusFrom GETs url from the local address ip and returns the status.
func webStatusFrom(t *testing.T, ip, url string) int {
	t.Helper()
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: unitTimeout}
	c := http.Client{Timeout: unitTimeout, Transport: &http.Transport{DialContext: d.DialContext}}
	resp, err := c.Get(url)
	if err != nil {
		t.Fatalf("GET %s from %s: %v", url, ip, err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestWebTrustedHosts: the web interface admits whom the XML ports admit:
// 127.0.0.1 always, other addresses only when in trusted_hosts.
func TestWebTrustedHosts(t *testing.T) {
	s := newUnitSite(t)
	appendConf(t, s, "trusted_hosts 127.0.0.3")
	r := startUnit(t, s)
	url := "http://" + r.app.web.Addr().String() + "/api/grid"
	for ip, want := range map[string]int{"127.0.0.1": http.StatusOK, "127.0.0.2": http.StatusForbidden,
		"127.0.0.3": http.StatusOK} {
		if got := webStatusFrom(t, ip, url); got != want {
			t.Errorf("GET from %s: status %d, want %d", ip, got, want)
		}
	}
}
