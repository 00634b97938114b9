package browser

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// Message is one line of the page's console: a console.* call (Source
// "console-api") or a message of the browser itself, such as a failed
// resource load (Source "network") or a blocked script (Source "security").
type Message struct {
	Level  string // "error", "warning", "info" or "debug"
	Source string
	Text   string
	URL    string // where it was logged from, when known
	Line   int    // 1-based; 0 when unknown
}

func (m Message) String() string {
	return fmt.Sprintf("console %s (%s) %s%s", m.Level, m.Source, m.Text, where(m.URL, m.Line))
}

// Exception is an uncaught exception or unhandled promise rejection.
type Exception struct {
	Text  string // e.g. "Uncaught Error: boom"
	Stack string // the exception's description with its stack, when it has one
	URL   string
	Line  int // 1-based; 0 when unknown
}

func (e Exception) String() string { return e.Text + where(e.URL, e.Line) }

// FailedLoad is a request of the page that got an HTTP status of 400 or
// more, or no answer at all (Err says why). The document itself is not
// included: see Page.Status.
type FailedLoad struct {
	URL    string
	Type   string // DevTools resource type: "Image", "Script", "Stylesheet", "Fetch", ...
	Status int    // 0 when the request failed without an HTTP answer
	Err    string // e.g. "net::ERR_CONNECTION_REFUSED"; "" for an HTTP error status
}

func (f FailedLoad) String() string {
	if f.Status != 0 {
		return fmt.Sprintf("%s %s: HTTP %d", f.Type, f.URL, f.Status)
	}
	return fmt.Sprintf("%s %s: %s", f.Type, f.URL, f.Err)
}

func where(url string, line int) string {
	switch {
	case url == "":
		return ""
	case line == 0:
		return " at " + url
	default:
		return fmt.Sprintf(" at %s:%d", url, line)
	}
}

// Console returns the console messages so far, oldest first.
func (p *Page) Console() []Message {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.console)
}

// Exceptions returns the uncaught exceptions so far, oldest first.
func (p *Page) Exceptions() []Exception {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.uncaught)
}

// FailedLoads returns the sub-resources that failed to load so far.
func (p *Page) FailedLoads() []FailedLoad {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.failed)
}

// Problems returns, one line each, everything the DevTools console of the
// page would show in red: console errors, uncaught exceptions and failed
// loads. Chromium's own "Failed to load resource" console lines are left
// out, since the failed loads say the same with the URL and status.
func (p *Page) Problems() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []string
	for _, m := range p.console {
		if m.Level == "error" && m.Source != "network" {
			out = append(out, m.String())
		}
	}
	for _, e := range p.uncaught {
		out = append(out, "uncaught "+e.String())
	}
	for _, f := range p.failed {
		out = append(out, "failed load "+f.String())
	}
	return out
}

// ExpectClean reports each of p.Problems as an error of tb.
func (p *Page) ExpectClean(tb testing.TB) {
	tb.Helper()
	for _, s := range p.Problems() {
		tb.Errorf("browser: %s: %s", p.URL, s)
	}
}

// event records one DevTools event of the page's session. It runs on the
// connection's reader goroutine.
func (p *Page) event(method string, params json.RawMessage) {
	switch method {
	case "Page.loadEventFired":
		closeOnce(p.loaded)
	case "Emulation.virtualTimeBudgetExpired":
		closeOnce(p.expired)
	case "Runtime.consoleAPICalled":
		var ev consoleEvent
		if json.Unmarshal(params, &ev) == nil {
			p.add(func() { p.console = append(p.console, ev.message()) })
		}
	case "Log.entryAdded":
		var ev struct{ Entry logEntry }
		if json.Unmarshal(params, &ev) == nil {
			p.add(func() { p.console = append(p.console, ev.Entry.message()) })
		}
	case "Runtime.exceptionThrown":
		var ev struct{ ExceptionDetails exceptionDetails }
		if json.Unmarshal(params, &ev) == nil {
			p.add(func() { p.uncaught = append(p.uncaught, ev.ExceptionDetails.exception()) })
		}
	default:
		p.network(method, params)
	}
}

func (p *Page) add(f func()) {
	p.mu.Lock()
	f()
	p.mu.Unlock()
}

func closeOnce(ch chan struct{}) {
	if !isClosed(ch) { // only the reader goroutine closes it
		close(ch)
	}
}

// consoleEvent is Runtime.consoleAPICalled.
type consoleEvent struct {
	Type       string
	Args       []remoteObject
	StackTrace *stackTrace
}

func (ev consoleEvent) message() Message {
	parts := make([]string, len(ev.Args))
	for i, a := range ev.Args {
		parts[i] = a.text()
	}
	m := Message{Source: "console-api", Text: strings.Join(parts, " ")}
	switch ev.Type {
	case "error", "assert":
		m.Level = "error"
	case "warning":
		m.Level = "warning"
	case "debug":
		m.Level = "debug"
	default:
		m.Level = "info"
	}
	if ev.StackTrace != nil && len(ev.StackTrace.CallFrames) > 0 {
		f := ev.StackTrace.CallFrames[0]
		m.URL, m.Line = f.URL, f.LineNumber+1
	}
	return m
}

type stackTrace struct {
	CallFrames []struct {
		URL        string
		LineNumber int // 0-based
	}
}

// remoteObject is the part of a DevTools Runtime.RemoteObject needed to
// print it the way the console does.
type remoteObject struct {
	Type                string
	Value               json.RawMessage
	UnserializableValue string
	Description         string
}

func (o remoteObject) text() string {
	switch {
	case o.Type == "string":
		var s string
		_ = json.Unmarshal(o.Value, &s)
		return s
	case o.UnserializableValue != "":
		return o.UnserializableValue
	case o.Description != "":
		return o.Description
	case len(o.Value) > 0:
		return string(o.Value)
	default:
		return o.Type
	}
}

// logEntry is the entry of Log.entryAdded.
type logEntry struct {
	Source, Level, Text, URL string
	LineNumber               int // 0-based
}

func (e logEntry) message() Message {
	m := Message{Level: e.Level, Source: e.Source, Text: e.Text, URL: e.URL}
	if e.URL != "" {
		m.Line = e.LineNumber + 1
	}
	if m.Level == "verbose" {
		m.Level = "debug"
	}
	return m
}

// exceptionDetails is Runtime.ExceptionDetails.
type exceptionDetails struct {
	Text       string // "Uncaught" or "Uncaught (in promise)"
	URL        string
	LineNumber int // 0-based
	Exception  *remoteObject
}

func (d exceptionDetails) exception() Exception {
	e := Exception{Text: d.Text, URL: d.URL}
	if d.URL != "" {
		e.Line = d.LineNumber + 1
	}
	if d.Exception != nil {
		e.Stack = d.Exception.Description
		first, _, _ := strings.Cut(d.Exception.text(), "\n")
		e.Text += " " + first
	}
	return e
}
