package rrdcached

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// MaxLine is the longest command line the client sends, newline included:
// librrd's RRD_CMD_MAX, the size of its own command buffer. rrdcached 1.7.2
// reads up to 8 KiB per line, but it was measured never to answer an UPDATE
// of 4,099 bytes whose error reply quotes the long value, so the client keeps
// librrd's limit and refuses longer lines before sending anything.
const MaxLine = 4096

// maxReplyLine bounds one reply line. The longest replies rrdcached can
// produce quote a command line back (PENDING values, "Cannot find timestamp
// in '...'"), and the daemon drops connections whose lines pass 8 KiB, so
// 16 KiB is never reached by a sane daemon.
const maxReplyLine = 16 << 10

// appendField appends one field escaped the way rrdcached's tokenizer
// (and librrd's buffer_add_string) expects: a space or backslash is
// preceded by a backslash. Fields that no escape can carry are refused:
// rrdcached splits lines on '\n', strips '\r' and works on C strings.
func appendField(dst []byte, f string) ([]byte, error) {
	if f == "" || strings.ContainsAny(f, "\n\r\x00") {
		return dst, fmt.Errorf("%w: %q", ErrBadField, f)
	}
	for i := 0; i < len(f); i++ {
		if f[i] == ' ' || f[i] == '\\' {
			dst = append(dst, '\\')
		}
		dst = append(dst, f[i])
	}
	return dst, nil
}

// appendCommand appends one command line, fields separated by single
// spaces and ended by '\n'. On error dst is returned unchanged in length,
// so a batch being assembled stays well formed.
func appendCommand(dst []byte, name string, fields ...string) ([]byte, error) {
	start := len(dst)
	out, err := appendField(dst, name)
	for _, f := range fields {
		if err != nil {
			break
		}
		out = append(out, ' ')
		out, err = appendField(out, f)
	}
	if err != nil {
		return dst[:start], err
	}
	out = append(out, '\n')
	if n := len(out) - start; n > MaxLine {
		return out[:start], fmt.Errorf("%w: %s line of %d bytes", ErrLineTooLong, name, n)
	}
	return out, nil
}

// reply is one answer of the daemon: "<status> <message>" and, when status
// is not negative, status further lines.
type reply struct {
	status  int
	message string
	lines   []string
}

// err turns a refusal into a *ServerError naming the command.
func (r reply) err(cmd string) error {
	if r.status < 0 {
		return &ServerError{Command: cmd, Message: r.message}
	}
	return nil
}

// readReply reads one reply. It allocates only for bytes actually read:
// the announced line count is never used to size anything, so a hostile
// "999999999 x" costs nothing until lines arrive.
func readReply(br *bufio.Reader) (reply, error) {
	first, err := readLine(br)
	if err != nil {
		return reply{}, err
	}
	head, msg, _ := strings.Cut(first, " ")
	status, err := parseStatus(head)
	if err != nil {
		return reply{}, fmt.Errorf("%w: status line %q", ErrProtocol, clip(first))
	}
	r := reply{status: status, message: msg}
	for i := 0; i < status; i++ {
		line, err := readLine(br)
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		if err != nil {
			return reply{}, fmt.Errorf("reading line %d of %d: %w", i+1, status, err)
		}
		r.lines = append(r.lines, line)
	}
	return r, nil
}

// parseStatus accepts what rrdcached prints with "%i": an optional minus
// sign and decimal digits.
func parseStatus(s string) (int, error) {
	digits := strings.TrimPrefix(s, "-")
	if digits == "" || len(digits) > 9 || strings.Trim(digits, "0123456789") != "" {
		return 0, ErrProtocol
	}
	return strconv.Atoi(s)
}

// readLine reads one line and strips "\n" or "\r\n". A clean end of stream
// before any byte is io.EOF; in the middle of a line, io.ErrUnexpectedEOF.
func readLine(br *bufio.Reader) (string, error) {
	b, err := br.ReadSlice('\n')
	switch {
	case errors.Is(err, bufio.ErrBufferFull):
		return "", fmt.Errorf("%w: reply line longer than %d bytes", ErrProtocol, br.Size())
	case err == io.EOF && len(b) > 0:
		return "", io.ErrUnexpectedEOF
	case err != nil:
		return "", err
	}
	b = b[:len(b)-1]
	if n := len(b); n > 0 && b[n-1] == '\r' {
		b = b[:n-1]
	}
	return string(b), nil
}

// clip shortens s for an error message.
func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "..."
	}
	return s
}
