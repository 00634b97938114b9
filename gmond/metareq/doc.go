// Package metareq asks senders for metadata a collector lacks: when a value
// arrives for a metric with no stored metadata, stock gmond sends a
// gmetadata_request (PROTOCOL.md §1.7). Requester does it throttled, per host
// and metric, from the socket the value came in on. gmetad's ports and gmond's
// collector role both use it.
package metareq
