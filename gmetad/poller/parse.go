package poller

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"time"
)

// Parse reads one Ganglia XML document (a gmond dump or a gmetad xml_port
// answer, gzipped or not) from r as a token stream and returns what gmetad
// 3.7 would keep of it (PROTOCOL.md §4.4, §4.5). now is the parse time.
//
// Recovery: the decoder is encoding/xml in non-strict mode, so a bare '&'
// (stock gmond does not escape cluster attributes, units, names or extras,
// and stock gmetad escapes nothing) is read literally. Anything else that
// is not well-formed, such as the unescaped '<' of a string VAL re-emitted
// by stock gmetad, stops encoding/xml for good; Parse then drops the rest
// of that line, counts it under ReasonMalformed, skips the broken element
// with its children (a METRIC with its EXTRA_DATA, a HOST with its
// metrics) and resumes with a fresh decoder on the next line. Ganglia
// daemons write one element per line, so only the broken element is lost,
// where stock gmetad loses the rest of the document. A document not written
// one element per line loses everything after its first error.
//
// The Report is never nil. On error it holds everything parsed before the
// error and Complete is false: ErrTruncated (input ended inside the
// document), ErrNoSource, ErrTooLarge, ErrGzip, ErrMalformed, or ErrRead
// wrapping the reader's error.
func Parse(r io.Reader, now time.Time, opts ParseOptions) (*Report, error) {
	opts = opts.withDefaults()
	rep := &Report{Time: now, Skipped: map[Reason]int{}}
	br, err := openStream(r, opts.MaxBytes)
	if err != nil {
		return rep, inputError(err)
	}
	p := &parser{opts: opts, rep: rep, in: newInput(br), hostIdx: -1, metricIdx: -1, metricSum: -1}
	return rep, p.run()
}

// frameKind records what a start tag did, so that its end tag undoes it.
type frameKind uint8

const (
	frameOther  frameKind = iota
	frameGrid             // a GRID: grid depth was incremented
	frameSource           // the depth-0 CLUSTER
	frameHost
	frameMetric
)

type frame struct {
	name xml.Name
	kind frameKind
}

// parser is gmetad's xmldata_t: the state of one document's parse.
type parser struct {
	opts ParseOptions
	rep  *Report
	in   *input

	stack    []frame
	skipFrom int // while len(stack) >= skipFrom > 0, a skipped subtree is open

	rootSeen  bool
	gridDepth int // GRIDs open; 0 = authority mode
	inSource  bool
	srcDone   bool
	localTime int64 // LOCALTIME of the depth-0 source, for the alive rule
	sum       *summer

	inHost    bool
	hostAlive bool
	hostIdx   int // stored host, or -1
	metricIdx int // stored metric of the host, or -1
	metricSum int // summary entry of the current metric, or -1
	malformed int
}

func (p *parser) newDecoder() *xml.Decoder {
	p.in.restart()
	d := xml.NewDecoder(p.in)
	d.Strict = false
	d.CharsetReader = p.in.charsetReader
	return d
}

func (p *parser) run() error {
	dec := p.newDecoder()
	for {
		p.in.startToken(dec.InputOffset())
		tok, err := dec.RawToken()
		if err != nil {
			if p.in.err != nil {
				return p.finish(p.in.err)
			}
			if err := p.recoverLine(err); err != nil {
				return err
			}
			dec = p.newDecoder()
			continue
		}
		switch t := tok.(type) {
		case xml.StartElement:
			p.start(t)
		case xml.EndElement:
			p.end(t.Name)
		}
	}
}

// finish ends the parse when the input ends (io.EOF) or fails.
func (p *parser) finish(err error) error {
	if err != io.EOF {
		return inputError(err)
	}
	switch {
	case p.rep.Kind == "":
		return ErrNoSource
	case !p.srcDone || len(p.stack) > 0:
		open := "<" + string(p.rep.Kind) + ">"
		if n := len(p.stack); n > 0 {
			open = "<" + p.stack[n-1].name.Local + ">"
		}
		return fmt.Errorf("%w: input ended inside %s", ErrTruncated, open)
	}
	p.rep.Complete = true
	return nil
}

func inputError(err error) error {
	if errors.Is(err, ErrTooLarge) || errors.Is(err, ErrGzip) {
		return err
	}
	return fmt.Errorf("%w: %w", ErrRead, err)
}

func (p *parser) count(r Reason) { p.rep.Skipped[r]++ }

func (p *parser) addError(msg string) {
	if len(p.rep.Errors) < maxErrors {
		p.rep.Errors = append(p.rep.Errors, msg)
	}
}

// push opens an element; past maxDepth its subtree is skipped.
func (p *parser) push(f frame) {
	if p.skipFrom == 0 && len(p.stack) >= maxDepth {
		f.kind = frameOther
		p.stack = append(p.stack, f)
		p.skipFrom = len(p.stack)
		p.count(ReasonMalformed)
		p.addError(fmt.Sprintf("line %d: <%s> nested deeper than %d elements", p.in.errLine(), f.name.Local, maxDepth))
		return
	}
	p.stack = append(p.stack, f)
}

func (p *parser) start(t xml.StartElement) {
	if p.skipFrom > 0 || len(p.stack) >= maxDepth {
		p.push(frame{name: t.Name})
		return
	}
	kind, reason := p.startElement(t)
	p.push(frame{name: t.Name, kind: kind})
	if reason != "" {
		p.count(reason)
		p.skipFrom = len(p.stack)
	}
}

func (p *parser) end(name xml.Name) { p.closeTag(name, true) }

// closeTag closes the innermost open element called name. Elements still
// open inside it are closed with it and counted as malformed (expat would
// have failed); an end tag matching nothing is counted and ignored.
func (p *parser) closeTag(name xml.Name, report bool) {
	i := len(p.stack) - 1
	for i >= 0 && p.stack[i].name != name {
		i--
	}
	if i < 0 || i < len(p.stack)-1 {
		if report {
			p.count(ReasonMalformed)
			p.addError(fmt.Sprintf("line %d: unexpected </%s>", p.in.errLine(), name.Local))
		}
		if i < 0 {
			return
		}
	}
	for len(p.stack) > i {
		p.pop()
	}
}

func (p *parser) pop() {
	f := p.stack[len(p.stack)-1]
	p.stack = p.stack[:len(p.stack)-1]
	if p.skipFrom > len(p.stack) {
		p.skipFrom = 0
	}
	switch f.kind {
	case frameGrid:
		p.gridDepth--
		if p.gridDepth == 0 {
			p.endSource()
		}
	case frameSource:
		p.endSource()
	case frameHost:
		p.inHost, p.hostIdx, p.metricIdx, p.metricSum = false, -1, -1, -1
	case frameMetric:
		p.metricIdx, p.metricSum = -1, -1
	}
}

func (p *parser) endSource() {
	p.inSource, p.srcDone = false, true
	p.inHost, p.hostIdx, p.metricIdx, p.metricSum = false, -1, -1, -1
}
