package xmlout

import (
	"bytes"
	"sync"
	"testing"
)

// The xml_port dump is the interactive answer to "/" (server.c copies "/"
// into the request buffer for the xml_port).
func TestWriteFullIsSlash(t *testing.T) {
	snap := smallSnapshot()
	var full, slash bytes.Buffer
	if err := WriteFull(&full, snap, fixtureNow); err != nil {
		t.Fatal(err)
	}
	if _, err := Answer(&slash, snap, "/\n", fixtureNow); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(full.Bytes(), slash.Bytes()) {
		t.Fatalf("WriteFull and Answer(\"/\") differ: %s", firstDiff(full.Bytes(), slash.Bytes()))
	}
}

// One snapshot serves many requests at once; the race detector checks that
// writers only read it and do not share buffers.
func TestConcurrentAnswers(t *testing.T) {
	snap := benchSnapshot(2, 20, 10)
	var want bytes.Buffer
	WriteFull(&want, snap, fixtureNow)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for range 20 {
				var out bytes.Buffer
				req := "/"
				if i%2 == 1 {
					req = "GET /*/*/metric_03_bytes_in HTTP/1.0"
				}
				if _, err := Answer(&out, snap, req, fixtureNow); err != nil {
					t.Error(err)
					return
				}
				if req == "/" && !bytes.Equal(out.Bytes(), want.Bytes()) {
					t.Error("concurrent answer differs")
					return
				}
			}
		})
	}
	wg.Wait()
}
