// Package conf reads the gmond.conf of stock Ganglia 3.7 (libconfuse
// syntax: sections, repeated sections, include globs, three comment
// styles, quoted and bare values, case-insensitive option names) into a
// Config holding stock defaults, except send_metadata_interval, which
// defaults to 60 s so unicast collectors recover after a restart.
//
// A file that stock gmond accepts is accepted here. Options this agent
// does not act on (modules, sFlow, unknown keys, multicast on AIX) become
// one warning each in Config.Warnings instead of an error; real mistakes
// come back together as Errors, each naming file, line and key.
package conf
