// Package e2e holds the end-to-end tests of the whole LPM story
// (internal/lpmscenario): six simulated LPARs on three managed systems,
// moved live, checked in headless Chromium on our gmetad's web interface
// and, for parity, on ganglia-web against our gmetad and stock gmetad.
// They take minutes of wall clock (RRD steps are 15 s), so `make e2e` runs
// them on their own and `make race` leaves this package out.
//
// Screenshots and other artifacts go to $GANGLIA_LPM_ARTIFACTS/<test>
// (make e2e sets it) or to a temporary directory; each test prints where.
package e2e
