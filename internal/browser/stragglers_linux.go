package browser

import (
	"bytes"
	"os"
	"strconv"
)

// stragglers returns the live processes of group pgid and those whose
// command line names dir. Chromium's crash handlers double-fork into
// sessions of their own, out of the group's reach, but keep their database
// under the temporary XDG_CONFIG_HOME in dir. Zombies do not count: in a
// container PID 1 may take seconds to reap the reparented helpers, and a
// zombie no longer touches dir.
func stragglers(pgid int, dir string) []int {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	var pids []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == os.Getpid() {
			continue
		}
		stat, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue // ended meanwhile
		}
		state, group, ok := parseStat(stat)
		if !ok || state == 'Z' || state == 'X' {
			continue
		}
		if group == pgid {
			pids = append(pids, pid)
			continue
		}
		cmdline, err := os.ReadFile("/proc/" + e.Name() + "/cmdline")
		if err == nil && bytes.Contains(cmdline, []byte(dir+"/")) {
			pids = append(pids, pid)
		}
	}
	return pids
}

// parseStat returns the state and process group of a /proc/<pid>/stat
// line: "pid (comm) state ppid pgrp ...", where comm may hold spaces and
// parentheses, so the fields are counted from its last ')'.
func parseStat(stat []byte) (state byte, pgrp int, ok bool) {
	i := bytes.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, 0, false
	}
	f := bytes.Fields(stat[i+1:])
	if len(f) < 3 || len(f[0]) != 1 {
		return 0, 0, false
	}
	n, err := strconv.Atoi(string(f[2]))
	return f[0][0], n, err == nil
}
