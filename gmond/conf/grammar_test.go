package conf

import (
	"reflect"
	"testing"
	"time"
)

func tags(c *Config) any      { return c.Globals.Tags }
func clusterOf(c *Config) any { return c.Cluster }
func sendPorts(c *Config) any {
	var ps []int
	for _, s := range c.UDPSend {
		ps = append(ps, s.Port)
	}
	return ps
}

// TestGrammar covers the libconfuse syntax: each case is a file and the
// part of the Config it must produce.
func TestGrammar(t *testing.T) {
	cases := []struct {
		name string
		text string
		get  func(*Config) any
		want any
	}{
		// Comments.
		{"hash comment", "globals { # tags = \"no\"\n tags = yes # trailing\n}", tags, "yes"},
		{"slash comment", "// whole line\nglobals { tags = a // trailing\n}", tags, "a"},
		{"block comment", "/* one\n two { } = \n*/ globals { tags /* inside */ = b }", tags, "b"},
		{"hash ends bare word", "globals { tags = v1#v2\n}", tags, "v1"},
		{"comment at EOF without newline", "globals { tags = c } # end", tags, "c"},
		{"slash inside bare word", "globals { tags = /usr/lib//ganglia }", tags, "/usr/lib//ganglia"},
		{"comment markers in string", `globals { tags = "a # b // c /* d */" }`, tags, "a # b // c /* d */"},
		// Quoting.
		{"bare word", "globals { tags = web-01.example:8649 }", tags, "web-01.example:8649"},
		{"double quotes", `globals { tags = "two words" }`, tags, "two words"},
		{"empty string", `globals { tags = "" }`, tags, ""},
		{"C escapes", `globals { tags = "a\tb\nc\"d\\e" }`, tags, "a\tb\nc\"d\\e"},
		{"octal and hex escapes", `globals { tags = "\101\x42\x4a\7x" }`, tags, "ABJ\ax"},
		{"hex escape takes two digits at most", `globals { tags = "\x414" }`, tags, "A4"},
		{"unknown escape is the character", `globals { tags = "\q\x\$" }`, tags, "qx$"},
		{"backslash newline continues", "globals { tags = \"ab\\\ncd\" }", tags, "abcd"},
		{"newline kept in string", "globals { tags = \"ab\ncd\" }", tags, "ab\ncd"},
		{"single quotes", `globals { tags = 'it\'s a \\ and \n' }`, tags, `it's a \ and \n`},
		{"single quotes keep double quote", `globals { tags = 'say "hi"' }`, tags, `say "hi"`},
		{"quoted key", `globals { "tags" = x }`, tags, "x"},
		// Environment substitution, as libconfuse does it.
		{"env in string", `globals { tags = "c=${GANGLIA_CLUSTER}!" }`, tags, "c=prod!"},
		{"env bare", `globals { tags = ${GANGLIA_CLUSTER} }`, tags, "prod"},
		{"env default", `globals { tags = "${NOPE:-fallback}" }`, tags, "fallback"},
		{"env set but empty beats default", `globals { tags = "[${EMPTY:-x}]" }`, tags, "[]"},
		{"env unset is empty", `globals { tags = "[${NOPE}]" }`, tags, "[]"},
		{"escaped dollar is literal", `globals { tags = "\${GANGLIA_CLUSTER}" }`, tags, "${GANGLIA_CLUSTER}"},
		{"dollar without brace", `globals { tags = "$5 a$b" }`, tags, "$5 a$b"},
		// Booleans.
		{"booleans true", "globals { mute = yes deaf = TRUE gexec = On setuid = no daemonize = off allow_extra_data = False }",
			func(c *Config) any {
				g := c.Globals
				return []bool{g.Mute, g.Deaf, g.Gexec, g.Setuid, g.Daemonize, g.AllowExtraData}
			}, []bool{true, true, true, false, false, false}},
		{"quoted boolean", `globals { mute = "yes" }`, func(c *Config) any { return c.Globals.Mute }, true},
		// Case-insensitive names, case-preserving values.
		{"case-insensitive keys", "GLOBALS { Send_Metadata_Interval = 15 }\nCluster { NAME = \"MixedCase\" }",
			func(c *Config) any { return []any{c.Globals.SendMetadataInterval, c.Cluster.Name} },
			[]any{15 * time.Second, "MixedCase"}},
		// Numbers as strtol / strtod read them.
		{"integers", "globals { host_dmax = 0x10 host_tmax = 010 cleanup_threshold = +7 debug_level = \" 3\" }",
			func(c *Config) any {
				g := c.Globals
				return []any{g.HostDmax, g.HostTmax, g.CleanupThreshold, g.DebugLevel}
			}, []any{16 * time.Second, 8 * time.Second, 7 * time.Second, 3}},
		{"float forms", `collection_group { metric { name = a value_threshold = "1.5" } metric { name = b value_threshold = 2e1 } metric { name = c value_threshold = -3 } metric { name = d value_threshold = 0x1.8 } }`,
			func(c *Config) any {
				var v []float64
				for _, m := range c.Groups[0].Metrics {
					v = append(v, m.ValueThreshold)
				}
				return v
			}, []float64{1.5, 20, -1, 1.5}},
		// Sections.
		{"repeated channels keep order", "udp_send_channel { host = a port = 1 }\nudp_send_channel { host = b port = 2 }\nudp_send_channel { host = c port = 3 }",
			sendPorts, []int{1, 2, 3}},
		{"repeated single section merges", "cluster { name = one owner = me }\ncluster { name = two url = u }", clusterOf,
			Cluster{Name: "two", Owner: "me", Latlong: "unspecified", URL: "u"}},
		{"later key wins", "globals { tags = first tags = second }", tags, "second"},
		{"one line", "globals{tags=x}cluster{name=y}", func(c *Config) any { return c.Globals.Tags + c.Cluster.Name }, "xy"},
		{"CRLF line ends", "globals {\r\n  tags = crlf\r\n}\r\n", tags, "crlf"},
		{"nested acl", `tcp_accept_channel { port = 8649 acl { default = "DENY" access { ip = 10.0.0.0 mask = 8 action = allow } access { ip = "::1" action = "Allow" } } }`,
			func(c *Config) any {
				a := c.TCPAccept[0].ACL
				return []any{a.DefaultAllow, len(a.Access), a.Access[0].Prefix.String(), a.Access[1].Prefix.String(), a.Access[1].Allow}
			}, []any{false, 2, "10.0.0.0/8", "::1/128", true}},
		{"module param with title", `modules { module { name = "python_module" language = python enabled = no param RandomMax { value = 600 } param "Two Words" { value = x } } }`,
			func(c *Config) any { return c.Modules[0] },
			Module{Name: "python_module", Language: "python", Param: []ModuleParam{{"RandomMax", "600"}, {"Two Words", "x"}}, Pos: Pos{"test.conf", 1}}},
		{"metric name_match", `collection_group { collect_every = 5 metric { name_match = "^multicpu_([a-z]+)$" title = "\\1" } }`,
			func(c *Config) any { m := c.Groups[0].Metrics[0]; return []string{m.Name, m.NameMatch, m.Title} },
			[]string{"", "^multicpu_([a-z]+)$", `\1`}},
		{"source_port extension", "udp_send_channel { host = h port = 8301 source_port = 8649 }",
			func(c *Config) any { return c.UDPSend[0].SourcePort }, 8649},
		{"family normalised", "udp_recv_channel { port = 1 family = ipv6 }\nudp_recv_channel { port = 2 family = AF_INET4 }",
			func(c *Config) any { return c.UDPRecv[0].Family + "," + c.UDPRecv[1].Family }, "inet6,inet4"},
		{"empty file", "", func(c *Config) any { c.Files = nil; return c }, base()},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := mustParse(t, tc.text)
			if got := tc.get(c); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %#v\nwant %#v", got, tc.want)
			}
			if len(c.Warnings) != 0 && tc.name != "module param with title" {
				t.Errorf("unexpected warnings: %q", c.Warnings)
			}
		})
	}
}

// TestDefaultsPerSection checks the stock defaults a bare section gets.
func TestDefaultsPerSection(t *testing.T) {
	c := mustParse(t, `udp_send_channel { host = h }
udp_recv_channel { port = 1 }
tcp_accept_channel { port = 2 }
collection_group { metric { name = m } }`)
	want := &Config{
		Globals:   base().Globals,
		Cluster:   base().Cluster,
		Host:      base().Host,
		UDPSend:   []UDPSend{{Host: "h", TTL: 1, Pos: Pos{"test.conf", 1}}},
		UDPRecv:   []UDPRecv{{Port: 1, Family: "inet4", RetryBind: true, Pos: Pos{"test.conf", 2}}},
		TCPAccept: []TCPAccept{{Port: 2, Timeout: -1, Family: "inet4", Pos: Pos{"test.conf", 3}}},
		Groups: []CollectionGroup{{CollectEvery: 60 * time.Second, TimeThreshold: 3600 * time.Second, Pos: Pos{"test.conf", 4},
			Metrics: []GroupMetric{{Name: "m", ValueThreshold: -1, Pos: Pos{"test.conf", 4}}}}},
		Files: []string{"test.conf"},
	}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("got  %+v\nwant %+v", c, want)
	}
	if c.Globals.SendMetadataInterval != 60*time.Second || c.Globals.HostDmax != 86400*time.Second {
		t.Errorf("globals defaults: %+v", c.Globals)
	}
}

// TestLineNumbers: positions count lines inside block comments, strings
// and continuations.
func TestLineNumbers(t *testing.T) {
	c := mustParse(t, "/*\n\n*/\nglobals { tags = \"a\nb\\\nc\" }\n\n# x\nudp_send_channel { host = h }\n")
	if got := c.UDPSend[0].Pos; got != (Pos{"test.conf", 9}) {
		t.Errorf("udp_send_channel at %v, want test.conf:9", got)
	}
}
