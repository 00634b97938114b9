package main

// The web interface end to end: the binary with two managed systems, three
// simulated LPARs from their own loopback addresses, one LPM move, then the
// JSON API, /metrics and /healthz, and a restart that keeps the move.

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/internal/stockganglia"
)

// webJSON fetches url and decodes its JSON into v.
func webJSON(url string, v any) error {
	body, err := webGet(url)
	if err != nil {
		return err
	}
	if err := json.Unmarshal([]byte(body), v); err != nil {
		return fmt.Errorf("%s: %w\n%s", url, err, body)
	}
	return nil
}

type apiGrid struct {
	Systems []struct {
		Name     string
		LPARs    int `json:"lpars"`
		Up, Down int
		MovesIn  int `json:"moves_in"`
		MovesOut int `json:"moves_out"`
	}
}

type apiSystem struct {
	Hosts []struct {
		Name, System, IP string
		Up               bool
	}
}

type apiMoves struct {
	Moves []struct {
		Host, From, To, Key string
	}
	Remembered int
}

// TestE2EWeb: /api/grid counts each system's LPARs, /api/system lists them
// by name under the system they report to, /api/moves has the one move,
// /metrics counts the packets of both ports, /healthz answers, and after
// a restart (state file) /api/moves still has the move.
func TestE2EWeb(t *testing.T) {
	t.Parallel()
	webAddr := "127.0.0.1:" + strconv.Itoa(stockganglia.FreePort(t))
	g := startGmetad(t, gmetadOptions{
		Systems: []system{
			{Name: "P550-DC1-R01", Serial: "8204-E8A_0000001"},
			{Name: "P770-DC1-R05", Serial: "9117-MMB_0000002"},
		},
		Extra: []string{"web_address " + webAddr, "lpm_conflict_window 2"},
	})
	base := "http://" + webAddr
	if !strings.Contains(g.log(), "web="+base+"/") {
		t.Errorf("the start-up line does not say web=%s/", base)
	}
	a, b := g.Systems[0], g.Systems[1]
	ips := []string{"127.0.0.31", "127.0.0.32", "127.0.0.33"}
	l1 := startLPAR(t, ips[0], a.Port, "1.25")
	l2 := startLPAR(t, ips[1], a.Port, "1.50")
	l3 := startLPAR(t, ips[2], b.Port, "1.75")
	waitPlaced(t, g, map[string]string{ips[0]: a.Name, ips[1]: a.Name, ips[2]: b.Name})
	l2.moveTo(b.Port, "2.50")
	names := waitPlaced(t, g, map[string]string{ips[0]: a.Name, ips[1]: b.Name, ips[2]: b.Name})
	n1, n2, n3 := names[ips[0]], names[ips[1]], names[ips[2]]

	if body, err := webGet(base + "/healthz"); err != nil || strings.TrimSpace(body) != "ok" {
		t.Errorf("/healthz: %q, %v", body, err)
	}
	checkWebGrid(t, base, map[string][]string{a.Name: {n1}, b.Name: {n2, n3}})
	checkWebMove(t, base, n2, a.Name, b.Name)
	checkWebPackets(t, base, a, b)

	for _, l := range []*lpar{l1, l2, l3} {
		l.stop()
	}
	g.Stop(t)
	g.restart(t, 2)
	checkWebMove(t, base, n2, a.Name, b.Name)
}

// waitPlaced waits until the xml_port document lists each source address
// of want in its cluster and in no other, and returns the hosts' names.
func waitPlaced(t *testing.T, g *gmetad, want map[string]string) map[string]string {
	t.Helper()
	names := map[string]string{}
	stockganglia.Eventually(t, 15*time.Second, func() error {
		d, _, err := fetchDoc(g.XMLAddr)
		if err != nil {
			return err
		}
		for ip, cluster := range want {
			found := false
			for _, c := range d.AllClusters() {
				h := c.HostByIP(ip)
				switch {
				case h == nil:
				case c.Name != cluster:
					return fmt.Errorf("host %s in %s, want %s", ip, c.Name, cluster)
				default:
					found, names[ip] = true, h.Name
				}
			}
			if !found {
				return fmt.Errorf("host %s not (yet) in %s", ip, cluster)
			}
		}
		return nil
	})
	return names
}

// checkWebGrid checks /api/grid's counts and /api/system's lists: each
// system holds exactly the LPARs in want, all up, one move between them.
func checkWebGrid(t *testing.T, base string, want map[string][]string) {
	t.Helper()
	var grid apiGrid
	if err := webJSON(base+"/api/grid", &grid); err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, s := range grid.Systems {
		w, ok := want[s.Name]
		moves := 0
		if ok {
			seen, moves = seen+1, 1
		}
		if s.LPARs != len(w) || s.Up != len(w) || s.Down != 0 || s.MovesIn+s.MovesOut != moves {
			t.Errorf("/api/grid %s: %+v, want %d LPARs up and %d move", s.Name, s, len(w), moves)
		}
	}
	if seen != len(want) {
		t.Errorf("/api/grid systems = %+v, want %d of them with LPARs", grid.Systems, len(want))
	}
	for name, w := range want {
		var sys apiSystem
		if err := webJSON(base+"/api/system/"+name, &sys); err != nil {
			t.Error(err)
			continue
		}
		var got []string
		for _, h := range sys.Hosts {
			got = append(got, h.Name)
			if !h.Up || h.System != name {
				t.Errorf("/api/system/%s host %+v: want up, on %s", name, h, name)
			}
		}
		slices.Sort(got)
		w = slices.Sorted(slices.Values(w))
		if !slices.Equal(got, w) {
			t.Errorf("/api/system/%s hosts = %q, want %q", name, got, w)
		}
	}
}

// checkWebMove checks that /api/moves holds exactly the move of host.
func checkWebMove(t *testing.T, base, host, from, to string) {
	t.Helper()
	var mv apiMoves
	if err := webJSON(base+"/api/moves", &mv); err != nil {
		t.Fatal(err)
	}
	if len(mv.Moves) != 1 || mv.Remembered != 1 {
		t.Fatalf("/api/moves = %+v, want one move", mv)
	}
	if m := mv.Moves[0]; m.Host != host || m.From != from || m.To != to {
		t.Errorf("/api/moves: %+v, want %s from %s to %s", m, host, from, to)
	}
}

// checkWebPackets checks that /metrics counts packets on both ports.
func checkWebPackets(t *testing.T, base string, systems ...system) {
	t.Helper()
	body, err := webGet(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range systems {
		re := regexp.MustCompile(fmt.Sprintf(`(?m)^gmetad_udp_packets_total\{port="%d",cluster="%s"\} (\d+)$`,
			s.Port, regexp.QuoteMeta(s.Name)))
		m := re.FindStringSubmatch(body)
		if m == nil {
			t.Errorf("/metrics has no packet count of port %d:\n%s", s.Port, body)
			continue
		}
		// Each LPAR sends 4 metadata and 4 values before it is listed.
		if n, _ := strconv.Atoi(m[1]); n < 8 {
			t.Errorf("/metrics: %d packets on port %d, want at least 8", n, s.Port)
		}
	}
}
