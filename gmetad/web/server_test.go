package web

import (
	"context"
	"io"
	"net/http"
	"testing"
	"time"
)

func serveOnce(t *testing.T, addr string) string {
	t.Helper()
	srv, err := New(addr, Options{Source: fixtureSource(), Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(context.Background()) }()
	resp, err := http.Get("http://" + srv.Addr().String() + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != "ok\n" {
		t.Errorf("/healthz: %d %q", resp.StatusCode, body)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		t.Errorf("Shutdown: %v", err)
	}
	if err := <-done; err != nil {
		t.Errorf("Serve after Shutdown: %v, want nil", err)
	}
	return srv.Addr().String()
}

// TestServerRebind binds, serves, stops and binds the same port again ten
// times: Shutdown must release the port at once.
func TestServerRebind(t *testing.T) {
	addr := serveOnce(t, "127.0.0.1:0")
	for range 10 {
		if got := serveOnce(t, addr); got != addr {
			t.Fatalf("bound %s, want %s", got, addr)
		}
	}
}

func TestServerContext(t *testing.T) {
	srv, err := New("127.0.0.1:0", Options{Source: fixtureSource()})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx) }()
	resp, err := http.Get("http://" + srv.Addr().String() + "/api/grid")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Serve after cancel: %v, want nil", err)
	}
	if _, err := http.Get("http://" + srv.Addr().String() + "/healthz"); err == nil {
		t.Error("still serving after its context ended")
	}
}

func TestServerShutdownBeforeServe(t *testing.T) {
	srv, err := New("127.0.0.1:0", Options{Source: fixtureSource()})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := srv.Serve(context.Background()); err != nil {
		t.Errorf("Serve after Shutdown: %v", err)
	}
}

func TestServerBindError(t *testing.T) {
	srv, err := New("127.0.0.1:0", Options{Source: fixtureSource()})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Shutdown(context.Background())
	if _, err := New(srv.Addr().String(), Options{Source: fixtureSource()}); err == nil {
		t.Error("second bind of one port succeeded")
	}
}
