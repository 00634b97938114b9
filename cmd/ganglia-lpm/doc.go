// Ganglia-lpm is the admin tool of ganglia-lpm: one binary with a command per
// job an operator of the seed setup did with helper scripts.
//
//	ganglia-lpm <command> [flags] [arguments]
//	ganglia-lpm help [command]
//
// decode prints the Ganglia XDR messages in raw packet files, hex dumps, pcap
// captures or datagrams arriving on a UDP port, one line each (or JSON Lines
// with --json); it is what `make run` starts until the daemons exist.
//
// Each command is an entry of the commands table in main.go with its own
// flag.FlagSet, and runs through run(ctx, env, args), so tests drive it
// in-process. Exit status: 0 success, 1 failure (a packet that did not
// decode...), 2 usage error.
package main
