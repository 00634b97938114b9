// Package packetsrc turns the inputs an operator has at hand when debugging
// Ganglia traffic into a stream of datagrams: a raw packet file (one datagram,
// as a capture sink writes it), a hex dump with one packet per line, or a
// tcpdump capture. Each datagram comes with a label that tells the operator
// where to find it again (file, file:line or file#frame).
//
// It knows nothing of the Ganglia protocol; the caller decodes the datagrams.
package packetsrc
