// Package persist writes the grid's state into RRD files once per step, as
// stock gmetad 3.7 does after every poll (PROTOCOL.md §4.6), but into the
// LPM layout: one directory per host under rrds/LPARS/ with a link from
// every cluster the host has been in, and the summaries under
// rrds/<cluster>/__SummaryInfo__/ and rrds/__SummaryInfo__/. Persist never
// blocks the caller: one background worker takes the newest snapshot from
// a queue of one or two, and a step it cannot keep up with is skipped and
// counted, never queued up.
package persist
