// Package xdr encodes and decodes the Ganglia 3.1+ UDP messages (ids 128–136):
// metric metadata with its extra-data pairs, the seven value kinds and the
// metadata request, exactly as gmond and gmetric 3.7 put them on the wire.
//
// It is a pure codec: no sockets, goroutines or logging. Encoding is
// append-style so a sender can reuse one buffer; decoding checks every length
// against the bytes that are left before it allocates anything, so a hostile
// packet costs no more memory than its own size. RenderVAL turns a value
// message into the VAL text a stock gmond prints in its XML.
package xdr
