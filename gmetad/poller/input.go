package poller

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"strings"
)

// tokCap is how much of a token input keeps for classifying a broken one:
// enough for "<EXTRA_ELEMENT" and an error message.
const tokCap = 128

// input is the io.ByteReader the XML decoder reads from. Besides reading it
// counts lines, keeps the first bytes of the token being decoded (to tell
// which element a syntax error broke), converts ISO-8859-1 to UTF-8 once
// the prolog declares it, and skips the rest of a broken line. Keeping this
// state outside the decoder is what lets a fresh decoder resume after a
// syntax error, which encoding/xml cannot do itself.
type input struct {
	r       *bufio.Reader
	latin1  bool  // convert bytes ≥ 0x80 as ISO-8859-1
	pending int   // second UTF-8 byte of a converted character, or -1
	off     int64 // bytes delivered to the current decoder
	line    int   // 1-based line of the next raw byte
	last    byte  // last byte delivered
	tok     []byte
	err     error // first read error, io.EOF included
}

func newInput(r *bufio.Reader) *input {
	return &input{r: r, pending: -1, line: 1, tok: make([]byte, 0, tokCap)}
}

// ReadByte implements io.ByteReader for encoding/xml.
func (in *input) ReadByte() (byte, error) {
	var b byte
	if in.pending >= 0 {
		b, in.pending = byte(in.pending), -1
	} else {
		if in.err != nil {
			return 0, in.err
		}
		c, err := in.r.ReadByte()
		if err != nil {
			in.err = err
			return 0, err
		}
		switch {
		case c == '\n':
			in.line++
			b = c
		case c >= 0x80 && in.latin1:
			b, in.pending = 0xC0|c>>6, int(0x80|c&0x3F)
		default:
			b = c
		}
	}
	in.off++
	in.last = b
	if len(in.tok) < tokCap {
		in.tok = append(in.tok, b)
	}
	return b, nil
}

// Read implements io.Reader, which encoding/xml hands to CharsetReader.
func (in *input) Read(p []byte) (int, error) {
	for i := range p {
		b, err := in.ReadByte()
		if err != nil {
			return i, err
		}
		p[i] = b
	}
	return len(p), nil
}

// startToken is called before each token: decOff is the decoder's
// InputOffset. The decoder may already hold one byte it read ahead (the
// '<' that ended the previous text), which then starts the token.
func (in *input) startToken(decOff int64) {
	in.tok = in.tok[:0]
	if in.off > decOff {
		in.tok = append(in.tok, in.last)
	}
}

// restart resets the delivered-byte count for a new decoder.
func (in *input) restart() { in.off = 0 }

// errLine is the line on which the decoder stopped.
func (in *input) errLine() int {
	if in.last == '\n' {
		return in.line - 1
	}
	return in.line
}

// skipLine drops the rest of the current line and returns its last two
// non-blank bytes (to tell "<X .../>" from "<X ...>"). Ganglia daemons
// write one element per line (§3.3), so the line is the element.
func (in *input) skipLine() (tail [2]byte) {
	in.pending = -1
	push := func(c byte) {
		if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			tail[0], tail[1] = tail[1], c
		}
	}
	for _, c := range in.tok {
		push(c)
	}
	if in.last == '\n' && in.off > 0 {
		return tail // the decoder stopped at the end of the line
	}
	for in.err == nil {
		c, err := in.r.ReadByte()
		if err != nil {
			in.err = err
			break
		}
		if c == '\n' {
			in.line++
			in.last = c
			break
		}
		push(c)
	}
	return tail
}

// charsetReader serves encoding/xml's CharsetReader: Ganglia declares
// ISO-8859-1, which maps each byte to the code point of the same number.
// The conversion happens inside input, so the decoder keeps reading from
// input and a restarted decoder keeps converting.
func (in *input) charsetReader(label string, _ io.Reader) (io.Reader, error) {
	switch strings.ToLower(label) {
	case "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii":
		in.latin1 = true
	case "utf-8", "utf8":
		in.latin1 = false
	default:
		return nil, fmt.Errorf("unsupported XML encoding %q", label)
	}
	return in, nil
}

// limitReader fails with ErrTooLarge once more than n bytes were read.
type limitReader struct {
	r io.Reader
	n int64
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.n < 0 {
		return 0, ErrTooLarge
	}
	if int64(len(p)) > l.n+1 {
		p = p[:l.n+1]
	}
	n, err := l.r.Read(p)
	l.n -= int64(n)
	if l.n < 0 {
		return n, ErrTooLarge
	}
	return n, err
}

// gzipReader marks inflate errors with ErrGzip; errors of the reader below
// pass unchanged.
type gzipReader struct {
	zr    *gzip.Reader
	under *errorMemo
}

func (g *gzipReader) Read(p []byte) (int, error) {
	n, err := g.zr.Read(p)
	if err != nil && err != io.EOF && g.under.err == nil {
		err = fmt.Errorf("%w: %w", ErrGzip, err)
	}
	return n, err
}

// errorMemo remembers the first error of the reader below the gunzip.
type errorMemo struct {
	r   io.Reader
	err error
}

func (m *errorMemo) Read(p []byte) (int, error) {
	n, err := m.r.Read(p)
	if err != nil && err != io.EOF && m.err == nil {
		m.err = err
	}
	return n, err
}

// openStream limits r, and gunzips it when it starts with the gzip magic
// 1f 8b, as gmetad's data_thread does (§4.3).
func openStream(r io.Reader, maxBytes int64) (*bufio.Reader, error) {
	memo := &errorMemo{r: &limitReader{r: r, n: maxBytes}}
	br := bufio.NewReaderSize(memo, 64<<10)
	magic, _ := br.Peek(2)
	if !bytes.Equal(magic, []byte{0x1f, 0x8b}) {
		return br, nil
	}
	zr, err := gzip.NewReader(br)
	if err != nil {
		if memo.err != nil {
			return nil, memo.err
		}
		return nil, fmt.Errorf("%w: %w", ErrGzip, err)
	}
	inflated := &limitReader{r: &gzipReader{zr: zr, under: memo}, n: maxBytes}
	return bufio.NewReaderSize(inflated, 64<<10), nil
}

// readError tells whether err came from the input rather than the XML.
func readError(err error) bool {
	return err != nil && !errors.Is(err, io.EOF)
}
