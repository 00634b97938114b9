// Package stockganglia runs Debian's stock Ganglia 3.7.2 daemons (gmond,
// gmetad, gmetric) as child processes so that integration tests can check
// ganglia-lpm against the real peers.
//
// It is a test-only helper: it is imported only from _test.go files, every
// entry point takes a testing.TB, and failures end the calling test. Each
// daemon gets its own temporary directory with a generated configuration and
// a log of its stdout/stderr (printed when the test fails), listens on free
// ports of the loopback interface, and is stopped by PID when the test ends,
// so tests using it may run in parallel. A missing binary fails the test with
// a hint to run `make deps`; it never skips.
package stockganglia
