package web

import (
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestReadTreeCheck(t *testing.T) {
	for _, c := range []struct {
		file     string
		findings int
		byRule   map[string]int
		err      string
	}{
		{"fixed.jsonl", 3, map[string]int{"orphan-lpar": 2, "unreadable-rrd": 1}, ""},
		{"clean.jsonl", 0, map[string]int{}, ""},
		{"killed.jsonl", 1, map[string]int{"orphan-lpar": 1}, "no summary line"},
	} {
		t.Run(c.file, func(t *testing.T) {
			path := filepath.Join("testdata", "treecheck", c.file)
			mtime := time.Date(2024, 5, 31, 2, 30, 0, 0, time.UTC)
			tmp := filepath.Join(t.TempDir(), c.file)
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(tmp, b, 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.Chtimes(tmp, mtime, mtime); err != nil {
				t.Fatal(err)
			}
			tc, err := ReadTreeCheck(tmp)
			if c.err == "" && err != nil || c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)) {
				t.Fatalf("err %v, want %q", err, c.err)
			}
			if tc == nil || tc.Path != tmp || !tc.Time.Equal(mtime) {
				t.Fatalf("result %+v", tc)
			}
			if c.err != "" {
				if tc.Err != err.Error() {
					t.Errorf("Err %q, want the error", tc.Err)
				}
				return
			}
			if tc.Err != "" || tc.Findings != c.findings || !maps.Equal(tc.ByRule, c.byRule) {
				t.Errorf("got %d %v %q, want %d %v", tc.Findings, tc.ByRule, tc.Err, c.findings, c.byRule)
			}
		})
	}
}

func TestReadTreeCheckErrors(t *testing.T) {
	dir := t.TempDir()
	tc, err := ReadTreeCheck(filepath.Join(dir, "none.jsonl"))
	if !errors.Is(err, fs.ErrNotExist) || tc == nil || tc.Err == "" {
		t.Errorf("missing file: %v %+v", err, tc)
	}
	for name, text := range map[string]string{
		"notjson":   "checked /r: no problems\n",
		"unknown":   `{"type":"progress"}` + "\n",
		"late":      `{"type":"summary","left":0}` + "\n" + `{"type":"finding","rule":"x","action":"reported"}` + "\n",
		"miscount":  `{"type":"finding","rule":"x","action":"reported"}` + "\n" + `{"type":"summary","left":2}` + "\n",
		"longline":  strings.Repeat("x", maxTreeCheckLine+1) + "\n",
		"truncated": `{"type":"finding","rule":"x",`,
	} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		if tc, err := ReadTreeCheck(path); err == nil || tc.Err == "" {
			t.Errorf("%s: no error", name)
		}
	}
}

func FuzzReadTreeCheck(f *testing.F) {
	for _, name := range []string{"fixed.jsonl", "clean.jsonl", "killed.jsonl"} {
		b, err := os.ReadFile(filepath.Join("testdata", "treecheck", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, b []byte) {
		path := filepath.Join(dir, "check.jsonl")
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		tc, err := ReadTreeCheck(path)
		if tc == nil {
			t.Fatal("nil TreeCheck")
		}
		if (err == nil) != (tc.Err == "") {
			t.Fatalf("err %v but Err %q", err, tc.Err)
		}
		if err == nil {
			n := 0
			for _, v := range tc.ByRule {
				n += v
			}
			if n != tc.Findings {
				t.Fatalf("findings %d, by rule %v", tc.Findings, tc.ByRule)
			}
		}
	})
}
