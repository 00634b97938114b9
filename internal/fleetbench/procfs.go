package fleetbench

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// clockTicks is USER_HZ, the unit of utime and stime in /proc/<pid>/stat
// (sysconf(_SC_CLK_TCK)): 100 on every Linux architecture Go supports.
const clockTicks = 100

// procSample is what /proc tells about one process.
type procSample struct {
	CPU      time.Duration // utime + stime
	HWM, RSS uint64        // VmHWM (peak resident set) and VmRSS, bytes
	// Anon and File split RSS: the heap, and the pages of files mapped,
	// which are the RRD files the store keeps open.
	Anon, File uint64
}

func readProc(pid int) (procSample, error) {
	var s procSample
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return s, err
	}
	if s.CPU, err = parseStatCPU(b); err != nil {
		return s, err
	}
	b, err = os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return s, err
	}
	for _, f := range []struct {
		key string
		v   *uint64
	}{{"VmHWM", &s.HWM}, {"VmRSS", &s.RSS}, {"RssAnon", &s.Anon}, {"RssFile", &s.File}} {
		if *f.v, err = parseStatusKB(b, f.key); err != nil {
			return s, err
		}
	}
	return s, nil
}

// parseStatCPU reads utime + stime (fields 14 and 15) of /proc/<pid>/stat.
// The fields are counted after the command name's closing parenthesis,
// since the name itself may hold spaces and parentheses.
func parseStatCPU(b []byte) (time.Duration, error) {
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, errors.New("/proc stat: no command name")
	}
	f := strings.Fields(string(b[i+1:]))
	// f[0] is field 3 (state): utime is field 14, stime field 15.
	if len(f) < 13 {
		return 0, fmt.Errorf("/proc stat: %d fields after the name", len(f))
	}
	var ticks uint64
	for _, s := range f[11:13] {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("/proc stat: %w", err)
		}
		ticks += n
	}
	return time.Duration(ticks) * time.Second / clockTicks, nil
}

// parseStatusKB reads a "Key:   123 kB" line of /proc/<pid>/status, in
// bytes.
func parseStatusKB(b []byte, key string) (uint64, error) {
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok || k != key {
			continue
		}
		n, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		if err != nil {
			return 0, fmt.Errorf("/proc status %s: %w", key, err)
		}
		return n << 10, nil
	}
	return 0, fmt.Errorf("/proc status: no %s line", key)
}

// parseSocketDrops sums the drops column (the last) of /proc/net/udp or
// udp6 over the sockets bound to one of ports: datagrams the kernel
// discarded because the socket's receive buffer was full, that socket's
// own count, unlike the system-wide RcvbufErrors other tests add to.
func parseSocketDrops(b []byte, ports map[int]bool) (uint64, error) {
	var sum uint64
	for i, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if i == 0 || len(f) < 13 {
			continue
		}
		_, hexPort, ok := strings.Cut(f[1], ":")
		port, err := strconv.ParseUint(hexPort, 16, 16)
		if !ok || err != nil || !ports[int(port)] {
			continue
		}
		n, err := strconv.ParseUint(f[len(f)-1], 10, 64)
		if err != nil {
			return 0, fmt.Errorf("/proc/net/udp drops: %w", err)
		}
		sum += n
	}
	return sum, nil
}

// socketDrops is parseSocketDrops over IPv4 and IPv6 sockets (gmetad
// binds ":port", a dual-stack socket listed in udp6).
func socketDrops(ports map[int]bool) (uint64, error) {
	var sum uint64
	for _, f := range []string{"/proc/net/udp", "/proc/net/udp6"} {
		b, err := os.ReadFile(f)
		if err != nil {
			continue // no IPv6
		}
		n, err := parseSocketDrops(b, ports)
		if err != nil {
			return 0, err
		}
		sum += n
	}
	return sum, nil
}

// loadAvg is the first three fields of /proc/loadavg.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}
