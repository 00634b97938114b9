// Package grid is gmetad's state: one collector cluster per managed-system
// UDP port (each a gmond/cluster.State), the polled data sources, the
// summaries, and the LPM logic that moves a host between clusters when it
// starts sending to another port. Snapshot turns it into the immutable
// view the XML servers (gmetad/xmlout) and the RRD persister read.
//
// # Host identity and moves (DESIGN.md decision 2)
//
// A host is keyed as stock gmond keys it: its source IP text, or the IP
// part of a spoof string; it is named once, when first heard. Across the
// grid a key belongs to exactly one cluster at a time, the owner, kept in
// an index by key and by name. A packet on port P for key K owned by the
// cluster O of another port:
//
//   - is a CONFLICT when now − lastChange(K) < ConflictWindow and
//     now − lastHeard(K on O) < ConflictWindow, where lastChange is the
//     time of K's last move or last conflict. The packet is dropped and
//     counted (HandleResult.Conflict, Stats, the host's conflict event);
//     the conflict refreshes lastChange. So two agents sending for one
//     host alternately keep it where it was last moved and are reported
//     for as long as both send, without flapping; if the owner's side
//     stays silent for a window, the next packet from the other side
//     moves the host. A host never moved before moves on its first packet
//     elsewhere, and a second move within a window of the first waits
//     until the old port has been silent for a window.
//   - otherwise MOVES the host at once: its record (name, metrics,
//     metadata, location, heartbeat) is taken out of O and put into P, a
//     Move is recorded (Moves, MoveHistory long) and logged at Info, then
//     the packet is applied in P. The host leaves O's XML and summary at
//     once, and its metrics show in P before any new metadata arrives.
//
// A packet for a new key whose host name (from the spoof string, the
// packet with hostname_from_packet, or Namer) is held under another key by
// another cluster: if the other key was heard within ConflictWindow, two
// senders claim one name: a conflict, the packet is dropped. Otherwise the
// LPAR came back with a new address: the old record is taken, re-keyed to
// the new address and put into P (a Move with OldKey), so the host keeps
// its name, history and metadata; only its IP attribute changes. Within
// one cluster two keys with one name stay two hosts, as in stock gmond.
//
// A cluster whose port leaves the configuration is detached: out of the
// output, its hosts kept (and expired) so that one reappearing on another
// port moves there at once, with no conflict, since a detached port hears
// nothing. Hosts of polled data sources are listed where they are polled
// and never moved: a host polled in one cluster and heard by UDP in
// another shows in both.
//
// # Summaries (PROTOCOL.md §4.5)
//
// A cluster's summary is computed at each Snapshot over the hosts it holds
// then and that are up (TN < 4 × TMAX; with TMAX 0 heard within 60 s):
// SUM and NUM per numeric metric not past its DMAX, with the kind, units,
// slope and precision of the first value ever summed under that name and
// the union of the metrics' EXTRA_DATA (no SPOOF_HOST). Entries are zeroed,
// never removed (Q12). The root summary adds every live source's (only
// summarized_metrics when set) and prints no EXTRA_DATA. As in stock
// gmetad 3.7.2 (checked against it), unsummarized_metrics and
// unsummarized_sflow_vm_metrics do not change the XML: they only stop the
// summary RRDs (Grid.Unsummarized).
package grid
