// Package xmlout writes what stock gmetad 3.7.2 answers on its xml_port and
// interactive_port, from an immutable Snapshot of the grid, so ganglia-web
// works unchanged: the same prolog, element and attribute order, request
// grammar and /status document (PROTOCOL.md §5), but with every attribute
// value escaped so the output is always well-formed (Q7).
package xmlout
