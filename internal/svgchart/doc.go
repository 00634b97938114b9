// Package svgchart draws time series as a standalone SVG element: line charts
// with gaps where values are unknown, stacked area charts, a local-time axis,
// a "nice" value axis, a legend and vertical markers for LPM moves. It does no
// I/O of its own and needs nothing but the standard library, so the web pages
// of gmetad can embed its output inline, with no script and no stylesheet.
//
// The output is deterministic (coordinates are written in tenths of a pixel),
// every text is escaped, and a series never has more than about two points per
// pixel column: longer series are reduced to the minimum and maximum of each
// column, the way rrdtool keeps peaks visible when it consolidates.
package svgchart
