// Package loadgen simulates a fleet of Ganglia agents for benchmarks and
// end-to-end tests: N hosts × M metrics, each host sending from its own
// loopback address (or as a spoofed "IP:name" identity) exactly the metadata
// and value packets a stock gmond 3.7.2 sends, paced over the interval.
//
// Every value is a pure function of (seed, host, metric, step), so a test can
// ask ValueAt or VAL what a receiver must have stored without recording it.
package loadgen
