// Package daemon holds what both daemons do the way stock Ganglia does it:
// detach from the terminal (re-executing, since Go cannot fork), log to
// syslog once detached, keep a pid file, and drop root privileges after
// binding their ports.
package daemon
