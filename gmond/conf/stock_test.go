package conf

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// stockGroups are the collection groups of stock gmond 3.7.2's built-in
// default (gmond -t; PROTOCOL.md §6, "upstream default" column): collect
// once / collect_every / time_threshold, then "name vt title" per metric
// (vt -1 = no value_threshold).
var stockGroups = []struct {
	once          bool
	every, thresh int
	metrics       []string
}{
	{true, 60, 20, []string{"heartbeat -1 "}},
	{false, 60, 60, []string{"cpu_num -1 CPU Count", "cpu_speed -1 CPU Speed", "mem_total -1 Memory Total",
		"swap_total -1 Swap Space Total", "boottime -1 Last Boot Time", "machine_type -1 Machine Type",
		"os_name -1 Operating System", "os_release -1 Operating System Release", "location -1 Location"}},
	{true, 60, 300, []string{"gexec -1 Gexec Status"}},
	{false, 20, 90, []string{"cpu_user 1 CPU User", "cpu_system 1 CPU System", "cpu_idle 5 CPU Idle",
		"cpu_nice 1 CPU Nice", "cpu_aidle 5 CPU aidle", "cpu_wio 1 CPU wio", "cpu_steal 1 CPU steal"}},
	{false, 20, 90, []string{"load_one 1 One Minute Load Average", "load_five 1 Five Minute Load Average",
		"load_fifteen 1 Fifteen Minute Load Average"}},
	{false, 80, 950, []string{"proc_run 1 Total Running Processes", "proc_total 1 Total Processes"}},
	{false, 40, 180, []string{"mem_free 1024 Free Memory", "mem_shared 1024 Shared Memory",
		"mem_buffers 1024 Memory Buffers", "mem_cached 1024 Cached Memory", "swap_free 1024 Free Swap Space"}},
	{false, 40, 300, []string{"bytes_out 4096 Bytes Sent", "bytes_in 4096 Bytes Received",
		"pkts_in 256 Packets Received", "pkts_out 256 Packets Sent"}},
	{false, 1800, 3600, []string{"disk_total 1 Total Disk Space"}},
	{false, 40, 180, []string{"disk_free 1 Disk Space Available", "part_max_used 1 Maximum Disk Space Used"}},
}

// describeGroups renders groups in stockGroups' shape for comparison.
func describeGroups(gs []CollectionGroup) []string {
	var out []string
	for _, g := range gs {
		s := fmt.Sprintf("once=%v every=%v thresh=%v:", g.CollectOnce, g.CollectEvery, g.TimeThreshold)
		for _, m := range g.Metrics {
			s += fmt.Sprintf(" [%s %g %s]", m.Name, m.ValueThreshold, m.Title)
		}
		out = append(out, s)
	}
	return out
}

func expectedStock() []string {
	var gs []CollectionGroup
	for _, sg := range stockGroups {
		g := CollectionGroup{CollectOnce: sg.once, CollectEvery: time.Duration(sg.every) * time.Second, TimeThreshold: time.Duration(sg.thresh) * time.Second}
		for _, m := range sg.metrics {
			var gm GroupMetric
			f := strings.SplitN(m, " ", 3)
			gm.Name, gm.Title = f[0], f[2]
			fmt.Sscan(f[1], &gm.ValueThreshold)
			g.Metrics = append(g.Metrics, gm)
		}
		gs = append(gs, g)
	}
	return describeGroups(gs)
}

// perzlMetrics are the IBM Power LPAR metrics the default collects.
var perzlMetrics = strings.Fields(`cpu_used cpu_ec cpu_entitlement cpu_pool_idle cpu_in_pool cpu_in_lpar
	cpu_in_machine cpu_pool_id capped splpar smt weight lpar_name lpar_num serial_num model_name fwversion oslevel`)

// TestDefaultGroups: the default starts with stock's groups exactly, then
// adds the ibmpower groups, and names every metric once.
func TestDefaultGroups(t *testing.T) {
	c := Default()
	want := expectedStock()
	got := describeGroups(c.Groups)
	if len(got) < len(want) || !reflect.DeepEqual(got[:len(want)], want) {
		t.Fatalf("default groups differ from stock:\n%s\nwant first\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	count := map[string]int{}
	for _, g := range c.Groups {
		for _, m := range g.Metrics {
			count[m.Name]++
		}
	}
	for name, n := range count {
		if n != 1 {
			t.Errorf("metric %s listed %d times", name, n)
		}
	}
	var power []string
	for _, g := range c.Groups[len(want):] {
		for _, m := range g.Metrics {
			power = append(power, m.Name)
			if m.Title == "" {
				t.Errorf("ibmpower metric %s has no title", m.Name)
			}
		}
	}
	if len(power) != len(perzlMetrics) {
		t.Errorf("ibmpower metrics %v, want %v", power, perzlMetrics)
	}
	for _, name := range perzlMetrics {
		if count[name] != 1 {
			t.Errorf("ibmpower metric %s missing", name)
		}
	}
}

// stockDefault returns the output of the installed stock gmond -t.
func stockDefault(t *testing.T) []byte {
	t.Helper()
	bin, err := exec.LookPath("gmond")
	if err != nil {
		bin = "/usr/sbin/gmond"
	}
	out, err := exec.Command(bin, "-t").Output()
	if err != nil {
		t.Fatalf("stock gmond -t failed (%v): run make deps (Debian package ganglia-monitor)", err)
	}
	return out
}

// TestStockDefaultAccepted: every option stock gmond prints with -t is
// known here (the only warning is for modules), stock's globals equal
// ours apart from send_metadata_interval, and stock's groups are ours.
func TestStockDefaultAccepted(t *testing.T) {
	c, err := parse("gmond-t.conf", stockDefault(t), options{goos: "linux", fs: siteFS{}, lookupEnv: noEnv})
	if err != nil {
		t.Fatalf("stock default does not parse: %v", err)
	}
	for _, w := range c.Warnings {
		if !strings.Contains(w, ": modules: not supported") {
			t.Errorf("stock option not accepted: %s", w)
		}
	}
	if len(c.Warnings) != 1 || len(c.Modules) == 0 {
		t.Errorf("want one modules warning, got %q", c.Warnings)
	}
	ours := Default()
	ours.Globals.SendMetadataInterval = 0 // the one deliberate change
	if c.Globals != ours.Globals || c.Cluster != ours.Cluster || c.Host != ours.Host {
		t.Errorf("stock sections differ from our defaults:\n%+v\n%+v", c.Globals, ours.Globals)
	}
	if got, want := describeGroups(c.Groups), expectedStock(); !reflect.DeepEqual(got, want) {
		t.Errorf("stock -t groups:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(c.UDPSend) != 1 || c.UDPSend[0].McastJoin != "239.2.11.71" || c.UDPRecv[0].Bind != "239.2.11.71" || !c.UDPRecv[0].RetryBind {
		t.Errorf("stock channels %+v %+v", c.UDPSend, c.UDPRecv)
	}
}

// TestStockParsesDefaultText: stock gmond's own parser accepts our default
// text. Appending a deaf and mute globals section makes it exit right after
// parsing, so nothing is bound or sent.
func TestStockParsesDefaultText(t *testing.T) {
	stockDefault(t) // skips without a stock gmond
	bin, err := exec.LookPath("gmond")
	if err != nil {
		bin = "/usr/sbin/gmond"
	}
	path := filepath.Join(t.TempDir(), "gmond.conf")
	text := append(DefaultText(), "\nglobals { deaf = yes  mute = yes }\n"...)
	if err := os.WriteFile(path, text, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, _ := exec.CommandContext(ctx, bin, "-c", path, "-f").CombinedOutput()
	if !strings.Contains(string(out), "deaf and mute") {
		t.Errorf("stock gmond did not get past parsing our default:\n%s", out)
	}
}
