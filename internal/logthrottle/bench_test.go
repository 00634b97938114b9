package logthrottle

import (
	"context"
	"log/slog"
	"net/netip"
	"testing"
	"time"
)

// BenchmarkLogSuppressed is the hot-path cost of a line that the throttle
// drops: a mutex and whatever boxing the caller's arguments need (one
// allocation here, for the netip.AddrPort).
func BenchmarkLogSuppressed(b *testing.B) {
	th := New(slog.New(slog.DiscardHandler), time.Hour)
	ctx := context.Background()
	from := netip.MustParseAddrPort("10.1.2.3:8649")
	th.Log(ctx, "k", "first")
	b.ReportAllocs()
	for range b.N {
		th.Log(ctx, "k", "bad packet", "from", from, "len", 1473)
	}
}
