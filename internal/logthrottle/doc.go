// Package logthrottle limits log lines from hot paths (bad packets, refused
// connections) to one per key and period, the way VictoriaMetrics' logger
// throttler does: a flood of identical errors costs one line per period, and
// the next line that gets through says how many were suppressed.
package logthrottle
