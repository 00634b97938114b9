package browser

import (
	"context"
	"encoding/base64"
	"os"
	"testing"
)

// Screenshot resizes the page's viewport to width × height CSS pixels and
// writes what it shows to path as a PNG of exactly that many pixels. The
// viewport keeps the new size afterwards.
func (p *Page) Screenshot(tb testing.TB, path string, width, height int) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), p.b.Timeout)
	defer cancel()
	c := p.b.conn
	err := c.call(ctx, p.session, "Emulation.setDeviceMetricsOverride", map[string]any{
		"width": width, "height": height, "deviceScaleFactor": 1, "mobile": false,
	}, nil)
	if err != nil {
		tb.Fatalf("browser: resizing %s to %dx%d: %v", p.URL, width, height, err)
	}
	var shot struct{ Data string }
	err = c.call(ctx, p.session, "Page.captureScreenshot", map[string]any{
		"format": "png",
		"clip":   map[string]any{"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
	}, &shot)
	if err != nil {
		tb.Fatalf("browser: screenshot of %s: %v", p.URL, err)
	}
	png, err := base64.StdEncoding.DecodeString(shot.Data)
	if err != nil {
		tb.Fatalf("browser: screenshot of %s: %v", p.URL, err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		tb.Fatalf("browser: %v", err)
	}
}
