// Package pcap reads classic libpcap capture files (the format tcpdump -w
// writes) and takes the UDP payload out of each captured frame, so that
// Ganglia datagrams caught on the wire can be fed to the xdr decoder.
//
// It is a pure parser: it reads from an io.Reader and never opens files or
// sockets. It understands both byte orders, microsecond and nanosecond
// timestamps, the link types tcpdump uses on Linux, AIX and the BSDs
// (Ethernet, BSD loopback, Linux cooked SLL and SLL2, raw IP), IPv4 and IPv6.
// It does not reassemble IP fragments and does not read pcapng; both are
// reported as errors so a caller can say so instead of printing garbage.
package pcap
