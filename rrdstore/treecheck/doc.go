// Package treecheck is the nightly sanity check of an RRD tree in the LPARS
// layout (rrds/LPARS/<host>/<metric>.rrd, rrds/<managed system>/<host> ->
// ../LPARS/<host>, real __SummaryInfo__ directories), and its repair: the
// job of the seed setup's hand-written script, done with rrdstore's locks
// so that it is safe while gmetad writes.
//
// Run walks the tree once and returns one Finding per problem, each named
// by its path and a stable Rule (see the Rule constants for the list and
// what --fix does about each). With Options.Fix it repairs what can be
// repaired without losing a sample and without racing a running gmetad:
// files move by link(2) and unlink(2) or by rrdstore.Merge, links are
// replaced by renaming a new link over them, and whatever is locked or has
// changed since the scan is skipped and reported instead. It never deletes
// data: an RRD file loses its old name only once its samples are in the
// host's file, a directory goes only once empty, and the only things
// removed outright are links that lead nowhere and leftover temporary
// links.
//
// AdoptHostDir, the repair of a stock gmetad host directory, is exported
// for the migration of whole stock trees.
package treecheck
