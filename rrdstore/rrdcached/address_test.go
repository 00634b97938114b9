package rrdcached

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseAddress(t *testing.T) {
	tests := []struct {
		in      string
		network string
		addr    string
	}{
		{"unix:/var/run/rrdcached.sock", "unix", "/var/run/rrdcached.sock"},
		{"/var/run/rrdcached.sock", "unix", "/var/run/rrdcached.sock"},
		{"127.0.0.1:42217", "tcp", "127.0.0.1:42217"},
		{"127.0.0.1", "tcp", "127.0.0.1:42217"},
		{"rrd.example.org:4000", "tcp", "rrd.example.org:4000"},
		{"localhost", "tcp", "localhost:42217"},
		{"[::1]:4000", "tcp", "[::1]:4000"},
		{"[::1]", "tcp", "[::1]:42217"},
		{"::1", "tcp", "[::1]:42217"},
		{"fe80::1%eth0", "tcp", "[fe80::1%eth0]:42217"},
	}
	for _, tt := range tests {
		a, err := ParseAddress(tt.in)
		if err != nil || a.Network != tt.network || a.Addr != tt.addr {
			t.Errorf("ParseAddress(%q) = %+v, %v; want %s %s", tt.in, a, err, tt.network, tt.addr)
		}
	}
	for _, bad := range []string{"", "unix:", "host:", ":42217", "host:port", "host:0",
		"host:70000", "[::1", "[::1]x", "[::1]:", "[]:1", "a b:1"} {
		_, err := ParseAddress(bad)
		var ae *AddressError
		if !errors.As(err, &ae) || ae.Addr != bad || !strings.Contains(err.Error(), `"`+bad+`"`) {
			t.Errorf("ParseAddress(%q) = %v, want an *AddressError naming it", bad, err)
		}
	}
}

func TestAddressString(t *testing.T) {
	for _, in := range []string{"unix:/run/r.sock", "127.0.0.1:42217", "[::1]:4000"} {
		a, err := ParseAddress(in)
		if err != nil || a.String() != in {
			t.Errorf("ParseAddress(%q).String() = %q, %v", in, a.String(), err)
		}
	}
}

func TestAddressFromEnv(t *testing.T) {
	t.Setenv(EnvAddress, "")
	if _, err := AddressFromEnv(); !errors.Is(err, ErrNoAddress) {
		t.Errorf("empty: %v, want ErrNoAddress", err)
	}
	if _, err := Dial(context.Background(), "", Options{}); !errors.Is(err, ErrNoAddress) {
		t.Errorf("Dial(\"\") without the variable: %v", err)
	}
	t.Setenv(EnvAddress, "nohost:x")
	if _, err := AddressFromEnv(); err == nil || !strings.Contains(err.Error(), "nohost:x") {
		t.Errorf("bad value: %v, want an error naming it", err)
	}

	f := newFake(t, script("0 PONG\n"))
	t.Setenv(EnvAddress, f.addr)
	a, err := AddressFromEnv()
	if err != nil || a.String() != f.addr {
		t.Fatalf("AddressFromEnv = %v, %v", a, err)
	}
	c, err := Dial(context.Background(), "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Ping(context.Background()); err != nil {
		t.Error(err)
	}
}

func TestRemotePaths(t *testing.T) {
	// A base reached through a symbolic link: over a unix socket the
	// client must send the real path, the only one rrdcached knows.
	dir := t.TempDir()
	real := filepath.Join(dir, "rrds")
	link := filepath.Join(dir, "link")
	if err := os.Mkdir(real, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	cwd, _ := os.Getwd()
	tests := []struct {
		unix bool
		base string
		file string
		want string
		err  error
	}{
		{true, link, "c/h/m.rrd", real + "/c/h/m.rrd", nil},
		{true, link, link + "/c/h/m.rrd", real + "/c/h/m.rrd", nil},
		{true, link, "c/../c/h//m.rrd", real + "/c/h/m.rrd", nil},
		{true, link, "/elsewhere/m.rrd", "/elsewhere/m.rrd", nil},
		{true, link, "../m.rrd", "", ErrOutsideBaseDir},
		{true, "", "c/m.rrd", cwd + "/c/m.rrd", nil},
		{true, "", "/abs/m.rrd", "/abs/m.rrd", nil},
		{false, "/var/lib/ganglia/rrds", "/var/lib/ganglia/rrds/c/h/m.rrd", "c/h/m.rrd", nil},
		{false, "/var/lib/ganglia/rrds/", "c/h/m.rrd", "c/h/m.rrd", nil},
		{false, "/var/lib/ganglia/rrds", "/var/lib/ganglia/rrdsX/m.rrd", "", ErrOutsideBaseDir},
		{false, "/var/lib/ganglia/rrds", "/var/lib/ganglia/rrds", "", ErrOutsideBaseDir},
		{false, "/var/lib/ganglia/rrds", "../m.rrd", "", ErrOutsideBaseDir},
		{false, "", "/var/lib/ganglia/rrds/m.rrd", "/var/lib/ganglia/rrds/m.rrd", nil},
		{false, "", "Test Cluster/m.rrd", "Test Cluster/m.rrd", nil},
		{false, "", "", "", ErrBadField},
	}
	for _, tt := range tests {
		m, err := newPathMapper(tt.unix, tt.base)
		if err != nil {
			t.Fatal(err)
		}
		got, err := m.remote(tt.file)
		if !errors.Is(err, tt.err) || got != tt.want {
			t.Errorf("unix=%v base=%q: remote(%q) = %q, %v; want %q, %v",
				tt.unix, tt.base, tt.file, got, err, tt.want, tt.err)
		}
	}
}
