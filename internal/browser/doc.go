// Package browser drives Debian's headless Chromium from tests: it loads a
// page, lets its scripts run, and returns the final DOM together with what a
// developer would see in the DevTools console (console messages, uncaught
// exceptions, sub-resources that failed to load), and takes PNG screenshots.
//
// It speaks the DevTools protocol over --remote-debugging-pipe (NUL-separated
// JSON on file descriptors 3 and 4), so it needs no WebSocket client and no
// free port. Pages run under virtual time, as with --virtual-time-budget:
// timers fire without waiting and the load ends when the budget has passed
// with no network fetch pending.
//
// It is a test-only helper like internal/stockganglia: every entry point
// takes a testing.TB, failures end the calling test, a missing chromium
// binary fails the test with a hint to run `make deps` (it never skips), and
// every process Chromium started (its process group, and the crash handlers
// that leave it) is killed when the test ends. Each browser writes only to
// a temporary directory of its test.
package browser
