// Package identity finds out which IBM Power managed system (chassis) the
// agent runs on, and which partition it is, so gmond can pick its cluster
// and port from the mapping file and notice an LPM move when the answer
// changes. It reads AIX commands (uname, lsattr), Linux's lparcfg and
// device tree, or DMI on other hardware, all through a sysroot.Root so
// every source is tested on fixture trees.
package identity
