// Package collect provides the standard Ganglia metric set of stock gmond
// 3.7.2 (PROTOCOL.md §6): the metric definitions exactly as stock announces
// them, the core metrics (heartbeat, location, gexec), and the collectors
// that compute the rest from /proc and /sys on Linux or from command output
// on AIX, all reading through a sysroot so fixture trees stand in for a
// machine in tests.
//
// Besides the stock set, the network collector reports per-interface rates
// (bytes_in_<iface>, bytes_out_<iface>, pkts_in_<iface>, pkts_out_<iface>)
// so that an etherchannel whose traffic all takes one link shows. Their
// definitions are not in Defs: the collector's own Defs lists those of
// every interface seen so far, and grows when an interface appears, so a
// caller that meets a reading with no definition asks that collector's
// Defs again after the Collect that produced it.
package collect
