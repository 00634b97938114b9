// Ganglia-lpm is the admin tool of ganglia-lpm: one binary with a command per
// job an operator of the seed setup did with helper scripts.
//
//	ganglia-lpm <command> [flags] [arguments]
//	ganglia-lpm help [command]
//
// The commands:
//
//   - check: the nightly sanity check of the LPARS RRD tree; --fix repairs
//     what can be repaired without losing a sample.
//   - migrate: converts a stock gmetad RRD tree in place into the LPARS
//     layout, merging the histories of hosts that were in several clusters.
//   - render: gmond.conf for a stock gmond from the mapping and a template,
//     replaced (and the agent restarted) only when it changes.
//   - mapping validate / mapping show: the mapping file's errors, and what
//     this machine's chassis maps to.
//   - decode: the Ganglia XDR messages in packet files, hex dumps, pcap
//     captures or datagrams arriving on a UDP port, one line each (or JSON
//     Lines with --json).
//   - rrd: create, update, fetch and inspect RRD files as rrdtool 1.7 does,
//     with the project's own RRD engine.
//
// Each command is an entry of the commands table in main.go with its own
// flag.FlagSet, and runs through run(ctx, env, args), so tests drive it
// in-process. Exit status: 0 success, 1 failure (a packet that did not
// decode...), 2 usage error.
package main
