// Package cluster is the collector role of gmond: the hosts and metrics of
// ONE Ganglia cluster, built from the XDR packets its members send, and the
// XML dump a stock collector gmond 3.7.2 serves for them (PROTOCOL.md §2.5–
// §2.8, §3). gmetad embeds one State per managed-system port and moves hosts
// between them on LPM; our gmond uses one when it runs as a mute collector.
package cluster
