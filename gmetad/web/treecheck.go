package web

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
)

// maxTreeCheckLine bounds one JSON line of the check's output; a finding
// holds a path and a message, far below it.
const maxTreeCheckLine = 1 << 20

// ReadTreeCheck reads the output of `ganglia-lpm check --json` saved at
// path: JSON Lines, one {"type":"finding",...} object per finding, then one
// {"type":"summary",...}. It counts the findings still left (those whose
// action is not "fixed: ..."), by rule, and dates the result by the file's
// modification time. A file without its summary line (a check that was
// killed, or is still writing) is an error.
//
// The returned TreeCheck is never nil: on error it carries Path, Time when
// known and Err, so the caller can show why the status is missing.
func ReadTreeCheck(path string) (*TreeCheck, error) {
	tc := &TreeCheck{Path: path, ByRule: map[string]int{}}
	err := readTreeCheck(tc, path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		// The normal state between installing and the first nightly run.
		tc.Err = "no report yet: the nightly check has not run (ganglia-lpm-check.timer)"
	case err != nil:
		tc.Err = err.Error()
	}
	return tc, err
}

func readTreeCheck(tc *TreeCheck, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil {
		tc.Time = fi.ModTime()
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 4096), maxTreeCheckLine)
	summary, line := false, 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			continue
		}
		var obj struct {
			Type   string `json:"type"`
			Rule   string `json:"rule"`
			Action string `json:"action"`
			Left   *int   `json:"left"`
		}
		if err := json.Unmarshal([]byte(text), &obj); err != nil {
			return fmt.Errorf("%s:%d: %w", path, line, err)
		}
		switch obj.Type {
		case "finding":
			if summary {
				return fmt.Errorf("%s:%d: finding after the summary", path, line)
			}
			if !strings.HasPrefix(obj.Action, "fixed: ") {
				tc.Findings++
				tc.ByRule[obj.Rule]++
			}
		case "summary":
			if obj.Left != nil && *obj.Left != tc.Findings {
				return fmt.Errorf("%s:%d: summary says %d left, the file lists %d", path, line, *obj.Left, tc.Findings)
			}
			summary = true
		default:
			return fmt.Errorf("%s:%d: unknown type %q", path, line, obj.Type)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if !summary {
		return fmt.Errorf("%s: %w", path, errNoSummary)
	}
	return nil
}

var errNoSummary = errors.New("no summary line: the check did not finish")
