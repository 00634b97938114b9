package conf

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// fuzzFS gives includes something to find: a good file, a self-include
// and a glob target.
var fuzzFS = memFS{
	"a.conf":        "udp_send_channel { host = a port = 1 }\n",
	"loop.conf":     "include ('loop.conf')\n",
	"conf.d/x.conf": "collection_group { metric { name = x } }\n",
}

// FuzzParse: Parse never panics; a failure is a non-empty Errors whose
// entries all carry a file, a line >= 1, a kind and a message, the same on
// every run; a success dumps to text that parses back to the same Config.
func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/include/*/*.conf")
	seeds = append(seeds, "testdata/include/main.conf")
	for _, s := range seeds {
		b, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{
		"globals {\n  daemonize = yes\n  host_dmax = 86400 /*secs */\n  send_metadata_interval = 0\n}\n" +
			"udp_send_channel {\n  mcast_join = 239.2.11.71\n  port = 8649\n  ttl = 1\n}\n" +
			"tcp_accept_channel { port = 8649 gzip_output = no }\n" +
			"collection_group {\n  collect_every = 20\n  time_threshold = 90\n  metric {\n    name = \"cpu_user\"\n    value_threshold = \"1.0\"\n    title = \"CPU User\"\n  }\n}\n",
		"include ('a.conf')\ninclude ('conf.d/*.conf')\ninclude ('loop.conf')",
		`globals { tags = "a\tb\101\x4a${GANGLIA_CLUSTER}\q" 'x' = 'y\'z' }`,
		"/* c */ # h\n// s\nglobals{mute=YES}cluster{NAME=x}",
		"udp_recv_channel { port = 1 acl { default = deny access { ip = 10.1 mask = 255.255.0.0 action = allow } } }",
		"modules { module { name = m param p { value = 1 } } } unknown { a = {b, c} d += e f(g) }",
		"collection_group { collect_once = on metric { name_match = \"^a(b)\" value_threshold = 0x1p-3 } }",
		"udp_send_channel { mcast_join = 239.2.11.71 port = +8649 bind = x bind_hostname = yes }",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		// The grammar is local, so 1 KiB finds what more would; larger
		// inputs make the fuzzer's quadratic minimiser stall for a minute.
		if len(data) > 1024 {
			return
		}
		const name = "main.conf"
		c, err := parse(name, data, testOptions(fuzzFS, "linux"))
		if err != nil {
			var es Errors
			if !errors.As(err, &es) || len(es) == 0 {
				t.Fatalf("error is not a non-empty Errors: %#v", err)
			}
			for _, e := range es {
				if e.File == "" || e.Line < 1 || e.Err == nil || e.Msg == "" {
					t.Fatalf("badly located error %#v", e)
				}
			}
			if _, err2 := parse(name, data, testOptions(fuzzFS, "linux")); err2 == nil || err2.Error() != err.Error() {
				t.Fatalf("report not deterministic:\n%v\n---\n%v", err, err2)
			}
			return
		}
		text := dump(t, c)
		back, err := parse("dump.conf", text, testOptions(memFS{}, "linux"))
		if err != nil {
			t.Fatalf("dump does not parse: %v\n%s", err, text)
		}
		if a, b := stripPos(c), stripPos(back); !reflect.DeepEqual(a, b) {
			t.Fatalf("dump changes the config:\n%+v\n%+v\n%s", a, b, text)
		}
	})
}
