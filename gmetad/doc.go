// Package gmetad is the home of the LPM-aware server: one process that listens
// on every managed system's port, keeps the grid state and host moves, writes
// the LPARS RRD tree through rrdstore and answers on the gmetad XML and
// interactive ports as stock gmetad 3.7 does.
package gmetad
