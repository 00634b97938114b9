// Package sender is the agent's UDP send side: one socket per
// udp_send_channel of gmond.conf (bound as bind / bind_hostname ask, with an
// optional fixed source port for firewall rules), every packet sent to every
// channel, and a reader on the same sockets for the gmetadata_request
// messages that a server sends back to the source address and port of the
// agent's packets (PROTOCOL.md §1.7).
//
// Sockets are not connected: a collector may answer from any port, and a
// send to one destination never fails because of an ICMP error that another
// destination caused. An unreachable or refusing collector costs only its
// own channel's packets; errors are counted and logged at most once per
// interval per channel. On Linux the sockets ask for ICMP errors
// (IP_RECVERR), so a collector port that nobody listens on is reported too.
// Retarget moves the unicast channels after a Live Partition Mobility move
// without closing a socket, so the source port stays the same.
package sender
