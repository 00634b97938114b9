// Command gmond is ganglia-lpm's drop-in gmond for AIX and Linux LPARs.
//
// It reads a stock gmond.conf (-c, default /etc/ganglia/gmond.conf, else
// the built-in default that -t prints), finds the managed system it runs on
// (--sysroot DIR makes it read a fixture tree instead of /), looks that
// chassis up in the mapping file (--mapping, default /etc/ganglia/lpm.toml
// when present) and sends Ganglia 3.1+ XDR packets by unicast to the
// managed system's port. The mapping overrides cluster.name, host.location
// and the udp_send_channel port (and host, when it names a collector).
//
// The chassis identity is read again before every collection cycle and on
// SIGHUP. When LPM has moved the LPAR, gmond re-targets its send channels,
// resends every metric's metadata, resets its counter baselines so no rate
// spans two frames, and logs the move; no restart is needed. SIGHUP also
// reloads gmond.conf and the mapping; the mapping is watched as well.
//
// With mute = yes and receive channels it is a collector like stock gmond:
// packets in, the gmond XML dump on each tcp_accept_channel.
//
// Flags as stock 3.7.2: -c FILE, -f (foreground), -d LEVEL (debug; > 0
// stays in the foreground), -t (print the default configuration), -m (list
// the metrics and their groups), -p PIDFILE, -l LOCATION; plus --mapping
// FILE, --sysroot DIR and -V. Without -f or -d, gmond detaches from the
// terminal as stock does (re-executing itself; GANGLIA_LPM_DAEMON=1 marks
// the child) and logs to syslog.
package main
