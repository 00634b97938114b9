// Package metric holds what every part of the agent agrees on: the
// definition of a metric as gmond announces it in metadata (type, units,
// slope, tmax, group, format), one reading of it, and the Collector interface
// that the Linux, AIX and LPAR collectors implement and the scheduler calls.
// It has no I/O of its own.
package metric
