package browser

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sync"
	"testing"
	"time"
)

// Page is one page loaded by Open. URL, Status, DOM and LoadTime describe
// the load; the methods return what the page logged and failed to load so
// far, the load included.
type Page struct {
	URL      string        // the URL given to Open
	Status   int           // HTTP status of the document, 0 when none arrived
	DOM      string        // document.documentElement.outerHTML at the end of the load
	LoadTime time.Duration // real time from navigation to the end of the load

	b       *Browser
	target  string
	session string

	mu       sync.Mutex
	status   int // Status, as the events set it
	console  []Message
	uncaught []Exception
	failed   []FailedLoad
	requests map[string]string // URLs of the requests under way, by DevTools requestId
	loaded   chan struct{}     // closed at Page.loadEventFired
	expired  chan struct{}     // closed at Emulation.virtualTimeBudgetExpired
}

// Open loads url in a new tab and returns once the page has used up
// b.Budget of virtual time with no fetch pending, so its scripts have run.
// It fails tb when the load takes more than b.Timeout of real time or the
// document does not arrive; an HTTP error status does not fail it (see
// Page.Status).
func (b *Browser) Open(tb testing.TB, url string) *Page {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), b.Timeout)
	defer cancel()
	p := &Page{URL: url, b: b, requests: make(map[string]string),
		loaded: make(chan struct{}), expired: make(chan struct{})}
	if err := p.attach(ctx); err != nil {
		tb.Fatalf("browser: opening a tab for %s: %v", url, err)
	}
	start := time.Now()
	if err := p.navigate(ctx); err != nil {
		tb.Fatalf("browser: loading %s: %v", url, err)
	}
	p.LoadTime = time.Since(start)
	p.mu.Lock()
	p.Status = p.status
	p.mu.Unlock()
	var dom string
	if err := p.eval(ctx, "document.documentElement.outerHTML", &dom); err != nil {
		tb.Fatalf("browser: reading the DOM of %s: %v", url, err)
	}
	p.DOM = dom
	return p
}

// attach creates a blank tab, attaches a session to it and enables the
// domains whose events the page records.
func (p *Page) attach(ctx context.Context) error {
	c := p.b.conn
	var target struct{ TargetID string }
	if err := c.call(ctx, "", "Target.createTarget", map[string]any{"url": "about:blank"}, &target); err != nil {
		return err
	}
	p.target = target.TargetID
	var att struct{ SessionID string }
	err := c.call(ctx, "", "Target.attachToTarget",
		map[string]any{"targetId": target.TargetID, "flatten": true}, &att)
	if err != nil {
		return err
	}
	p.session = att.SessionID
	c.subscribe(p.session, p.event)
	for _, m := range []string{"Page.enable", "Runtime.enable", "Network.enable", "Log.enable"} {
		if err := c.call(ctx, p.session, m, nil, nil); err != nil {
			return err
		}
	}
	return c.call(ctx, p.session, "Emulation.setDeviceMetricsOverride", map[string]any{
		"width": p.b.Width, "height": p.b.Height, "deviceScaleFactor": 1, "mobile": false,
	}, nil)
}

// navigate loads the page under virtual time and waits for the budget to
// run out. Virtual time is paused until Page.navigate has answered (the
// document is committed); started earlier, the idle blank tab would use up
// the budget at once. Virtual time then stands still while a fetch is
// pending, so a slow server costs real time but never cuts the page's
// scripts short.
func (p *Page) navigate(ctx context.Context) error {
	c := p.b.conn
	if err := c.call(ctx, p.session, "Emulation.setVirtualTimePolicy", map[string]any{"policy": "pause"}, nil); err != nil {
		return err
	}
	var nav struct{ ErrorText string }
	if err := c.call(ctx, p.session, "Page.navigate", map[string]any{"url": p.URL}, &nav); err != nil {
		return err
	}
	if nav.ErrorText != "" {
		return fmt.Errorf("navigation failed: %s", nav.ErrorText)
	}
	err := c.call(ctx, p.session, "Emulation.setVirtualTimePolicy", map[string]any{
		"policy": "pauseIfNetworkFetchesPending", "budget": p.b.Budget.Milliseconds(),
	}, nil)
	if err != nil {
		return err
	}
	select {
	case <-p.expired:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("virtual time budget %v not used up within %v (load event fired: %v; requests under way: %v): %w",
			p.b.Budget, p.b.Timeout, isClosed(p.loaded), p.pending(), ctx.Err())
	case <-c.done:
		return c.closeErr()
	}
}

// Eval evaluates the JavaScript expression js in the page, awaiting it if
// it is a promise, and returns its value decoded from JSON (string,
// float64, bool, nil, []any or map[string]any). A thrown exception fails tb.
func (p *Page) Eval(tb testing.TB, js string) any {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), p.b.Timeout)
	defer cancel()
	var v any
	if err := p.eval(ctx, js, &v); err != nil {
		tb.Fatalf("browser: evaluating %q in %s: %v", js, p.URL, err)
	}
	return v
}

func (p *Page) eval(ctx context.Context, js string, v any) error {
	var res struct {
		Result           struct{ Value json.RawMessage }
		ExceptionDetails *exceptionDetails
	}
	err := p.b.conn.call(ctx, p.session, "Runtime.evaluate", map[string]any{
		"expression": js, "returnByValue": true, "awaitPromise": true,
	}, &res)
	if err != nil {
		return err
	}
	if res.ExceptionDetails != nil {
		return fmt.Errorf("%s", res.ExceptionDetails.exception().Text)
	}
	if len(res.Result.Value) == 0 {
		return json.Unmarshal([]byte("null"), v)
	}
	return json.Unmarshal(res.Result.Value, v)
}

// Close closes the page's tab, freeing its renderer; the record of the
// load stays readable. Tabs left open are closed with the browser.
func (p *Page) Close(tb testing.TB) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), p.b.Timeout)
	defer cancel()
	if err := p.b.conn.call(ctx, "", "Target.closeTarget", map[string]any{"targetId": p.target}, nil); err != nil {
		tb.Fatalf("browser: closing the tab of %s: %v", p.URL, err)
	}
	p.b.conn.unsubscribe(p.session)
}

// pending returns the URLs of the requests under way, sorted.
func (p *Page) pending() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Sorted(maps.Values(p.requests))
}

func isClosed(ch chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}
