package lpar

import (
	"bufio"
	"bytes"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmond/metric"
	"github.com/ganglia-lpm/ganglia-lpm/gmond/sysroot"
)

// Device-tree properties the Linux info collector reads. Strings in the
// device tree end in NUL.
const (
	dtSystemID   = "/proc/device-tree/system-id"
	dtModel      = "/proc/device-tree/model"
	dtHostSerial = "/proc/device-tree/host-serial" // KVM guests: the host's serial
	dtHostModel  = "/proc/device-tree/host-model"
	dtFWVernum   = "/proc/device-tree/openprom/ibm,fw-vernum_encoded" // PowerVM: "FW950.30 (VL950_092)"
	dtOPALml     = "/proc/device-tree/ibm,opal/firmware/ml-version"   // PowerNV (OPAL) hosts
	dtOPALmi     = "/proc/device-tree/ibm,opal/firmware/mi-version"
	dtOPAL       = "/proc/device-tree/ibm,opal"
)

var linuxInfoMetrics = []string{mSerialNum, mModelName, mKVMGuest, mFWVersion, mOSLevel, mCPUType, mKernel64}

// linuxInfo reports what the frame and the OS are: serial and model of the
// managed system (re-read every call, they change with LPM), firmware,
// distribution, CPU model and kernel width.
type linuxInfo struct {
	root    sysroot.Root
	notes   *notes
	oslevel string // read once, as the module does: it changes only with a reboot
	kernel  string // "yes"/"no", read once
}

func newLinuxInfo(root sysroot.Root, log *slog.Logger) *linuxInfo {
	return &linuxInfo{root: root, notes: newNotes(log, "lpar-info")}
}

// Name implements metric.Collector.
func (c *linuxInfo) Name() string { return "lpar-info" }

// Defs implements metric.Collector.
func (c *linuxInfo) Defs() []metric.Def { return pick("linux", linuxInfoMetrics...) }

// Collect implements metric.Collector. It never fails as a whole: each
// metric whose source is missing is left out.
func (c *linuxInfo) Collect(time.Time) ([]metric.Reading, error) {
	var out []metric.Reading
	add := func(name, v string) {
		if v != "" {
			out = append(out, text(name, v))
		}
	}
	var lc lparcfg
	if b, err := c.root.ReadFile(lparcfgPath); err == nil {
		lc, _ = parseLparcfg(b)
	}
	model := c.dt(dtModel)
	if model == "" {
		model, _ = lc.str("system_type")
	}
	kvm := model == qemuPSeries
	if model != "" {
		add(mKVMGuest, yesNo(kvm))
	}
	if kvm {
		add(mModelName, c.dt(dtHostModel))
		add(mSerialNum, c.dt(dtHostSerial))
	} else {
		add(mModelName, model)
		serial := c.dt(dtSystemID)
		if serial == "" {
			serial, _ = lc.str("serial_number")
		}
		add(mSerialNum, serial)
	}
	add(mFWVersion, c.firmware())
	if c.oslevel == "" {
		c.oslevel = c.readOSLevel()
	}
	add(mOSLevel, c.oslevel)
	if b, err := c.root.ReadFile(cpuinfoPath); err == nil {
		v, _ := cpuinfoValue(b, "cpu")
		add(mCPUType, v)
	}
	if c.kernel == "" {
		c.kernel = c.kernel64()
	}
	add(mKernel64, c.kernel)
	return out, nil
}

func (c *linuxInfo) dt(name string) string {
	b, err := c.root.ReadFile(name)
	if err != nil {
		return ""
	}
	return dtString(b)
}

// firmware returns the PowerVM firmware level, or on an OPAL (PowerNV)
// host "<ml> (<mi>)" from the second words of ml-version and mi-version.
func (c *linuxInfo) firmware() string {
	if v := c.dt(dtFWVernum); v != "" {
		return v
	}
	ml, mi := secondWord(c.dt(dtOPALml)), secondWord(c.dt(dtOPALmi))
	if ml != "" && mi != "" {
		return ml + " (" + mi + ")"
	}
	return ""
}

// kernel64 answers "yes" for a 64-bit build of the agent, which cannot run
// on a 32-bit kernel; a 32-bit build asks `uname -m`.
func (c *linuxInfo) kernel64() string {
	if strconv.IntSize == 64 {
		return "yes"
	}
	b, err := c.root.Command("uname", "-m")
	if err != nil {
		c.notes.once("uname", "kernel64bit unknown", "err", err)
		return ""
	}
	return yesNo(strings.Contains(string(b), "64"))
}

// readOSLevel names the distribution: os-release PRETTY_NAME (or NAME and
// VERSION), else the first line of the older release files.
func (c *linuxInfo) readOSLevel() string {
	if b, err := c.root.ReadFile("/etc/os-release"); err == nil {
		if v := osRelease(b); v != "" {
			return v
		}
	}
	for _, f := range []string{"/etc/SuSE-release", "/etc/redhat-release"} {
		if b, err := c.root.ReadFile(f); err == nil {
			line, _, _ := bytes.Cut(b, []byte{'\n'})
			if s := strings.TrimSpace(string(line)); s != "" {
				return s
			}
		}
	}
	if b, err := c.root.ReadFile("/etc/debian_version"); err == nil {
		if s := strings.TrimSpace(string(b)); s != "" {
			return "Debian " + s
		}
	}
	return ""
}

// osRelease returns PRETTY_NAME of an os-release file, else "NAME VERSION".
func osRelease(b []byte) string {
	vals := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		k, v, ok := strings.Cut(strings.TrimSpace(sc.Text()), "=")
		if !ok || strings.HasPrefix(k, "#") {
			continue
		}
		if u, err := strconv.Unquote(v); err == nil {
			v = u
		} else {
			v = strings.Trim(v, `"'`)
		}
		vals[k] = v
	}
	if v := vals["PRETTY_NAME"]; v != "" {
		return v
	}
	return strings.TrimSpace(vals["NAME"] + " " + vals["VERSION"])
}

// cpuinfoValue returns the value of the first "key : value" line of
// /proc/cpuinfo whose key is exactly key.
func cpuinfoValue(b []byte, key string) (string, bool) {
	for len(b) > 0 {
		var line []byte
		line, b, _ = bytes.Cut(b, []byte{'\n'})
		k, v, ok := bytes.Cut(line, []byte{':'})
		if ok && string(bytes.TrimSpace(k)) == key {
			return string(bytes.TrimSpace(v)), true
		}
	}
	return "", false
}

// dtString returns a device-tree string property: up to the first NUL,
// trimmed.
func dtString(b []byte) string {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	return strings.TrimSpace(string(b))
}

func secondWord(s string) string {
	f := strings.Fields(s)
	if len(f) < 2 {
		return ""
	}
	return f[1]
}
