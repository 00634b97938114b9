// Package fleetbench measures the gmetad binary under a simulated fleet:
// it builds cmd/gmetad and cmd/ganglia-loadgen, runs them as child
// processes on free loopback ports with N hosts × M metrics split across
// a few managed systems, and reports what the gmetad issue asks for: CPU
// seconds per million stored RRD values, peak RSS, the time to read the
// full XML dump, how long an RRD update takes to become readable, and
// gaps in the files. TestFleet runs it (make bench-gmetad); TestCompare
// runs the same fleet through stock Ganglia too, Debian's collector
// gmonds and gmetad, with and without rrdcached, and writes
// docs/BENCHMARKS.md (make bench-compare). Both build only with -tags
// fleetbench.
package fleetbench
