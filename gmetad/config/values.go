package config

import (
	"fmt"
	"math"
	"net"
	"net/netip"
	"strconv"
	"strings"
)

// argError is a problem with the arguments of one directive; the parse
// loop adds file, line and directive.
type argError struct {
	kind error
	msg  string
}

func (e *argError) Error() string { return e.msg }

func valueErr(format string, args ...any) error {
	return &argError{kind: ErrValue, msg: fmt.Sprintf(format, args...)}
}

// parseCInt reads an integer as dotconf's ARG_INT does (sscanf "%li"):
// optional sign, then 0x/0X hexadecimal, a leading 0 for octal, or decimal.
// Unlike sscanf it wants the whole token: "8651abc" is refused instead of
// read as 8651, and "abc" instead of read as 0.
func parseCInt(s string) (int64, bool) {
	t, neg := s, false
	if t != "" && (t[0] == '+' || t[0] == '-') {
		neg, t = t[0] == '-', t[1:]
	}
	base := 10
	switch {
	case len(t) > 2 && (t[:2] == "0x" || t[:2] == "0X"):
		base, t = 16, t[2:]
	case len(t) > 1 && t[0] == '0':
		base, t = 8, t[1:]
	}
	if t == "" || t[0] == '+' || t[0] == '-' {
		return 0, false
	}
	v, err := strconv.ParseUint(t, base, 63)
	if err != nil {
		return 0, false
	}
	if neg {
		return -int64(v), true
	}
	return int64(v), true
}

// parseInt reads a C integer in [min, max].
func parseInt(s string, min, max int64) (int, error) {
	v, ok := parseCInt(s)
	if !ok {
		return 0, valueErr("%q is not an integer", s)
	}
	if v < min || v > max {
		if max == math.MaxInt32 {
			return 0, valueErr("%s is out of range: at least %d", s, min)
		}
		return 0, valueErr("%s is out of range %d..%d", s, min, max)
	}
	return int(v), nil
}

// parsePort reads a TCP or UDP port; 0 means "any free port" for the
// ports we listen on.
func parsePort(s string) (int, error) {
	v, ok := parseCInt(s)
	if !ok || v < 0 || v > 65535 {
		return 0, valueErr("%q is not a port number", s)
	}
	return int(v), nil
}

// parseToggle reads an on/off value. dotconf's ARG_TOGGLE takes a value
// starting with y, 1 or "on" as true and ANYTHING else as false, so stock
// gmetad reads "setuid true" as off; only the unambiguous spellings are
// accepted here.
func parseToggle(s string) (bool, error) {
	switch strings.ToLower(s) {
	case "on", "yes", "1":
		return true, nil
	case "off", "no", "0":
		return false, nil
	}
	return false, valueErr("%q is not on or off (stock gmetad reads every value but on, yes and 1 as off)", s)
}

// parseOnOff reads scalable and write_rrds: stock gmetad compares the value
// with "off" (strcmp) and treats every other string, "OFF" and "no"
// included, as on. Only "on" and "off" are accepted here.
func parseOnOff(s string) (bool, error) {
	switch s {
	case "on":
		return true, nil
	case "off":
		return false, nil
	}
	return false, valueErr(`%q is not "on" or "off" (stock gmetad treats every value but "off" as on)`, s)
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

func zeroOne(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// checkHost accepts an IP address or a host name: letters, digits, '.',
// '-' and '_'. Anything else cannot be resolved and is a typo.
func checkHost(h string) error {
	if _, err := netip.ParseAddr(h); err == nil {
		return nil
	}
	if h == "" || len(h) > 253 {
		return valueErr("%q is not a host name or IP address", h)
	}
	for i := 0; i < len(h); i++ {
		c := h[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '-' || c == '_') {
			return valueErr("%q is not a host name or IP address", h)
		}
	}
	return nil
}

// parseSourceAddr reads a data_source address, host or host:port, and
// returns it as host:port with gmond's port 8649 filled in. Stock gmetad
// splits at the first ':' and resolves to IPv4 only; "[v6]:port" is an
// extension.
func parseSourceAddr(s string) (string, error) {
	host, port := s, strconv.Itoa(DefaultGmondPort)
	switch {
	case strings.HasPrefix(s, "["):
		end := strings.IndexByte(s, ']')
		if end < 0 {
			return "", valueErr("%q: missing ] after IPv6 address", s)
		}
		host = s[1:end]
		if rest := s[end+1:]; rest != "" {
			if rest[0] != ':' {
				return "", valueErr("%q: unexpected %q after ]", s, rest)
			}
			port = rest[1:]
		}
		if a, err := netip.ParseAddr(host); err != nil || !a.Is6() {
			return "", valueErr("%q is not an IPv6 address in brackets", s)
		}
	case strings.Count(s, ":") > 1:
		return "", valueErr("%q: write an IPv6 address in brackets, [addr]:port", s)
	case strings.Contains(s, ":"):
		host, port, _ = strings.Cut(s, ":")
	}
	if err := checkHost(host); err != nil {
		return "", err
	}
	p, ok := decimalPort(port)
	if !ok || p == 0 {
		return "", valueErr("%q: %q is not a port number", s, port)
	}
	return net.JoinHostPort(host, strconv.Itoa(p)), nil
}

// parseListenAddr reads host:port for a socket we listen on.
func parseListenAddr(s string) error {
	host, port, err := net.SplitHostPort(s)
	if err != nil {
		return valueErr("%q is not host:port", s)
	}
	if host != "" {
		if err := checkHost(host); err != nil {
			return err
		}
	}
	if _, ok := decimalPort(port); !ok {
		return valueErr("%q: %q is not a port number", s, port)
	}
	return nil
}

// decimalPort reads a port written in decimal digits only, as net.Dial
// and net.Listen take it.
func decimalPort(s string) (int, bool) {
	if s == "" || len(s) > 5 || strings.TrimLeft(s, "0123456789") != "" {
		return 0, false
	}
	p, _ := strconv.Atoi(s)
	return p, p <= 65535
}
