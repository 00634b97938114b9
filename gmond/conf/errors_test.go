package conf

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// want is one expected error: its line, key and kind.
type want struct {
	line int
	key  string
	kind error
}

// TestErrors: every bad config fails with errors naming file, line and key,
// and all independent mistakes are reported together.
func TestErrors(t *testing.T) {
	cases := []struct {
		name string
		text string
		want []want
	}{
		// Syntax.
		{"missing equal sign", "globals {\n  mute yes\n}", []want{{2, "globals.mute", ErrSyntax}}},
		{"missing value", "globals {\n  mute =\n}", []want{{3, "globals.mute", ErrSyntax}}},
		{"unclosed section", "globals {\n  mute = yes\n", []want{{3, "globals", ErrSyntax}}},
		{"stray closing brace", "globals { }\n}\n", []want{{2, "", ErrSyntax}}},
		{"unterminated string", "cluster {\n name = \"abc\n}\n", []want{{2, "", ErrSyntax}}},
		{"unterminated single quote", "cluster { name = 'abc }", []want{{1, "", ErrSyntax}}},
		{"bad octal escape", `cluster { name = "\400" }`, []want{{1, "", ErrSyntax}}},
		{"digits after octal escape", `cluster { name = "\1234" }`, []want{{1, "", ErrSyntax}}},
		{"unquoted glob", "include (/etc/ganglia/conf.d/*.conf)", []want{{1, "", ErrSyntax}}},
		{"title then no brace", "param x = 1", []want{{1, "param", ErrSyntax}}},
		{"list missing comma", "foo = {a b}", []want{{1, "foo", ErrSyntax}}},
		// Values of the wrong type.
		{"bad boolean", "globals {\n  mute = maybe\n}", []want{{2, "globals.mute", ErrType}}},
		{"bad integer", "globals { host_dmax = 1d }", []want{{1, "globals.host_dmax", ErrType}}},
		{"go-only integer forms", "globals { host_dmax = 1_000 host_tmax = 0b11 cleanup_threshold = 0o7 }",
			[]want{{1, "globals.host_dmax", ErrType}, {1, "globals.host_tmax", ErrType}, {1, "globals.cleanup_threshold", ErrType}}},
		{"bad float", "collection_group { metric { name = x value_threshold = lots } }", []want{{1, "collection_group.metric.value_threshold", ErrType}}},
		{"infinite float", "collection_group { metric { name = x value_threshold = inf } }", []want{{1, "collection_group.metric.value_threshold", ErrRange}}},
		{"option written as section", "globals { mute { } }", []want{{1, "globals.mute", ErrType}}},
		{"section written as option", "cluster = x", []want{{1, "cluster", ErrType}}},
		{"list for single value", "cluster { name = {a, b} }", []want{{1, "cluster.name", ErrType}}},
		{"append to single value", "cluster { name += a }", []want{{1, "cluster.name", ErrType}}},
		{"title on plain section", "globals g { }", []want{{1, "globals", ErrType}}},
		{"param without title", "modules { module { name = m param { value = 1 } } }", []want{{1, "modules.module.param", ErrType}}},
		{"bad regexp", "collection_group { metric { name_match = \"(?<=x)\" } }", []want{{1, "collection_group.metric.name_match", ErrType}}},
		// Ranges and required options.
		{"negative port", "udp_send_channel {\n host = h\n port = -1\n}", []want{{3, "udp_send_channel.port", ErrRange}}},
		{"port too high", "tcp_accept_channel { port = 65536 }", []want{{1, "tcp_accept_channel.port", ErrRange}}},
		{"send port zero", "udp_send_channel { host = h port = 0 }", []want{{1, "udp_send_channel.port", ErrRange}}},
		{"negative seconds", "globals { send_metadata_interval = -60 }", []want{{1, "globals.send_metadata_interval", ErrRange}}},
		{"ttl too high", "udp_send_channel { host = h ttl = 256 }", []want{{1, "udp_send_channel.ttl", ErrRange}}},
		{"recv port missing", "\nudp_recv_channel { bind = 0.0.0.0 }", []want{{2, "udp_recv_channel.port", ErrRequired}}},
		{"accept port missing", "tcp_accept_channel { }", []want{{1, "tcp_accept_channel.port", ErrRequired}}},
		{"unknown family", "udp_recv_channel { port = 1 family = unix }", []want{{1, "udp_recv_channel.family", ErrRange}}},
		{"metric without name", "collection_group {\n metric {\n title = t\n }\n}", []want{{2, "collection_group.metric.name", ErrRequired}}},
		{"collect_every zero", "collection_group { collect_every = 0 metric { name = x } }", []want{{1, "collection_group.collect_every", ErrRange}}},
		{"time_threshold zero", "collection_group {\n time_threshold = 0\n}", []want{{2, "collection_group.time_threshold", ErrRange}}},
		// Conflicts.
		{"bind and bind_hostname", "udp_send_channel {\n host = h\n bind = 10.0.0.1\n bind_hostname = yes\n}",
			[]want{{4, "udp_send_channel.bind_hostname", ErrConflict}}},
		// ACLs.
		{"acl bad default", "udp_recv_channel { port = 1 acl { default = maybe } }", []want{{1, "udp_recv_channel.acl.default", ErrRange}}},
		{"acl bad action", "udp_recv_channel { port = 1 acl { access { ip = 1.2.3.4 action = permit } } }", []want{{1, "udp_recv_channel.acl.access.action", ErrRange}}},
		{"acl missing ip and action", "udp_recv_channel { port = 1 acl { access { mask = 8 } } }",
			[]want{{1, "udp_recv_channel.acl.access.ip", ErrRequired}, {1, "udp_recv_channel.acl.access.action", ErrRequired}}},
		{"acl bad ip", "udp_recv_channel { port = 1 acl { access { ip = 10.0.0.300 action = deny } } }", []want{{1, "udp_recv_channel.acl.access.ip", ErrRange}}},
		{"acl bad mask", "tcp_accept_channel { port = 1 acl { access {\n ip = 10.0.0.0\n mask = 255.0.255.0\n action = deny } } }",
			[]want{{3, "tcp_accept_channel.acl.access.mask", ErrRange}}},
		// Includes.
		{"include inside a section", "globals { include ('x.conf') }", []want{{1, "globals.include", ErrInclude}}},
		{"include of a missing file", "include ('missing.conf')", []want{{1, "include", ErrInclude}}},
		{"include as an option", "include = 'x.conf'", []want{{1, "include", ErrSyntax}}},
		{"include with two names", "include ('a', 'b')", []want{{1, "include", ErrInclude}}},
		{"include bad pattern", "include ('[*')", []want{{1, "include", ErrInclude}}},
		// Several at once: everything before a syntax error is still checked.
		{"all reported", "globals {\n mute = 2\n deaf = 3\n}\nudp_send_channel { host = h port = -5 }\ncluster { name = }\n",
			[]want{{2, "globals.mute", ErrType}, {3, "globals.deaf", ErrType}, {5, "udp_send_channel.port", ErrRange}, {6, "cluster.name", ErrSyntax}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := parseText(tc.text)
			if err == nil {
				t.Fatalf("no error; config %+v", c)
			}
			if c != nil {
				t.Errorf("config returned with an error")
			}
			es := asErrors(t, err)
			var got []want
			for _, e := range es {
				if e.File != "test.conf" || e.Line < 1 || e.Msg == "" {
					t.Errorf("badly located error %#v", e)
				}
				got = append(got, want{e.Line, e.Key, e.Err})
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("got errors\n%v\nwant (line, key, kind)\n%v", err, tc.want)
			}
			for _, w := range tc.want {
				if !errors.Is(err, w.kind) {
					t.Errorf("errors.Is(err, %v) is false", w.kind)
				}
			}
		})
	}
}

// TestErrorFormat pins the "file:line: key: msg" shape and errors.As.
func TestErrorFormat(t *testing.T) {
	_, err := parseText("udp_send_channel {\n host = h\n port = -1\n}\nglobals { mute = 2 }")
	want := "test.conf:3: udp_send_channel.port: -1 is out of range (1 to 65535)\n" +
		`test.conf:5: globals.mute: "2" is not a boolean (yes/no, true/false, on/off)`
	if err == nil || err.Error() != want {
		t.Fatalf("got\n%v\nwant\n%s", err, want)
	}
	var e *Error
	if !errors.As(err, &e) || e.Line != 3 || e.Key != "udp_send_channel.port" {
		t.Errorf("errors.As gives %#v", e)
	}
	syntax := &Error{File: "f", Line: 7, Msg: "m"}
	if syntax.Error() != "f:7: m" {
		t.Errorf("keyless error prints %q", syntax.Error())
	}
	if !strings.HasPrefix(Errors{syntax}.Error(), "f:7: ") {
		t.Errorf("Errors prints %q", Errors{syntax}.Error())
	}
}
