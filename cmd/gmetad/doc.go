// Gmetad is ganglia-lpm's server: one process that replaces the collector
// gmond of every managed system AND stock gmetad 3.7.2. It listens on each
// managed system's UDP port (from the mapping file), keeps the cluster
// state, moves a host between clusters when Live Partition Mobility sends
// it to another port, polls gmetad.conf's data_source lines, writes the
// RRD tree (rrds/LPARS/<host>/ with a link from each cluster) and serves
// the XML of stock gmetad on xml_port and interactive_port, so that
// ganglia-web works unchanged. Its own web interface (package gmetad/web:
// managed systems, LPARs, moves, graphs, /api, /metrics) is on
// web_address, http://127.0.0.1:8650/ by default.
//
//	gmetad [-c FILE | --embedded] [-d N] [-p PIDFILE] [-f] [-t] [--mapping FILE]
//
// -c names gmetad.conf (default /etc/ganglia/gmetad.conf). Without -c and
// without that file, or with --embedded, gmetad runs an embedded default:
// one cluster "unspecified" on UDP and TCP 8649, xml_port 8651,
// interactive_port 8652, the web interface on 127.0.0.1:8650, RRDs under
// /var/lib/ganglia/rrds as root, else ./gmetad-data/rrds, and the state
// file beside the RRD directory. When the state file holds no move
// history, it is rebuilt from the RRD tree's links (package gmetad/movelog).
// --mapping names the TOML mapping of managed systems to ports (default:
// gmetad.conf's mapping directive, else /etc/ganglia/lpm.toml when it
// exists); without one, gmetad listens on the default cluster's port only.
// -t prints the configuration in effect and the ports, then exits.
//
// Like stock gmetad it detaches from the terminal unless -d N (N > 0,
// which also turns on debug logging) or -f is given: it re-executes itself
// in a new session with its standard files on /dev/null (the environment
// variable GANGLIA_LPM_DAEMON=1 marks that child), relays its
// start-up messages to the terminal and exits once the child listens (or
// with the child's error). The detached process logs to syslog. Under
// systemd run it with -f.
//
// Signals: SIGTERM or SIGINT stops it cleanly (receivers, then the XML
// servers and the web interface, then a last RRD step, the RRD flush and
// the state file); a second one exits at once with status 1. SIGHUP
// re-reads the mapping; changes to gmetad.conf need a restart.
//
// Exit status: 0 after a clean stop or -t, 1 when the configuration, the
// mapping or the start-up fails, 2 for a bad command line.
package main
