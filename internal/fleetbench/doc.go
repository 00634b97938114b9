// Package fleetbench measures the gmetad binary under a simulated fleet:
// it builds cmd/gmetad and cmd/ganglia-loadgen, runs them as child
// processes on free loopback ports with N hosts × M metrics split across
// a few managed systems, and reports what the gmetad issue asks for: CPU
// seconds per million stored RRD values, peak RSS, the time to read the
// full XML dump, how long an RRD update takes to become readable, and
// gaps in the files. TestFleet runs it; it is built only with -tags
// fleetbench (make bench-gmetad).
package fleetbench
