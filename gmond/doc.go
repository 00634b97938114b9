// Package gmond is the home of the LPM-aware agent (config, chassis identity,
// metric collectors, scheduler, sender) and of the collector role that stock
// gmond also has: receive packets, keep one cluster's hosts and metrics, and
// write the gmond XML dump. gmetad embeds one such collector per managed
// system. Its sub-packages import xdr and templates, never gmetad or rrdstore.
package gmond
