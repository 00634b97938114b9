package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
)

var rawPackets = []string{
	"testdata/0001.bin", "testdata/0002.bin", "testdata/0004.bin", "testdata/0008.bin",
	"testdata/0014.bin", "testdata/0036.bin", "testdata/0056.bin", "testdata/0064.bin",
	"testdata/0087.bin", "testdata/0088.bin", "testdata/0090.bin",
}

type decodeCase struct {
	name  string
	args  []string
	stdin func(t *testing.T) []byte
	code  int
}

func decodeCases() []decodeCase {
	return []decodeCase{
		{name: "raw", args: rawPackets},
		{name: "startup-hex", args: []string{"testdata/gmond_startup_packets.hex"}},
		{name: "pcap", args: []string{"testdata/udp-dst18301.pcap"}},
		{name: "kinds", args: []string{"testdata/kinds.hex"}},
		{name: "bad", args: []string{"testdata/bad.hex"}, code: exitFailed},
		{name: "badsyntax", args: []string{"--format", "hex", "testdata/badsyntax.hex"}, code: exitFailed},
		{name: "pcap-edge", stdin: edgeCapture, code: exitFailed},
		{name: "pcap-edge-port", args: []string{"--port", "18301"}, stdin: edgeCapture, code: exitFailed},
		{name: "pcapng", stdin: func(*testing.T) []byte { return []byte("\x0a\x0d\x0d\x0a\x1c\x00\x00\x00\x4d\x3c\x2b\x1a") }, code: exitFailed},
		{name: "stdin-raw", stdin: readFile("testdata/0087.bin")},
	}
}

func readFile(path string) func(t *testing.T) []byte {
	return func(t *testing.T) []byte {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
}

// runCase runs a case in human or JSON output.
func runCase(t *testing.T, c decodeCase, asJSON bool) result {
	t.Helper()
	args := append([]string{"decode"}, c.args...)
	if asJSON {
		args = append(args, "--json")
	}
	var stdin []byte
	if c.stdin != nil {
		stdin = c.stdin(t)
	}
	r := runCmd(t, stdin, args...)
	if r.code != c.code {
		t.Errorf("exit %d, want %d; stderr: %s", r.code, c.code, r.stderr)
	}
	return r
}

func TestDecodeGolden(t *testing.T) {
	for _, c := range decodeCases() {
		t.Run(c.name, func(t *testing.T) {
			golden(t, c.name+".golden", runCase(t, c, false).String())
			golden(t, c.name+".json.golden", runCase(t, c, true).String())
		})
	}
}

// TestDecodeJSONFields checks the contract of --json on every case: each
// line is a JSON object with the fields its kind requires.
func TestDecodeJSONFields(t *testing.T) {
	for _, c := range decodeCases() {
		t.Run(c.name, func(t *testing.T) {
			r := runCase(t, c, true)
			for i, line := range strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n") {
				if line == "" {
					continue
				}
				var obj map[string]any
				if err := json.Unmarshal([]byte(line), &obj); err != nil {
					t.Fatalf("line %d: %v: %s", i+1, err, line)
				}
				if msg := checkJSONLine(obj); msg != "" {
					t.Errorf("line %d: %s: %s", i+1, msg, line)
				}
			}
		})
	}
}

// checkJSONLine returns what is wrong with one decoded JSON line.
func checkJSONLine(obj map[string]any) string {
	want := map[string]string{"source": "string"}
	if _, ok := obj["error"]; ok {
		want["error"] = "string"
		return checkTypes(obj, want)
	}
	for k, typ := range map[string]string{"id": "number", "kind": "string", "host": "string",
		"name": "string", "spoof": "bool", "len": "number"} {
		want[k] = typ
	}
	switch kind, _ := obj["kind"].(string); {
	case kind == "gmetadata_full":
		for k, typ := range map[string]string{"type": "string", "units": "string", "slope": "string",
			"tmax": "number", "dmax": "number", "extra": "array"} {
			want[k] = typ
		}
		for _, e := range obj["extra"].([]any) {
			if msg := checkTypes(e.(map[string]any), map[string]string{"name": "string", "data": "string"}); msg != "" {
				return "extra: " + msg
			}
		}
	case kind == "gmetric_string":
		want["fmt"], want["value"], want["val"] = "string", "string", "string"
	case strings.HasPrefix(kind, "gmetric_"):
		want["fmt"], want["val"] = "string", "string"
		if _, isString := obj["value"].(string); isString && !strings.Contains("NaN +Inf -Inf", obj["value"].(string)) {
			return "numeric value as string"
		} else if !isString {
			want["value"] = "number"
		}
	case kind != "gmetadata_request":
		return "unknown kind"
	}
	return checkTypes(obj, want)
}

func checkTypes(obj map[string]any, want map[string]string) string {
	for k, typ := range want {
		var ok bool
		switch v := obj[k]; typ {
		case "string":
			_, ok = v.(string)
		case "number":
			_, ok = v.(float64)
		case "bool":
			_, ok = v.(bool)
		case "array":
			_, ok = v.([]any)
		}
		if !ok {
			return "field " + k + " missing or not a " + typ
		}
	}
	return ""
}

func TestDecodePortFilter(t *testing.T) {
	all := runCmd(t, nil, "decode", "testdata/udp-dst18301.pcap")
	same := runCmd(t, nil, "decode", "--port", "18301", "testdata/udp-dst18301.pcap")
	if same.stdout != all.stdout || same.code != exitOK || same.stderr != "" {
		t.Errorf("--port 18301 changed the output: %s", same.stderr)
	}
	none := runCmd(t, nil, "decode", "--port", "8649", "testdata/udp-dst18301.pcap")
	if none.stdout != "" || none.code != exitOK || !strings.Contains(none.stderr, "other ports (--port): 188") {
		t.Errorf("--port 8649: %s", none)
	}
	if n := strings.Count(all.stdout, "\n"); n != 188 {
		t.Errorf("%d lines, want 188", n)
	}
}

// TestDecodeStdinIsLive feeds a hex dump through a pipe one line at a time:
// each packet must be printed before the next line is written, as with
// `tail -f dump.hex | ganglia-lpm decode`.
func TestDecodeStdinIsLive(t *testing.T) {
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	e := &env{stdin: inR, stdout: outW, stderr: io.Discard, now: fixedNow}
	code := make(chan int, 1)
	go func() {
		code <- run(context.Background(), e, []string{"decode"})
		outW.Close()
	}()
	out := bufio.NewScanner(outR)
	for i, line := range []string{
		"1795302993.261 0000008400000002766d0000000000096865617274626561740000000000000000000002257500006b022651\n",
		"00000088 00000002 766d0000 00000006 6f727068 616e0000 00000000\n",
	} {
		io.WriteString(inW, line)
		if !out.Scan() {
			t.Fatal("no output")
		}
		if want := fmt.Sprintf("stdin:%d - ", i+1); !strings.HasPrefix(out.Text(), want) {
			t.Errorf("line %d: %s", i+1, out.Text())
		}
	}
	inW.Close()
	for out.Scan() {
		t.Errorf("extra line %s", out.Text())
	}
	if c := <-code; c != exitOK {
		t.Errorf("exit %d", c)
	}
}
