package rrdcached

import (
	"context"
	"fmt"
	"strconv"
	"testing"
)

// BenchmarkWriter sends 100,000 updates spread over 1,000 gmetad-shaped
// files (100 rounds of one value per file, as gmetad's polls produce them)
// through a Writer's BATCH blocks to a real rrdcached over its unix socket,
// and reports the updates taken in per second. The daemon only queues and
// journals them (-w 3600); writing the files is its own business.
func BenchmarkWriter(b *testing.B) {
	const files, rounds = 1000, 100
	d := startDaemon(b)
	ctx := context.Background()
	c, err := Dial(ctx, "unix:"+d.sock, Options{BaseDir: d.db})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	names := createBenchFiles(b, c, files)
	before, err := c.Stats(ctx)
	if err != nil {
		b.Fatal(err)
	}
	w := NewWriter(c, DefaultBatchLines)
	now := int64(T)
	b.ResetTimer()
	for b.Loop() {
		for range rounds {
			now += 15
			prefix := strconv.FormatInt(now, 10) + ":"
			for i, name := range names {
				errs, err := w.Update(ctx, name, prefix+strconv.Itoa(i))
				if err != nil || len(errs) > 0 {
					b.Fatalf("update: %v %v", errs, err)
				}
			}
		}
		if errs, err := w.Send(ctx); err != nil || len(errs) > 0 {
			b.Fatalf("send: %v %v", errs, err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N*files*rounds)/b.Elapsed().Seconds(), "updates/s")
	after, err := c.Stats(ctx)
	if err != nil {
		b.Fatal(err)
	}
	if got, want := after["UpdatesReceived"]-before["UpdatesReceived"], uint64(b.N*files*rounds); got != want {
		b.Errorf("daemon received %d updates, want %d", got, want)
	}
}

// createBenchFiles makes n host files through one BATCH of CREATEs.
func createBenchFiles(b *testing.B, c *Client, n int) []string {
	names := make([]string, n)
	creates := make([]Command, n)
	for i := range names {
		names[i] = fmt.Sprintf("Bench Cluster/host%03d/load_one.rrd", i)
		creates[i] = Command{Name: "CREATE", File: names[i],
			Args: append([]string{"-b", strconv.Itoa(T - 1), "-s", "15"}, hostDefs...)}
	}
	if errs, err := c.Batch(context.Background(), creates); err != nil || len(errs) > 0 {
		b.Fatalf("creating files: %v %v", errs, err)
	}
	return names
}
