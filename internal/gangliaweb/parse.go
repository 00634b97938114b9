package gangliaweb

import (
	"fmt"
	"html"
	"regexp"
	"strconv"
	"strings"
)

// Summary is the overview ganglia-web prints for the grid and for each
// cluster: the "CPUs Total", "Hosts up" and "Hosts down" lines, from
// gmetad's summary (cpu_num's SUM, HOSTS UP and DOWN).
type Summary struct {
	CPUs, Up, Down int
}

// Source is one grid or cluster of the front page, in page order.
type Source struct {
	Name string // the cluster name; for the grid, its title ("<name> Grid (N sources)")
	Grid bool
	Summary
}

var (
	frontSource     = regexp.MustCompile(`<td class=(grid|cluster) colspan="3">\s*<a href="[^"]*"><strong>([^<]*)</strong>`)
	frontCPUs       = regexp.MustCompile(`CPUs Total:</td><td align="left"><B>(\d*)</B>`)
	frontUp         = regexp.MustCompile(`Hosts up:</td><td align="left"><B>(\d*)</B>`)
	frontDown       = regexp.MustCompile(`Hosts down:</td><td align="left"><B>(\d*)</B>`)
	clusterOverview = regexp.MustCompile(`(?s)<div id="cluster_overview">` +
		`.*?CPUs Total:</td><td align=left><B>(\d+)</B>` +
		`.*?Hosts up:</td><td align=left><B>(\d+)</B>` +
		`.*?Hosts down:</td><td align=left><B>(\d+)</B>`)
	nodeMenu  = regexp.MustCompile(`(?s)<select name="h"[^>]*><option value="">--Choose a Node</option>(.*?)</select>`)
	option    = regexp.MustCompile(`<option value="([^"]*)"`)
	downHost  = regexp.MustCompile(`(?s)<td class=down>\s*<b>\s*<a href=[^>]*>([^<]*)</a>`)
	hostGraph = regexp.MustCompile(`(?s)<img src="\./graph\.php\?[^"]*"\s+class="host_[a-z]+_zoomable"\s+title="([^"]*)"`)
)

// FrontSources parses the front page (the grid view): the grid's overview
// and every cluster's, in page order. An empty figure (a cluster without
// hosts has no cpu_num sum) reads as 0.
func FrontSources(page string) ([]Source, error) {
	starts := frontSource.FindAllStringSubmatchIndex(page, -1)
	if len(starts) == 0 {
		return nil, fmt.Errorf("no grid or cluster overview in the front page")
	}
	var out []Source
	for i, m := range starts {
		end := len(page)
		if i+1 < len(starts) {
			end = starts[i+1][0]
		}
		block := page[m[1]:end]
		s := Source{Name: html.UnescapeString(page[m[4]:m[5]]), Grid: page[m[2]:m[3]] == "grid"}
		for _, f := range []struct {
			re  *regexp.Regexp
			dst *int
		}{{frontCPUs, &s.CPUs}, {frontUp, &s.Up}, {frontDown, &s.Down}} {
			v := f.re.FindStringSubmatch(block)
			if v == nil {
				return nil, fmt.Errorf("front page: %s: no %q", s.Name, f.re)
			}
			*f.dst, _ = strconv.Atoi(v[1])
		}
		out = append(out, s)
	}
	return out, nil
}

// ClusterSummary parses the overview of a cluster page.
func ClusterSummary(page string) (Summary, error) {
	m := clusterOverview.FindStringSubmatch(page)
	if m == nil {
		return Summary{}, fmt.Errorf("no cluster overview in the page")
	}
	var s Summary
	s.CPUs, _ = strconv.Atoi(m[1])
	s.Up, _ = strconv.Atoi(m[2])
	s.Down, _ = strconv.Atoi(m[3])
	return s, nil
}

// NodeMenu returns the hosts of a cluster page's "Choose a Node" menu:
// every host gmetad lists in the cluster, up or down.
func NodeMenu(page string) []string {
	m := nodeMenu.FindStringSubmatch(page)
	if m == nil {
		return nil
	}
	var hosts []string
	for _, o := range option.FindAllStringSubmatch(m[1], -1) {
		hosts = append(hosts, html.UnescapeString(o[1]))
	}
	return hosts
}

// HostGraphs returns the hosts a cluster page draws a graph for, in page
// order.
func HostGraphs(page string) []string {
	var hosts []string
	for _, m := range hostGraph.FindAllStringSubmatch(page, -1) {
		hosts = append(hosts, html.UnescapeString(strings.TrimSpace(m[1])))
	}
	return hosts
}

// DownHosts returns the hosts a cluster page shows as down (no heartbeat
// for four times their TMAX), in page order; they have no graph.
func DownHosts(page string) []string {
	var hosts []string
	for _, m := range downHost.FindAllStringSubmatch(page, -1) {
		hosts = append(hosts, html.UnescapeString(strings.TrimSpace(m[1])))
	}
	return hosts
}
