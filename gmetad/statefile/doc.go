// Package statefile keeps gmetad's grid state across restarts: every
// cluster's hosts with their metrics and metadata, the move history and
// the conflict events, in one gzipped JSON file written atomically. A
// restarted gmetad serves complete XML at once, before the first packet,
// where a stock collector gmond starts empty and waits for metadata.
package statefile
