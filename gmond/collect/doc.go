// Package collect provides the standard Ganglia metric set of stock gmond
// 3.7.2 (PROTOCOL.md §6): the metric definitions exactly as stock announces
// them, the core metrics (heartbeat, location, gexec), and the collectors
// that compute the rest from /proc and /sys on Linux or from command output
// on AIX, all reading through a sysroot so fixture trees stand in for a
// machine in tests.
package collect
