package browser

import (
	"encoding/json"
	"net/url"
)

// network records the document's status and the failed sub-resource loads
// from the Network domain's events.
func (p *Page) network(method string, params json.RawMessage) {
	switch method {
	case "Network.requestWillBeSent":
		var ev struct {
			RequestID string
			Type      string
			Request   struct{ URL string }
		}
		if json.Unmarshal(params, &ev) == nil && !implicitFavicon(ev.Type, ev.Request.URL) {
			p.add(func() { p.requests[ev.RequestID] = ev.Request.URL })
		}
	case "Network.responseReceived":
		var ev struct {
			RequestID, LoaderID, Type string
			Response                  struct {
				URL    string
				Status int
			}
		}
		if json.Unmarshal(params, &ev) != nil {
			return
		}
		p.add(func() {
			switch {
			case ev.Type == "Document" && ev.RequestID == ev.LoaderID && p.status == 0:
				// The first document answer is the page's own (frames come later).
				p.status = ev.Response.Status
			case ev.Response.Status >= 400 && !implicitFavicon(ev.Type, ev.Response.URL):
				p.failed = append(p.failed, FailedLoad{URL: ev.Response.URL, Type: ev.Type, Status: ev.Response.Status})
			}
		})
	case "Network.loadingFailed":
		var ev struct {
			RequestID, Type, ErrorText string
			Canceled                   bool
		}
		if json.Unmarshal(params, &ev) != nil {
			return
		}
		p.add(func() {
			u, ok := p.requests[ev.RequestID]
			delete(p.requests, ev.RequestID)
			if ok && !ev.Canceled {
				p.failed = append(p.failed, FailedLoad{URL: u, Type: ev.Type, Err: ev.ErrorText})
			}
		})
	case "Network.loadingFinished":
		var ev struct{ RequestID string }
		if json.Unmarshal(params, &ev) == nil {
			p.add(func() { delete(p.requests, ev.RequestID) })
		}
	}
}

// implicitFavicon reports whether a request is the browser's own guess at
// /favicon.ico (resource type "Other"): a page that declares no icon is
// not broken.
func implicitFavicon(kind, rawURL string) bool {
	u, err := url.Parse(rawURL)
	return err == nil && kind == "Other" && u.Path == "/favicon.ico"
}
