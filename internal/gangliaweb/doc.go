// Package gangliaweb runs Debian 12's ganglia-web 3.7.5 (ganglia-webfrontend)
// under PHP 8's built-in web server for tests, against a gmetad given by its
// interactive port and RRD root: ours or the stock one.
//
// ganglia-web needs small fixes to run on PHP 8 (docs/ganglia-web.md). Start
// applies the source fixes to a private copy of the installed application
// as exact text replacements, failing loudly when one no longer matches
// (the package changed), and gives PHP the auto_prepend_file ganglia-lpm
// ships for the rest (templates.GangliaWebPHP8Prepend). The installed copy
// is never written. The fixes are those of the shipped patch,
// templates/ganglia-web/php8.patch, which a test checks.
//
// It is a test-only helper like internal/stockganglia: every entry point
// takes a testing.TB, failures end the calling test, a missing package fails
// the test with a hint to run `make deps` (it never skips), and the PHP
// server is stopped by PID when the test ends.
package gangliaweb
