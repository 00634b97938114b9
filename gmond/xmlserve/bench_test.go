package xmlserve

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/netip"
	"strings"
	"testing"
)

// BenchmarkServe measures whole connections over loopback: connect, (send a
// request line), read the answer to EOF, close, the way gmetad and
// ganglia-web poll. allocs/op counts both sides.
func BenchmarkServe(b *testing.B) {
	for _, bc := range []struct {
		name    string
		size    int
		request string
	}{
		{"dump=4KiB", 4 << 10, ""},
		{"dump=1MiB", 1 << 20, ""},
		{"interactive=4KiB", 4 << 10, "/P550-DC1-R01/lpar01\n"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			doc := strings.Repeat("x", bc.size)
			srv, err := New("127.0.0.1:0", Options{ReadRequest: bc.request != ""})
			if err != nil {
				b.Fatal(err)
			}
			done := make(chan error, 1)
			go func() {
				done <- srv.Serve(context.Background(), HandlerFunc(
					func(_ context.Context, w io.Writer, _ string, _ netip.AddrPort) error {
						_, err := io.WriteString(w, doc)
						return err
					}))
			}()
			defer func() {
				srv.Close()
				<-done
			}()
			addr := srv.Addr().String()
			b.SetBytes(int64(bc.size))
			b.ResetTimer()
			for range b.N {
				if err := fetch(addr, bc.request, bc.size); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "conns/s")
		})
	}
}

func fetch(addr, request string, want int) error {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	defer c.Close()
	if request != "" {
		if _, err := io.WriteString(c, request); err != nil {
			return err
		}
	}
	n, err := io.Copy(io.Discard, c)
	if err == nil && n != int64(want) {
		err = fmt.Errorf("read %d bytes, want %d", n, want)
	}
	return err
}
