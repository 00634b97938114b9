package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"math"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/internal/packetsrc"
	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

// jsonPrinter writes JSON Lines: one object per packet. The field order is
// fixed by the structs below; strings that are not valid UTF-8 have their
// bad bytes replaced by U+FFFD, as encoding/json does.
type jsonPrinter struct {
	w   *bufio.Writer
	enc *json.Encoder
	err error
}

func newJSONPrinter(w *bufio.Writer) *jsonPrinter {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false) // "<" in a value is data, not markup
	return &jsonPrinter{w: w, enc: enc}
}

// jsonHead says where a packet came from.
type jsonHead struct {
	Source string `json:"source"`
	From   string `json:"from,omitempty"`
	Time   string `json:"time,omitempty"`
}

// jsonMsg is what every decoded message has.
type jsonMsg struct {
	jsonHead
	Len   int    `json:"len"`
	ID    uint32 `json:"id"`
	Kind  string `json:"kind"`
	Host  string `json:"host"`
	Name  string `json:"name"`
	Spoof bool   `json:"spoof"`
}

type jsonExtra struct {
	Name string `json:"name"`
	Data string `json:"data"`
}

type jsonMetadata struct {
	jsonMsg
	Type       string      `json:"type"`
	MetricName string      `json:"metric_name"`
	Units      string      `json:"units"`
	Slope      string      `json:"slope"`
	SlopeValue uint32      `json:"slope_value"`
	TMax       uint32      `json:"tmax"`
	DMax       uint32      `json:"dmax"`
	Extra      []jsonExtra `json:"extra"`
}

type jsonValue struct {
	jsonMsg
	Fmt   string `json:"fmt"`
	Value any    `json:"value"`
	Val   string `json:"val"`
}

type jsonError struct {
	jsonHead
	Len    *int    `json:"len,omitempty"`
	ID     *uint32 `json:"id,omitempty"`
	Kind   string  `json:"kind,omitempty"`
	Error  string  `json:"error"`
	Field  string  `json:"field,omitempty"`
	Offset *int    `json:"offset,omitempty"`
}

func head(p packetsrc.Packet) jsonHead {
	h := jsonHead{Source: p.Label}
	if p.From.IsValid() {
		h.From = string(appendFrom(nil, p.From))
	}
	if !p.Time.IsZero() {
		h.Time = p.Time.UTC().Format(time.RFC3339Nano)
	}
	return h
}

func (j *jsonPrinter) message(p packetsrc.Packet, m *xdr.Message) {
	msg := jsonMsg{jsonHead: head(p), Len: len(p.Data), ID: uint32(m.ID), Kind: m.ID.String(),
		Host: m.Host, Name: m.Name, Spoof: m.Spoof}
	switch {
	case m.ID == xdr.IDMetadata:
		md := &m.Metadata
		out := jsonMetadata{jsonMsg: msg, Type: md.Type, MetricName: md.Name, Units: md.Units,
			Slope: md.Slope.String(), SlopeValue: uint32(md.Slope), TMax: md.TMax, DMax: md.DMax,
			Extra: make([]jsonExtra, 0, len(md.Extra))}
		for _, e := range md.Extra {
			out.Extra = append(out.Extra, jsonExtra(e))
		}
		j.encode(out)
	case m.ID.IsValue():
		j.encode(jsonValue{jsonMsg: msg, Fmt: m.Value.Fmt, Value: jsonNumber(m), Val: xdr.RenderVAL(m.ID, &m.Value)})
	default:
		j.encode(msg)
	}
}

// jsonNumber returns the value of a value message for encoding/json: a
// number for the numeric kinds (float32 keeps its shortest 32-bit form),
// a string for string values and for NaN and infinities, which JSON lacks.
func jsonNumber(m *xdr.Message) any {
	v := &m.Value
	switch m.ID {
	case xdr.IDUShort, xdr.IDUInt:
		return v.U
	case xdr.IDShort, xdr.IDInt:
		return v.I
	case xdr.IDFloat:
		if f := float64(v.F32); math.IsNaN(f) || math.IsInf(f, 0) {
			return string(appendFloat(nil, f, 32))
		}
		return v.F32
	case xdr.IDDouble:
		if math.IsNaN(v.F64) || math.IsInf(v.F64, 0) {
			return string(appendFloat(nil, v.F64, 64))
		}
		return v.F64
	}
	return v.Str
}

func (j *jsonPrinter) failure(p packetsrc.Packet, err error, m *xdr.Message) {
	out := jsonError{jsonHead: head(p), Error: err.Error()}
	if p.Err == nil {
		n := len(p.Data)
		out.Len = &n
	}
	if m != nil && m.ID != 0 {
		id := uint32(m.ID)
		out.ID, out.Kind = &id, m.ID.String()
	}
	var de *xdr.DecodeError
	if errors.As(err, &de) {
		out.Field, out.Offset = de.Field, &de.Offset
	}
	j.encode(out)
}

func (j *jsonPrinter) encode(v any) {
	if j.err == nil {
		j.err = j.enc.Encode(v)
	}
}

func (j *jsonPrinter) flush() error {
	if j.err != nil {
		return j.err
	}
	return j.w.Flush()
}
