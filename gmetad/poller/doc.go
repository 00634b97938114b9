// Package poller polls stock Ganglia data sources the way gmetad 3.7's
// data_thread does: collector gmonds (their TCP XML dump) and other gmetads
// (grid of grids), with failover between addresses and a per-read inactivity
// timeout. Parse is the pure, streaming reader of that XML: it applies
// gmetad's rules (host alive rule, DMAX, known types, summaries) and skips a
// malformed element instead of losing the whole source.
package poller
