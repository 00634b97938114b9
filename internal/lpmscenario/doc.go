// Package lpmscenario runs the whole LPM story on loopback for end-to-end
// tests: our gmetad with a three-managed-system mapping, the stock Ganglia
// pipeline beside it for parity (a Debian collector gmond per managed
// system and a Debian gmetad polling them), and six simulated LPARs, each
// our gmond on a fixture sysroot of its own (lparcfg of a shared LPAR,
// cpuinfo, device tree and the /proc files of the standard metrics) sending
// from its own 127.0.0.x address. Scenario.Move rewrites an LPAR's fixture
// identity as Live Partition Mobility would, and its gmond re-targets by
// itself.
//
// Both gmetads must hear the same packets from the same source address, so
// each managed system's port in the agents' mapping is a UDP tee that hands
// every datagram to our gmetad's port and to the stock collector's port
// from a socket bound to the datagram's source IP (any 127/8 address is
// local on Linux), and relays metadata requests back to the agent.
//
// A test drives it like this:
//
//	s := lpmscenario.Start(t, lpmscenario.Options{})
//	s.WaitPlaced(t, lpmscenario.Ours)       // every LPAR listed where it runs
//	m := s.Move(t, "lnxapp01", s.Systems[1].Name)
//	s.WaitHostIn(t, lpmscenario.Ours, "lnxapp01", m.To)
//	rrd := s.RRDPath(lpmscenario.Ours, "", "lnxapp01", "cpu_used")
//	lpmscenario.WaitRRD(t, rrd, lpmscenario.StepAfter(time.Now(), 2), time.Minute)
//
// and then reads s.OurWeb, s.OurInteractive and s.OurRRDRoot (ganglia-web's
// gmetad port and RRD root), or the same of the stock pipeline, and leaves
// its screenshots in s.ArtifactsDir.
//
// It is a test-only package like internal/stockganglia: every entry point
// takes a testing.TB, failures end the calling test, every process it starts
// is stopped by PID when the test ends, and a missing stock binary fails the
// test with a hint to run `make deps` (it never skips).
package lpmscenario
