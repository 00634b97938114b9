package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// isTerminal reports whether w is a character device such as a terminal:
// cron, systemd and pipes give a file, socket or pipe instead, and get no
// progress bar.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0 && fi.Mode()&os.ModeDevice != 0
}

// progressBar draws "label [####....] done/total" on one terminal line, at
// most every progressEvery and once at the end; finish erases it so that
// the output that follows starts on a clean line. A nil *progressBar
// draws nothing, which is what commands use when there is no terminal.
type progressBar struct {
	w     io.Writer
	now   func() time.Time
	label string // what is being counted, e.g. "checking RRD files"
	last  time.Time
	drawn bool
}

const (
	progressEvery = 100 * time.Millisecond
	progressWidth = 30
)

func newProgressBar(w io.Writer, now func() time.Time, label string) *progressBar {
	return &progressBar{w: w, now: now, label: label}
}

func (p *progressBar) update(done, total int) {
	if p == nil {
		return
	}
	now := p.now()
	if done < total && p.drawn && now.Sub(p.last) < progressEvery {
		return
	}
	p.last, p.drawn = now, true
	fill := progressWidth * done / max(total, 1)
	fmt.Fprintf(p.w, "\r%s [%s%s] %d/%d %3d%%", p.label, strings.Repeat("#", fill),
		strings.Repeat(".", progressWidth-fill), done, total, 100*done/max(total, 1))
}

func (p *progressBar) finish() {
	if p != nil && p.drawn {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
