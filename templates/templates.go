// Package templates holds the text that ships inside the binaries: the XML
// prolog and DTD that stock gmond and gmetad emit, and (as later parts land)
// default configs, the gmond.conf template for stock agents and service files.
// It is a leaf: standard library only.
package templates

import _ "embed"

// XMLProlog is the XML declaration and internal DTD that stock gmond and
// gmetad 3.7.2 write before every document, byte for byte. Stock gmetad parses
// with expat and takes METRIC SOURCE="gmond" from this DTD's default, so a
// gmond that omits or alters it breaks stock gmetad (PROTOCOL.md §3.2, Q14).
//
//go:embed gmond.dtd
var XMLProlog string

// GmondConf is the agent's default gmond.conf, printed by gmond -t and used
// when no configuration file exists. It is in stock libconfuse syntax with
// stock option names only, so it is also a starting point for a stock
// gmond's file.
//
//go:embed gmond.conf
var GmondConf string
