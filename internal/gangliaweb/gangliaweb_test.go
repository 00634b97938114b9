package gangliaweb

import (
	"fmt"
	"math"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/internal/browser"
	"github.com/ganglia-lpm/ganglia-lpm/internal/stockganglia"
)

const (
	testCluster = "gweb-unit"
	testHost    = "gweb01.example"
	waitTimeout = 60 * time.Second
)

// stockPipeline starts Debian's stock Ganglia: a sender gmond spoofing
// testHost, the collector gmond it sends to, and gmetad polling that
// collector every second (RRD step 1 s, so graphs have data within
// seconds). It returns once gmetad has written the RRDs the pages draw.
func stockPipeline(t *testing.T) *stockganglia.Gmetad {
	t.Helper()
	col := stockganglia.StartCollector(t, stockganglia.CollectorOptions{
		Cluster: stockganglia.ClusterInfo{Name: testCluster},
	})
	stockganglia.StartSender(t, stockganglia.SenderOptions{
		Channels:         []string{col.Addr},
		OverrideHostname: testHost, OverrideIP: "10.9.8.7",
	})
	gd := stockganglia.StartGmetad(t, stockganglia.GmetadOptions{
		DataSources: []stockganglia.DataSource{{Name: testCluster, Step: 1, Addrs: []string{col.Addr}}},
		RRAs:        []string{"RRA:AVERAGE:0.5:1:7200"},
	})
	gd.WaitFor(t, waitTimeout, stockganglia.HasMetric(testHost, "cpu_system"))
	for _, f := range []string{
		gd.RRDPath(testCluster, testHost, "load_one"),
		gd.RRDPath(testCluster, testHost, "cpu_system"),
		gd.RRDPath(testCluster, "__SummaryInfo__", "load_one"),
		filepath.Join(gd.RRDRoot, "__SummaryInfo__", "load_one.rrd"),
	} {
		stockganglia.WaitForFile(t, f, waitTimeout)
	}
	return gd
}

// TestStockGmetad runs ganglia-web against stock gmetad: what the PHP 8
// fixes make work, and what the parity test of the LPM scenario compares
// ours with.
func TestStockGmetad(t *testing.T) {
	start := time.Now()
	gd := stockPipeline(t)
	web := Start(t, Options{InteractiveAddr: gd.InteractiveAddr, RRDRoot: gd.RRDRoot})
	t.Logf("stock pipeline and ganglia-web up after %v", time.Since(start).Round(time.Millisecond))
	clusterPage := "?c=" + url.QueryEscape(testCluster)
	hostPage := clusterPage + "&h=" + url.QueryEscape(testHost)
	b := browser.New(t)

	t.Run("cluster page", func(t *testing.T) {
		page := web.Get(t, clusterPage)
		if sum, err := ClusterSummary(page); err != nil || sum.Up != 1 || sum.Down != 0 || sum.CPUs < 1 {
			t.Errorf("cluster overview %+v (%v), want 1 host up", sum, err)
		}
		if got := NodeMenu(page); !slices.Equal(got, []string{testHost}) {
			t.Errorf("node menu %q, want %s", got, testHost)
		}
		if got := HostGraphs(page); !slices.Equal(got, []string{testHost}) {
			t.Errorf("host graphs %q, want %s", got, testHost)
		}
		openClean(t, b, web.URL(clusterPage))
	})
	t.Run("host page", func(t *testing.T) {
		page := web.Get(t, hostPage)
		for _, want := range []string{testHost + " Host Report", "This host is up and running", "load_one - One Minute Load Average"} {
			if !strings.Contains(page, want) {
				t.Errorf("host page lacks %q", want)
			}
		}
		openClean(t, b, web.URL(hostPage))
	})
	t.Run("graph json", func(t *testing.T) {
		query := "c=" + url.QueryEscape(testCluster) + "&h=" + url.QueryEscape(testHost) + "&m=load_one&r=hour"
		var series []Series
		stockganglia.Eventually(t, waitTimeout, func() error {
			series = web.GraphJSON(t, query)
			if len(series) != 1 {
				return fmt.Errorf("%d series, want 1", len(series))
			}
			if len(series[0].Known()) == 0 {
				return fmt.Errorf("no known value in %d points", len(series[0].Points))
			}
			return nil
		})
		s := series[0]
		if strings.TrimSpace(s.Metric) != "load_one" || len(s.Points) < 300 {
			t.Errorf("series %q: %d points, want an hour of load_one", s.Metric, len(s.Points))
		}
		last := s.Known()[len(s.Known())-1]
		if age := time.Since(time.Unix(last.Time, 0)); age > time.Minute || age < -time.Minute {
			t.Errorf("last known point at %v, %v from now", time.Unix(last.Time, 0), age)
		}
	})
	t.Run("front page", func(t *testing.T) {
		page := web.Get(t, "")
		sources, err := FrontSources(page)
		if err != nil {
			t.Fatal(err)
		}
		for i := range sources {
			sources[i].CPUs = 0 // the machine's
		}
		want := []Source{
			{Name: "stockganglia-grid Grid (1 sources)", Grid: true, Summary: Summary{Up: 1}},
			{Name: testCluster, Summary: Summary{Up: 1}},
		}
		if !slices.Equal(sources, want) {
			t.Errorf("front page overviews %+v, want %+v", sources, want)
		}
		openClean(t, b, web.URL(""))
	})
	t.Logf("wall time %v", time.Since(start).Round(time.Millisecond))
}

// openClean opens url in b and fails t for anything in red in the DevTools
// console (uncaught exceptions, console errors, failed loads) and for an
// image without a picture other than the stacked graph. The list of
// excuses is complete: nothing of ganglia-web's own JavaScript needs one.
func openClean(t *testing.T, b *browser.Browser, url string) {
	t.Helper()
	page := b.Open(t, url)
	if page.Status != 200 {
		t.Errorf("%s: status %d", url, page.Status)
	}
	for _, p := range page.Problems() {
		t.Errorf("%s: console: %s", url, p)
	}
	for _, src := range BrokenImages(t, page) {
		if !IsStackedGraph(src) {
			t.Errorf("%s: image without a picture: %s", url, src)
		}
	}
	t.Logf("%s loaded in %v", url, page.LoadTime.Round(time.Millisecond))
	page.Close(t)
}

func TestPointUnmarshal(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Point
	}{
		{`[0.25, 1700000000]`, Point{1700000000, 0.25}},
		{`["NaN", 1700000015]`, Point{1700000015, math.NaN()}},
		{`[null, 1700000030]`, Point{1700000030, math.NaN()}},
	} {
		var p Point
		if err := p.UnmarshalJSON([]byte(c.in)); err != nil {
			t.Errorf("%s: %v", c.in, err)
			continue
		}
		if p.Time != c.want.Time || !(p.Value == c.want.Value || math.IsNaN(p.Value) && math.IsNaN(c.want.Value)) {
			t.Errorf("%s = %+v, want %+v", c.in, p, c.want)
		}
	}
	var p Point
	if err := p.UnmarshalJSON([]byte(`[1]`)); err == nil {
		t.Error("[1]: no error")
	}
}

func TestPHPErrors(t *testing.T) {
	page := []byte("<html>\nWarning: Undefined array key \"x\" in /w/a.php on line 3\n<p>Warning: text</p>\n" +
		"PHP Fatal error:  Uncaught Error: boom in /w/b.php:4\n")
	got := PHPErrors(page)
	if len(got) != 2 || !strings.HasPrefix(got[0], "Warning: Undefined") || !strings.HasPrefix(got[1], "PHP Fatal error") {
		t.Errorf("PHPErrors = %q", got)
	}
}
