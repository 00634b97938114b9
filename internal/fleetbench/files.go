package fleetbench

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// layout is one run's files and ports.
type layout struct {
	dir, conf, mapping, rrds, state string
	xmlPort, interactivePort        int
	defaultPort                     int   // the mapping's [default] cluster: no host sends there
	systemPorts                     []int // one per managed system, hosts split evenly
}

// newLayout picks the ports and writes gmetad.conf and the mapping.
func newLayout(c Config) (*layout, error) {
	l := &layout{dir: c.Dir, conf: filepath.Join(c.Dir, "gmetad.conf"),
		mapping: filepath.Join(c.Dir, "mapping.toml"), rrds: filepath.Join(c.Dir, "rrds"),
		state: filepath.Join(c.Dir, "gmetad.state")}
	ports := make([]int, c.Systems+3)
	for i := range ports {
		p, err := c.FreePort()
		if err != nil {
			return nil, err
		}
		ports[i] = p
	}
	l.xmlPort, l.interactivePort, l.defaultPort, l.systemPorts = ports[0], ports[1], ports[2], ports[3:]
	if err := os.WriteFile(l.mapping, []byte(l.mappingTOML()), 0o644); err != nil {
		return nil, err
	}
	if err := os.WriteFile(l.conf, []byte(l.gmetadConf(c)), 0o644); err != nil {
		return nil, err
	}
	return l, nil
}

// gmetadConf is a production-like gmetad.conf: stock directives at their
// defaults but the ports, the reduced RRAs and setuid off (the run's user
// owns rrd_rootdir); rrd_flush_interval is left at its default.
func (l *layout) gmetadConf(c Config) string {
	var b strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	line("# written by internal/fleetbench")
	line("gridname %q", "fleetbench")
	line("xml_port %d", l.xmlPort)
	line("interactive_port %d", l.interactivePort)
	line("trusted_hosts 127.0.0.1")
	line("rrd_rootdir %q", l.rrds)
	line("setuid off")
	line("state_file %q", l.state)
	line("mapping %q", l.mapping)
	line("web_address off")
	q := make([]string, len(c.RRAs))
	for i, r := range c.RRAs {
		q[i] = strconv.Quote(r)
	}
	line("RRAs %s", strings.Join(q, " "))
	if !c.ReverseDNS {
		line("hostname_from_packet on")
	}
	for _, e := range c.Extra {
		line("%s", e)
	}
	return b.String()
}

// mappingTOML writes one [[managed_system]] per system port, in the shape
// of gmond/mapping's example.
func (l *layout) mappingTOML() string {
	var b strings.Builder
	fmt.Fprintf(&b, "# written by internal/fleetbench\nlpar_dir = \"LPARS\"\n\n")
	fmt.Fprintf(&b, "[default]\ncluster = \"Unmapped\"\nport = %d\n", l.defaultPort)
	for i, p := range l.systemPorts {
		fmt.Fprintf(&b, "\n[[managed_system]]\nname = \"P770-FLEET-%02d\"\nmodel_serial = \"9117-MMB_%07d\"\nport = %d\n",
			i+1, i+1, p)
	}
	return b.String()
}

// udpPorts are the ports gmetad receives on.
func (l *layout) udpPorts() map[int]bool {
	m := map[int]bool{l.defaultPort: true}
	for _, p := range l.systemPorts {
		m[p] = true
	}
	return m
}

// loadgenArgs splits hosts evenly across the managed systems' ports.
func (l *layout) loadgenArgs(c Config) []string {
	args := []string{"-hosts", strconv.Itoa(c.Hosts), "-metrics", strconv.Itoa(c.Metrics),
		"-interval", c.Interval.String()}
	n := len(l.systemPorts)
	for i, p := range l.systemPorts {
		first, last := c.Hosts*i/n, c.Hosts*(i+1)/n-1
		if last < first {
			continue
		}
		args = append(args, "-target", fmt.Sprintf("127.0.0.1:%d=%d-%d", p, first, last))
	}
	return args
}

// checkDisk refuses a run whose RRD files would not fit in dir: every
// host's metrics plus the summaries of each cluster and the grid, with a
// tenth to spare, and an inode for each.
func checkDisk(dir string, c Config) (need uint64, err error) {
	per, err := fileBytes(c.RRAs)
	if err != nil {
		return 0, err
	}
	files := uint64(c.Hosts+c.Systems+2) * uint64(c.Metrics)
	need = files * per * 11 / 10
	free, inodes, err := diskFree(dir)
	if err != nil {
		return need, fmt.Errorf("statfs %s: %w", dir, err)
	}
	if free < need {
		return need, fmt.Errorf("%s has %d MB free; %d files of ~%d bytes need %d MB: set TMPDIR or reduce the RRAs",
			dir, free>>20, files, per, need>>20)
	}
	if inodes < files+uint64(c.Hosts)+1000 {
		return need, fmt.Errorf("%s has %d free inodes; %d files need more", dir, inodes, files)
	}
	return need, nil
}
