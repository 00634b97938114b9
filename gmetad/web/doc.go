// Package web is gmetad's built-in web interface: the managed systems, their
// LPARs, the LPM moves and graphs from the LPARS RRD tree, rendered on the
// server with html/template and served by net/http, every asset embedded (no
// PHP, no CDN, no build step; the pages work without JavaScript). It reads
// gmetad through the small Source interface and the RRD files through
// rrdstore, and writes nothing.
//
// # Pages
//
// All times are UTC. Every page takes GET and HEAD only.
//
//	/                      the managed systems: LPARs up/down, summed physc
//	                       (cpu_used) against summed entitlement and the pool
//	                       size (largest cpu_in_pool), load and network totals,
//	                       moves in/out, the latest ten moves
//	/system/<name>         one managed system: its LPARs (physc, %entc,
//	                       entitlement, load, memory), sorted by
//	                       ?sort=name|state|cpu_used|cpu_ec|cpu_entitlement|load_one|mem
//	                       &order=asc|desc (a click sorts in the browser too),
//	                       the stacked physc graph for ?range=, its moves
//	/lpar/<host>           one LPAR: key metrics, its moves (time, from, to),
//	                       every metric by GROUP with a graph per numeric
//	                       metric for ?range=hour|day|week|month|year (day)
//	/moves                 the LPM timeline: ?from=&to= (RFC 3339,
//	                       2006-01-02T15:04, a date or unix seconds; both
//	                       inclusive, a bare "to" date covers that day),
//	                       ?system= (moves into or out of it), ?lpar=
//	/health                receivers per port, clusters, RRD writer, tree check
//
// # Graphs (image/svg+xml, drawn by internal/svgchart)
//
//	/graph/lpar/<host>/<metric>.svg?range=
//	    <rrd_rootdir>/<lpar_dir>/<host>/<metric>.rrd, so one line runs across
//	    the LPAR's moves, which are marked on the time axis
//	/graph/system/<name>/physc.svg?range=
//	    cpu_used of every LPAR stacked, each only while it was on the system:
//	    from its move into it to its move out, per the move history (before
//	    an LPAR's first remembered move it counts for the system that move
//	    left; an LPAR that never moved counts for the system listing it)
//
// Ranges are hour, day, week, month (30 days) and year, ending now; each is
// fetched with rrdstore.Fetch at a resolution that picks, with gmetad's
// default archives, the 15 s, 60 s or 600 s rows, and runs of rows are
// averaged to at most 600 points per line.
//
// # JSON and CSV
//
// JSON answers are indented objects; unknown numbers are null; times are RFC
// 3339 in UTC, series times unix seconds (the end of each step). Errors are
// {"error": "..."} with the status code. Moves are {time, host, from, to,
// key, old_key}, oldest first, except the grid's latest_moves (newest
// first).
//
//	/api/grid                          {grid, time, systems: [{name, lpars, up,
//	                                   down, cpu_used, cpu_entitlement,
//	                                   cpu_in_pool, load_one, bytes_in,
//	                                   bytes_out, moves_in, moves_out}], grids:
//	                                   [{name, up, down}], latest_moves}
//	/api/system/<name>?sort=&order=    the system's row plus time, sort, order,
//	                                   hosts: [{name, system, ip, location, up,
//	                                   reported, cpu_used, cpu_ec,
//	                                   cpu_entitlement, cpu_in_pool, load_one,
//	                                   mem_total, mem_free, bytes_in,
//	                                   bytes_out}], moves
//	/api/lpar/<host>                   the host's row plus reporting, also_in,
//	                                   groups: [{name, metrics: [{name, title,
//	                                   desc, value, units, type, graph,
//	                                   series}]}], moves, time
//	/api/moves?from=&to=&system=&lpar=&format=json|csv
//	                                   {from, to, system, lpar, moves,
//	                                   remembered}; CSV: time,host,from,to,key,old_key
//	/api/series/<host>/<metric>?range=&format=json|csv
//	                                   {host, metric, range, start, end, step,
//	                                   times, values, moves}: the rows the
//	                                   graph is drawn from, not averaged;
//	                                   CSV: time,<metric> (empty: unknown)
//	/api/stack/<name>?range=&format=json|csv
//	                                   {system, metric, range, start, end, step,
//	                                   times, hosts: [{host, on: [{from, to}],
//	                                   values}], moves}: the stacked graph's
//	                                   data, null while an LPAR was elsewhere;
//	                                   CSV: time,<host>,...
//	/api/health                        {started, uptime_seconds, ports: [{port,
//	                                   cluster, packets, bytes, decode_errors,
//	                                   denied, oversize, hosts}], rrd: {updates,
//	                                   errors, skipped_steps, queue_depth,
//	                                   lag_seconds, last_step,
//	                                   updates_per_second}, xml_clients,
//	                                   xml_requests, tree_check: null | {path,
//	                                   time, findings, by_rule: [{rule,
//	                                   count}], error}, clusters: [{name,
//	                                   hosts_up, hosts_down, metrics}]}
//
// # Monitoring
//
//	/metrics   Prometheus text format 0.0.4: gmetad_udp_{packets,bytes,
//	           decode_errors,denied,oversize}_total{port,cluster},
//	           gmetad_port_hosts, gmetad_cluster_hosts{cluster,state},
//	           gmetad_cluster_metrics{cluster}, gmetad_lpm_moves_remembered,
//	           gmetad_lpm_moves{cluster,direction}, gmetad_rrd_updates_total,
//	           gmetad_rrd_errors_total, gmetad_rrd_skipped_steps_total,
//	           gmetad_rrd_queue_depth, gmetad_rrd_lag_seconds,
//	           gmetad_xml_clients, gmetad_xml_requests_total,
//	           gmetad_tree_check_* (when configured), gmetad_start_time_seconds
//	/healthz   "ok": the process serves HTTP
//
// # Safety
//
// Names come from the network and from URLs, so they are data: html/template
// escapes every one; host, metric and system names in a path must pass
// rrdstore.ValidateName (else 400) before they name a file, and a file whose
// resolved path leaves rrd_rootdir is refused; "." and ".." segments and
// control bytes, escaped or not, are a 400 before routing; an unknown
// system or LPAR is a 404 page. Options.Allow (trusted_hosts) refuses other
// clients with 403. Pages send a Content-Security-Policy that allows only
// their own style sheet and script.
package web
