// Package schedule runs gmond's collection groups the way stock gmond 3.7.2
// does (gmond/gmond.c, PROTOCOL.md §2.2): it collects each group on its
// collect_every, sends the whole group when its time_threshold runs out or a
// value crosses its value_threshold, puts a metric's metadata before its
// value when the metadata is new, requested or older than
// send_metadata_interval, and spoofs every message under override_hostname.
//
// Configured metrics are bound by name, or by name_match pattern, to the
// metrics the collectors offer (Defs). The offers are read again whenever a
// Tick collects, so a metric a collector discovers later (a new network
// interface) joins its group then.
//
// The scheduler owns no goroutine, socket or clock: the caller passes the
// time to New and Tick, asks Next when to call Tick again, and receives the
// encoded packets through a callback. Tests therefore drive hours of
// schedule without sleeping.
package schedule
