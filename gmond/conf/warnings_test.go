package conf

import (
	"reflect"
	"testing"
)

// TestWarnings: options this agent does not act on are accepted with
// exactly one warning each, "file:line: key: message", never an error.
func TestWarnings(t *testing.T) {
	cases := []struct {
		name string
		goos string
		text string
		want []string
	}{
		{"unknown option", "linux", "globals {\n  mute = no\n  colour = blue\n}",
			[]string{"test.conf:3: globals.colour: unknown option; ignored"}},
		{"unknown list and append", "linux", "globals { a = {x, y} b += z c = {} }", []string{
			"test.conf:1: globals.a: unknown option; ignored",
			"test.conf:1: globals.b: unknown option; ignored",
			"test.conf:1: globals.c: unknown option; ignored"}},
		{"unknown section warns once", "linux", "telemetry {\n  a = 1\n  b { c = 2 }\n}\nweird title { x = 1 }",
			[]string{"test.conf:1: telemetry: unknown section; ignored", "test.conf:5: weird: unknown section; ignored"}},
		{"unknown function", "linux", "exec ('rm', '-rf')", []string{"test.conf:1: exec: unknown function; ignored"}},
		{"unknown key inside channel", "linux", "udp_send_channel { host = h port = 1 interface = eth0 }",
			[]string{"test.conf:1: udp_send_channel.interface: unknown option; ignored"}},
		{"modules warn once per section", "linux", "modules {\n module { name = a }\n module { name = b path = \"b.so\" }\n}",
			[]string{"test.conf:1: modules: not supported: this gmond has its metrics built in and loads no modules; section ignored"}},
		{"sflow", "linux", "sflow { udp_port = 6343 }",
			[]string{"test.conf:1: sflow: not supported: sFlow is not received; section ignored"}},
		{"multicast on linux is fine", "linux", "udp_send_channel { mcast_join = 239.2.11.71 port = 8649 }", nil},
		{"multicast send on aix", "aix", "udp_send_channel {\n mcast_join = 239.2.11.71\n host = collector\n port = 8649\n}",
			[]string{"test.conf:2: udp_send_channel.mcast_join: multicast is not available on aix; mcast_join ignored, sending by unicast to host collector"}},
		{"multicast send on aix without host", "aix", "udp_send_channel { mcast_join = 239.2.11.71 port = 8649 }",
			[]string{"test.conf:1: udp_send_channel.mcast_join: multicast is not available on aix; mcast_join ignored, this channel needs a host (or a collector in the mapping file)"}},
		{"multicast recv on aix", "aix", "udp_recv_channel { mcast_join = 239.2.11.71 port = 8649 bind = 239.2.11.71 }",
			[]string{"test.conf:1: udp_recv_channel.mcast_join: multicast is not available on aix; mcast_join ignored, listening for unicast on port 8649"}},
		{"unclosed block comment", "aix", "globals { mute = no }\n/* the rest\nglobals { mute = yes }\n",
			[]string{"test.conf:2: comment opened with /* is never closed; the rest of the file is ignored"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := parse("test.conf", []byte(tc.text), testOptions(memFS{}, tc.goos))
			if err != nil {
				t.Fatalf("error instead of warnings: %v", err)
			}
			if !reflect.DeepEqual(c.Warnings, tc.want) {
				t.Errorf("warnings\n%q\nwant\n%q", c.Warnings, tc.want)
			}
		})
	}
}

// TestMulticastOnAIX: the warned-about multicast settings are dropped, so
// the sender and receiver see a plain unicast channel.
func TestMulticastOnAIX(t *testing.T) {
	text := `udp_send_channel { mcast_join = 239.2.11.71 mcast_if = en0 host = c port = 8649 }
udp_recv_channel { mcast_join = 239.2.11.71 port = 8649 bind = 239.2.11.71 }
udp_recv_channel { mcast_join = 239.2.11.71 port = 8650 bind = 10.1.1.1 }`
	c, err := parse("test.conf", []byte(text), testOptions(memFS{}, "aix"))
	if err != nil {
		t.Fatal(err)
	}
	s, r0, r1 := c.UDPSend[0], c.UDPRecv[0], c.UDPRecv[1]
	if s.McastJoin != "" || s.McastIf != "" || s.Host != "c" {
		t.Errorf("send channel %+v", s)
	}
	if r0.McastJoin != "" || r0.Bind != "" || r1.Bind != "10.1.1.1" {
		t.Errorf("recv channels %+v %+v", r0, r1)
	}
	if len(c.Warnings) != 3 {
		t.Errorf("want one warning per channel, got %q", c.Warnings)
	}
	lin, err := parse("test.conf", []byte(text), testOptions(memFS{}, "linux"))
	if err != nil || lin.UDPSend[0].McastJoin == "" || lin.UDPRecv[0].Bind == "" {
		t.Errorf("linux keeps multicast: %v %+v", err, lin)
	}
}
