// Package xmlserve is the TCP server behind Ganglia's XML ports: gmond's
// tcp_accept_channel dump, gmetad's xml_port and gmetad's interactive_port
// (one request line, then the answer). It applies the ACL, bounds every
// connection with deadlines so a stalled reader never holds up the others,
// and closes so that readers get the whole document; what to write is the
// caller's Handler.
package xmlserve
