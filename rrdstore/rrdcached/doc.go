// Package rrdcached is a client for rrdcached's text protocol (rrdcached
// 1.7.2, RRD-FORMAT.md §5), so that sites already running rrdcached keep
// it: updates go to the daemon, which caches them and writes each file in
// bulk. Client speaks single commands and BATCH blocks; Writer groups a
// persister's updates into blocks. It uses the standard library only.
//
// # Addresses
//
// ParseAddress accepts what gmetad and librrd accept: "unix:/path" or
// "/path" for a unix socket, "host:port", "host" (port 42217), "[::1]:port".
// Dial(ctx, "", opts) reads RRDCACHED_ADDRESS, as librrd does.
//
// # File names and the base directory
//
// rrdcached resolves a relative name against its -b directory and, with
// -B, refuses absolute names outside it and names containing "../". Its
// cache is keyed by the resolved name. Set Options.BaseDir to the local
// path of that directory; for gmetad that is rrd_rootdir, so gmetad.conf's
// rrd_rootdir and rrdcached's -b must name the same directory:
//
//	gmetad.conf:  rrd_rootdir "/var/lib/ganglia/rrds"
//	rrdcached:    -b /var/lib/ganglia/rrds -B -l unix:/run/rrdcached.sock
//
// rrdcached refuses to start when -b goes through a symbolic link, so give
// it the real directory; over a unix socket the client resolves links in
// BaseDir itself, and a rrd_rootdir that is a link to -b still works.
//
// Over a unix socket the daemon shares our file system, so the client sends
// absolute names, like librrd: a relative name is joined to BaseDir (or to
// the working directory if BaseDir is empty). Over TCP the daemon may be on
// another host with -b elsewhere, so the client sends names relative to
// -b: BaseDir is stripped from absolute names, and an absolute name outside
// BaseDir is refused with ErrOutsideBaseDir before anything is sent. With
// an empty BaseDir absolute names go out unchanged, which is what gmetad's
// rrdcached_address does and works only when both hosts use the same path.
//
// # Connection rules
//
// A Client holds one connection, used by one command at a time (a mutex
// serialises concurrent callers). Every read and write has a deadline: the
// context's, or Options.Timeout. The client reconnects once when the daemon
// closed the connection before the command was sent (the socket is checked
// before each command, and a write refused with EPIPE/ECONNRESET before it
// took a byte is retried on a new connection). It never resends a command
// once its line has been handed to the kernel: such failures wrap
// ErrOutcomeUnknown, because rrdcached may have applied the command.
//
// Lines are limited to MaxLine (4096) bytes, librrd's RRD_CMD_MAX; fields
// are escaped with a backslash before spaces and backslashes.
//
// # Errors
//
// A refusal ("-1 <message>", or a line of a BATCH summary) is a
// *ServerError; errors.Is matches it against the common kinds
// (ErrNoSuchFile, ErrIllegalUpdate, ErrBadTimestamp, ErrPermissionDenied,
// ErrFileExists, ErrUnknownCommand). rrdcached checks only file existence
// and time order on receipt; bad values show up when it writes the file,
// in its log, and are never reported to the client (RRD-FORMAT §5.4), so
// validate values before sending them.
package rrdcached
