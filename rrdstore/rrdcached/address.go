package rrdcached

import (
	"errors"
	"net"
	"os"
	"strconv"
	"strings"
)

// DefaultPort is rrdcached's TCP port when an address names none
// (RRDCACHED_DEFAULT_PORT in librrd).
const DefaultPort = 42217

// EnvAddress is the environment variable librrd's argv functions read to
// find the daemon; Debian's gmetad unit sets it to reach a local rrdcached.
const EnvAddress = "RRDCACHED_ADDRESS"

// ErrNoAddress is returned by AddressFromEnv when RRDCACHED_ADDRESS is
// unset or empty, which librrd takes to mean "no daemon, write locally".
var ErrNoAddress = errors.New("rrdcached: " + EnvAddress + " is not set")

// Address is a parsed daemon address.
type Address struct {
	// Network is "unix" or "tcp", as net.Dial takes it.
	Network string
	// Addr is the socket path for "unix" and host:port for "tcp".
	Addr string
}

// String returns the address in the form rrdcached's -l and librrd accept:
// "unix:/path" or "host:port" ("[v6]:port").
func (a Address) String() string {
	if a.Network == "unix" {
		return "unix:" + a.Addr
	}
	return a.Addr
}

// AddressError reports an address that cannot be parsed; it names the
// address as given.
type AddressError struct {
	Addr   string
	Reason string
}

func (e *AddressError) Error() string {
	return "rrdcached: bad address " + strconv.Quote(e.Addr) + ": " + e.Reason
}

// ParseAddress parses an address the way librrd's rrdc_connect does:
// "unix:/path" and "/path" are unix sockets; "[v6]:port", "[v6]",
// "host:port" and "host" are TCP, with DefaultPort when no port is given.
// A bare IPv6 literal ("::1") has no port, as in librrd, because every colon
// belongs to the address.
func ParseAddress(s string) (Address, error) {
	bad := func(reason string) (Address, error) {
		return Address{}, &AddressError{Addr: s, Reason: reason}
	}
	switch {
	case s == "":
		return bad("empty")
	case strings.HasPrefix(s, "unix:"):
		if p := s[len("unix:"):]; p != "" {
			return Address{Network: "unix", Addr: p}, nil
		}
		return bad("no socket path after unix:")
	case s[0] == '/':
		return Address{Network: "unix", Addr: s}, nil
	}
	host, port, reason := splitHostPort(s)
	if reason != "" {
		return bad(reason)
	}
	return Address{Network: "tcp", Addr: net.JoinHostPort(host, port)}, nil
}

// splitHostPort separates host and port of a TCP address, returning a reason
// when the address is malformed.
func splitHostPort(s string) (host, port, reason string) {
	port = strconv.Itoa(DefaultPort)
	switch {
	case s[0] == '[':
		end := strings.IndexByte(s, ']')
		if end < 0 {
			return "", "", "missing ] after IPv6 address"
		}
		host, rest := s[1:end], s[end+1:]
		if rest != "" {
			if rest[0] != ':' {
				return "", "", "garbage after ]: " + strconv.Quote(rest)
			}
			port = rest[1:]
		}
		return checkHostPort(host, port)
	case strings.Count(s, ":") == 1:
		i := strings.IndexByte(s, ':')
		return checkHostPort(s[:i], s[i+1:])
	default:
		// No colon: a host name or IPv4 address. Several: a bare IPv6
		// literal, which cannot carry a port without brackets.
		return checkHostPort(s, port)
	}
}

func checkHostPort(host, port string) (string, string, string) {
	if host == "" {
		return "", "", "empty host"
	}
	if strings.ContainsAny(host, " \t/") {
		return "", "", "invalid host " + strconv.Quote(host)
	}
	n, err := strconv.ParseUint(port, 10, 16)
	if err != nil || n == 0 {
		return "", "", "invalid port " + strconv.Quote(port)
	}
	return host, port, ""
}

// AddressFromEnv parses RRDCACHED_ADDRESS, the variable gmetad and rrdtool
// inherit. It returns ErrNoAddress when the variable is unset or empty.
func AddressFromEnv() (Address, error) {
	s := os.Getenv(EnvAddress)
	if s == "" {
		return Address{}, ErrNoAddress
	}
	return ParseAddress(s)
}
