package lpmscenario

import (
	_ "embed"
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// lparcfgTemplate is a shared uncapped LPAR's lparcfg (testdata/README.md).
//
//go:embed testdata/lparcfg
var lparcfgTemplate string

const (
	// timebase is the POWER timebase frequency (cpuinfo "timebase"): purr,
	// tbr and pool_idle_time count in its ticks.
	timebase = 512_000_000
	// smt is the threads per virtual processor: logical CPUs = VPs × smt.
	smt = 8
	// userHZ is the tick rate of /proc/stat.
	userHZ = 100
)

// System is one managed system (chassis): a cluster of both gmetads and a
// [[managed_system]] of the mapping.
type System struct {
	Name   string // cluster name, e.g. "P9-DC1-R01"
	Type   string // machine type-model, e.g. "9009-42A"
	Serial string // the last seven characters of the system id, e.g. "21ABCDE"
	Pool   int    // cores of the shared processor pool
}

// ModelSerial is the mapping's key of the system: "9009-42A_21ABCDE".
func (s System) ModelSerial() string { return s.Type + "_" + s.Serial }

// LPAR is one simulated partition: our gmond on a fixture sysroot.
type LPAR struct {
	Name     string  // host name (override_hostname) and partition name
	IP       string  // loopback source address (udp_send_channel bind), 127.0.0.x
	Home     int     // index in Options.Systems of the system it starts on
	Entitled float64 // entitled capacity in cores
	VPs      int     // virtual processors; cpu_used stays below this
	Physc    float64 // mean physical cores used (cpu_used), ±20 % over time
	MemGB    int     // memory
}

// DefaultSystems are three managed systems of two models.
func DefaultSystems() []System {
	return []System{
		{Name: "P9-DC1-R01", Type: "9009-42A", Serial: "21ABCDE", Pool: 20},
		{Name: "P10-DC1-R05", Type: "9105-42A", Serial: "78FEDCB", Pool: 32},
		{Name: "P10-DC2-R35", Type: "9105-22A", Serial: "7804711", Pool: 16},
	}
}

// DefaultLPARs are six LPARs, two on each of DefaultSystems, sending from
// 127.0.0.61 to 127.0.0.66.
func DefaultLPARs() []LPAR {
	return []LPAR{
		{Name: "lnxdb01", IP: "127.0.0.61", Home: 0, Entitled: 2, VPs: 4, Physc: 1.4, MemGB: 64},
		{Name: "lnxapp01", IP: "127.0.0.62", Home: 0, Entitled: 1, VPs: 2, Physc: 0.8, MemGB: 16},
		{Name: "lnxapp02", IP: "127.0.0.63", Home: 1, Entitled: 1.5, VPs: 3, Physc: 1.1, MemGB: 32},
		{Name: "lnxweb01", IP: "127.0.0.64", Home: 1, Entitled: 0.5, VPs: 2, Physc: 0.3, MemGB: 8},
		{Name: "lnxweb02", IP: "127.0.0.65", Home: 2, Entitled: 0.5, VPs: 2, Physc: 0.35, MemGB: 8},
		{Name: "lnxdb02", IP: "127.0.0.66", Home: 2, Entitled: 3, VPs: 4, Physc: 2.2, MemGB: 128},
	}
}

// fixture is one LPAR's sysroot: what its kernel would show, advanced on
// every write from the time since the previous one.
type fixture struct {
	root   string
	lpar   LPAR
	sys    System
	partID int
	boot   time.Time

	last     time.Time
	purr     float64 // PURR ticks summed over the partition
	tbr      float64 // timebase register
	pool     float64 // pool_idle_time of the current frame
	cpu      [5]float64
	netBytes [2]float64 // received, sent
	netPkts  [2]float64
}

// newFixture writes the sysroot of l on sys at root, as of now.
func newFixture(root string, l LPAR, sys System, partID int, now time.Time) (*fixture, error) {
	f := &fixture{root: root, lpar: l, sys: sys, partID: partID, boot: now.Add(-36 * time.Hour), last: now}
	// Counters that look like a partition up for a day and a half.
	up := now.Sub(f.boot).Seconds()
	f.tbr = up * timebase
	f.purr = 0.7 * l.Physc * f.tbr
	f.pool = poolBase(sys)
	total := up * userHZ * float64(l.VPs*smt)
	f.cpu = [5]float64{0.3 * total, 0.01 * total, 0.08 * total, 0.6 * total, 0.01 * total}
	f.netBytes = [2]float64{up * 2e6 * l.Physc, up * 8e5 * l.Physc}
	f.netPkts = [2]float64{f.netBytes[0] / 900, f.netBytes[1] / 700}
	if err := f.writeStatic(); err != nil {
		return nil, err
	}
	return f, f.write(now)
}

// wave is 1 ± 20 %: a slow swing with some noise, different for each name.
func wave(name string, t time.Time) float64 {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s/%d", name, t.Unix()/5)
	noise := float64(h.Sum64()%2001)/1000 - 1
	phase := float64(len(name)*97%360) * math.Pi / 180
	return 1 + 0.15*math.Sin(2*math.Pi*float64(t.Unix())/600+phase) + 0.05*noise
}

// physc is the cores the LPAR uses at t.
func (f *fixture) physc(t time.Time) float64 {
	return min(f.lpar.Physc*wave(f.lpar.Name, t), float64(f.lpar.VPs))
}

// advance moves every counter on to now at the rates of now.
func (f *fixture) advance(now time.Time) {
	dt := now.Sub(f.last).Seconds()
	if dt <= 0 {
		return
	}
	f.last = now
	used := f.physc(now)
	f.tbr += dt * timebase
	f.purr += dt * used * timebase
	f.pool += dt * 0.55 * float64(f.sys.Pool) * wave(f.sys.Name, now) * timebase
	busy := used / float64(f.lpar.VPs)
	jiffies := dt * userHZ * float64(f.lpar.VPs*smt)
	// user, nice, system, idle, iowait
	for i, share := range []float64{0.78 * busy, 0.02 * busy, 0.17 * busy, 0.97 * (1 - busy), 0.03*(1-busy) + 0.03*busy} {
		f.cpu[i] += share * jiffies
	}
	in := 3e6 * used * wave(f.lpar.Name+"/in", now)
	out := 1.2e6 * used * wave(f.lpar.Name+"/out", now)
	f.netBytes[0] += dt * in
	f.netBytes[1] += dt * out
	f.netPkts[0] += dt * in / 900
	f.netPkts[1] += dt * out / 700
}

// move puts the LPAR on another managed system, as LPM does: a new
// identity and partition id, new pool counters; PURR and the timebase go
// on (lparcfg_after_lpm in cmd/gmond/testdata/lpar).
func (f *fixture) move(sys System, partID int, now time.Time) error {
	f.advance(now)
	f.sys, f.partID = sys, partID
	f.pool = poolBase(sys)
	if err := f.writeStatic(); err != nil {
		return err
	}
	return f.write(now)
}

// write rewrites every file that changes over time, as of now.
func (f *fixture) write(now time.Time) error {
	f.advance(now)
	lparcfg, err := f.lparcfg()
	if err != nil {
		return err
	}
	files := []struct{ name, text string }{
		{"proc/ppc64/lparcfg", lparcfg},
		{"proc/stat", f.procStat(now)},
		{"proc/loadavg", f.loadavg(now)},
		{"proc/meminfo", f.meminfo(now)},
		{"proc/net/dev", f.netDev()},
	}
	for _, file := range files {
		if err := writeAtomic(filepath.Join(f.root, file.name), []byte(file.text)); err != nil {
			return err
		}
	}
	return nil
}

// poolBase is where pool_idle_time of a frame stands when an LPAR
// arrives: a counter of that frame alone, so LPM makes it jump.
func poolBase(sys System) float64 {
	h := fnv.New64a()
	h.Write([]byte(sys.ModelSerial()))
	return float64(h.Sum64()%(1<<20)) * 1e10
}

// lparcfg is the template with this LPAR's identity, configuration and
// counters.
func (f *fixture) lparcfg() (string, error) {
	l, s := f.lpar, f.sys
	ent := int(math.Round(l.Entitled * 100))
	return setFields(lparcfgTemplate, []string{
		"serial_number", "IBM,02" + s.Serial,
		"system_type", "IBM," + s.Type,
		"partition_id", fmt.Sprint(f.partID),
		"partition_name", l.Name,
		"partition_entitled_capacity", fmt.Sprint(ent),
		"DesEntCap", fmt.Sprint(ent),
		"partition_active_processors", fmt.Sprint(l.VPs),
		"DesProcs", fmt.Sprint(l.VPs),
		"DesMem", fmt.Sprint(l.MemGB * 1024),
		"entitled_memory", fmt.Sprint(l.MemGB << 30),
		"backing_memory", fmt.Sprintf("%d bytes", l.MemGB<<30),
		"pool_capacity", fmt.Sprint(s.Pool * 100),
		"pool_num_procs", fmt.Sprint(s.Pool),
		"physical_procs_allocated_to_virtualization", fmt.Sprint(s.Pool),
		"max_proc_capacity_available", fmt.Sprint(s.Pool * 100),
		"system_active_processors", fmt.Sprint(s.Pool + 8),
		"pool_idle_time", fmt.Sprint(uint64(f.pool)),
		"purr", fmt.Sprint(uint64(f.purr)),
		"tbr", fmt.Sprint(uint64(f.tbr)),
	})
}

// setFields replaces the value of each key=value line named in kv (pairs
// of key, value). A key the text lacks is an error.
func setFields(text string, kv []string) (string, error) {
	lines := strings.Split(text, "\n")
	for i := 0; i+1 < len(kv); i += 2 {
		found := false
		for j, line := range lines {
			if k, _, ok := strings.Cut(line, "="); ok && k == kv[i] {
				lines[j] = k + "=" + kv[i+1]
				found = true
			}
		}
		if !found {
			return "", fmt.Errorf("lparcfg template has no %s line", kv[i])
		}
	}
	return strings.Join(lines, "\n"), nil
}

func (f *fixture) procStat(now time.Time) string {
	var b strings.Builder
	n := f.lpar.VPs * smt
	c := f.cpu
	fmt.Fprintf(&b, "cpu  %d %d %d %d %d 0 0 0 0 0\n", uint64(c[0]), uint64(c[1]), uint64(c[2]), uint64(c[3]), uint64(c[4]))
	for i := range n {
		k := float64(n)
		fmt.Fprintf(&b, "cpu%d %d %d %d %d %d 0 0 0 0 0\n", i, uint64(c[0]/k), uint64(c[1]/k), uint64(c[2]/k), uint64(c[3]/k), uint64(c[4]/k))
	}
	running := 1 + int(2*f.physc(now))
	fmt.Fprintf(&b, "intr 0\nctxt %d\nbtime %d\nprocesses %d\nprocs_running %d\nprocs_blocked 0\n",
		uint64(f.tbr/1e5), f.boot.Unix(), 4000+uint64(f.tbr/1e9), running)
	return b.String()
}

func (f *fixture) loadavg(now time.Time) string {
	used := f.physc(now)
	one := 2 * used
	five := 2 * f.lpar.Physc * (0.9 + 0.1*wave(f.lpar.Name, now))
	fifteen := 2 * f.lpar.Physc
	return fmt.Sprintf("%.2f %.2f %.2f %d/%d %d\n", one, five, fifteen, 1+int(used), 300+f.partID*7, 5000+now.Unix()%10000)
}

func (f *fixture) meminfo(now time.Time) string {
	total := f.lpar.MemGB << 20 // kB
	free := int(float64(total) * (0.25 + 0.5*(wave(f.lpar.Name+"/mem", now)-1)))
	return fmt.Sprintf("MemTotal:       %d kB\nMemFree:        %d kB\nMemAvailable:   %d kB\n"+
		"Buffers:        %d kB\nCached:         %d kB\nSwapCached:     0 kB\n"+
		"SwapTotal:      4194240 kB\nSwapFree:       4100000 kB\nShmem:          %d kB\n"+
		"Slab:           %d kB\nSReclaimable:   %d kB\nSUnreclaim:     %d kB\n",
		total, free, free+total/3, total/100, total/3, total/100, total/50, total/80, total/200)
}

func (f *fixture) netDev() string {
	return fmt.Sprintf("Inter-|   Receive                                                |  Transmit\n"+
		" face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n"+
		"    lo: 1000 10 0 0 0 0 0 0 1000 10 0 0 0 0 0 0\n"+
		"  eth0: %d %d 0 0 0 0 0 0 %d %d 0 0 0 0 0 0\n",
		uint64(f.netBytes[0]), uint64(f.netPkts[0]), uint64(f.netBytes[1]), uint64(f.netPkts[1]))
}

// writeStatic writes the files that change only with the frame: cpuinfo,
// the device tree, and what never changes.
func (f *fixture) writeStatic() error {
	cell := binary.BigEndian.AppendUint32(nil, uint32(f.partID))
	files := []struct {
		name string
		data []byte
	}{
		{"proc/cpuinfo", []byte(f.cpuinfo())},
		{"proc/device-tree/model", dtString("IBM," + f.sys.Type)},
		{"proc/device-tree/system-id", dtString("IBM,02" + f.sys.Serial)},
		{"proc/device-tree/ibm,partition-name", dtString(f.lpar.Name)},
		{"proc/device-tree/ibm,partition-no", cell},
		{"proc/device-tree/openprom/ibm,fw-vernum_encoded", dtString("FW950.30 (VL950_092)")},
		{"proc/sys/kernel/osrelease", []byte("5.14.0-427.13.1.el9_4.ppc64le\n")},
		{"proc/sys/kernel/arch", []byte("ppc64le\n")},
		{"proc/mounts", []byte("/dev/mapper/rhel-root / xfs rw,relatime 0 0\nproc /proc proc rw 0 0\n")},
		{"etc/os-release", []byte("NAME=\"Red Hat Enterprise Linux\"\nVERSION_ID=\"9.4\"\nPRETTY_NAME=\"Red Hat Enterprise Linux 9.4 (Plow)\"\n")},
		{"sys/devices/system/cpu/online", []byte(fmt.Sprintf("0-%d\n", f.lpar.VPs*smt-1))},
		{"sys/class/net/eth0/mtu", []byte("1500\n")},
		{"sys/class/net/eth0/flags", []byte("0x1003\n")},
		{"sys/class/net/lo/mtu", []byte("65536\n")},
		{"sys/class/net/lo/flags", []byte("0x9\n")},
	}
	for _, file := range files {
		if err := writeAtomic(filepath.Join(f.root, file.name), file.data); err != nil {
			return err
		}
	}
	return nil
}

// cpuinfo is a POWER9 LPAR's /proc/cpuinfo on the current frame.
func (f *fixture) cpuinfo() string {
	var b strings.Builder
	for i := range f.lpar.VPs * smt {
		fmt.Fprintf(&b, "processor\t: %d\ncpu\t\t: POWER9 (architected), altivec supported\n"+
			"clock\t\t: 3450.000000MHz\nrevision\t: 2.2 (pvr 004e 1202)\n\n", i)
	}
	fmt.Fprintf(&b, "timebase\t: %d\nplatform\t: pSeries\nmodel\t\t: IBM,%s\nmachine\t\t: CHRP IBM,%s\nMMU\t\t: Radix\n",
		timebase, f.sys.Type, f.sys.Type)
	return b.String()
}

// dtString is a device-tree string property: the text and a NUL.
func dtString(s string) []byte { return append([]byte(s), 0) }

// writeAtomic writes a file by rename, creating its directory, so that a
// reader sees the old file or the new one, never half of one, as with the
// kernel's files.
func writeAtomic(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
