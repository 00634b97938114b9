// Package rrdstore reads and writes RRD files in rrdtool 1.7's own format,
// in pure Go, and keeps the LPARS tree: one directory of RRDs per host under
// LPARS/ and a symlink to it from each managed system the host has been on.
// It knows paths and files, never Ganglia state.
package rrdstore
