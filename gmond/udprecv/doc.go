// Package udprecv is the UDP front end of the collector role: it binds a
// gmond udp_recv_channel port, applies the channel ACL and hands every
// datagram of at most max_udp_msg_len bytes to a Handler, from a few reader
// goroutines that allocate nothing per packet. It knows nothing of XDR or
// cluster state; the caller's Handler decodes.
package udprecv
