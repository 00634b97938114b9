package svgchart

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"
)

// elem is an element of rendered output, for tests that check structure
// rather than bytes.
type elem struct {
	name  string
	attr  map[string]string
	text  string // own character data
	title string // text of a <title> child
}

func parseSVG(t testing.TB, b []byte) []*elem {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(b))
	var all, stack []*elem
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return all
		}
		if err != nil {
			t.Fatalf("parse: %v\n%s", err, b)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			e := &elem{name: tok.Name.Local, attr: map[string]string{}}
			for _, a := range tok.Attr {
				e.attr[a.Name.Local] = a.Value
			}
			all, stack = append(all, e), append(stack, e)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if n := len(stack); n > 0 {
				stack[n-1].text += string(tok)
				if n > 1 && stack[n-1].name == "title" {
					stack[n-2].title += string(tok)
				}
			}
		}
	}
}

func find(es []*elem, name string, ok func(*elem) bool) []*elem {
	var out []*elem
	for _, e := range es {
		if e.name == name && (ok == nil || ok(e)) {
			out = append(out, e)
		}
	}
	return out
}

// seriesPaths returns the data paths: those with a series name as tooltip.
func seriesPaths(es []*elem) []*elem {
	return find(es, "path", func(e *elem) bool { return e.title != "" })
}

// parsePath reads the path data Render writes (M, l, h, v, z) back into
// absolute subpaths in pixels.
func parsePath(t testing.TB, d string) [][][2]float64 {
	t.Helper()
	var subs [][][2]float64
	var cur [2]float64
	var cmd byte
	var nums []float64
	flush := func() {
		switch cmd {
		case 'M':
			cur = [2]float64{nums[0], nums[1]}
			subs = append(subs, [][2]float64{cur})
		case 'l':
			for i := 0; i+1 < len(nums); i += 2 {
				cur = [2]float64{cur[0] + nums[i], cur[1] + nums[i+1]}
				subs[len(subs)-1] = append(subs[len(subs)-1], cur)
			}
		case 'h':
			cur[0] += nums[0]
			subs[len(subs)-1] = append(subs[len(subs)-1], cur)
		case 'v':
			cur[1] += nums[0]
			subs[len(subs)-1] = append(subs[len(subs)-1], cur)
		}
		nums = nums[:0]
	}
	for _, f := range strings.FieldsFunc(d, func(r rune) bool { return r == ' ' }) {
		for f != "" {
			if c := f[0]; strings.IndexByte("Mlhvz", c) >= 0 {
				if cmd != 0 {
					flush()
				}
				cmd, f = c, f[1:]
				continue
			}
			end := strings.IndexAny(f, "Mlhvz")
			if end < 0 {
				end = len(f)
			}
			v, err := strconv.ParseFloat(f[:end], 64)
			if err != nil {
				t.Fatalf("path %q: %v", d, err)
			}
			nums, f = append(nums, v), f[end:]
		}
	}
	if cmd != 0 {
		flush()
	}
	return subs
}

func atof(t testing.TB, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func atoi(t testing.TB, s string) int {
	t.Helper()
	v, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
