package gangliaweb

import (
	"strings"
	"testing"

	"github.com/ganglia-lpm/ganglia-lpm/internal/browser"
)

// brokenImagesJS lists the images of a page that finished loading without
// a picture. graph.php and stacked.php answer 200 with an empty body when
// rrdtool fails, which Chromium does not count as a failed load.
const brokenImagesJS = `Array.from(document.images)
	.filter(i => i.src && i.complete && i.naturalWidth === 0)
	.map(i => i.src)`

// BrokenImages returns the address of every image of page that loaded
// without a picture.
func BrokenImages(tb testing.TB, page *browser.Page) []string {
	tb.Helper()
	var out []string
	list, _ := page.Eval(tb, brokenImagesJS).([]any)
	for _, v := range list {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// IsStackedGraph reports whether src is ganglia-web's stacked graph
// (stacked.php), which stays broken on PHP 8 with stock gmetad as with
// ours: it hands rrdtool an HTML-escaped time ("unparsable time:
// &#039;-3600s&#039;").
func IsStackedGraph(src string) bool {
	return strings.Contains(src, "/stacked.php?")
}
