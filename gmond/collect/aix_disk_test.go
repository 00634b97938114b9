package collect

import (
	"errors"
	"reflect"
	"testing"
	"time"
)

func TestParseAIXDf(t *testing.T) {
	tests := []struct {
		file string
		want []aixFS
		err  error
	}{
		{file: "k.txt", want: []aixFS{
			{device: "/dev/hd4", mount: "/", totalKB: 2097152, availKB: 1473672},
			{device: "/dev/hd2", mount: "/usr", totalKB: 6291456, availKB: 1281516},
			// A mount point with a blank keeps it.
			{device: "/dev/fslv01", mount: "/data/backup set", totalKB: 10485760, availKB: 2097152},
		}},
		// A device name too long for its column stands on its own line.
		{file: "wrapped.txt", want: []aixFS{
			{device: "/dev/hd4", mount: "/", totalKB: 2097152, availKB: 1473672},
			{device: "/dev/lv_application_data_01", mount: "/appdata", totalKB: 20971520, availKB: 16777216},
			{device: "/dev/hd4", mount: "/mnt/rootagain", totalKB: 2097152, availKB: 1473672},
		}},
		{file: "no_header.txt", err: errDfHeader},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := parseAIXDf(aixFixture(t, "df", tt.file))
			if !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

// TestParseAIXDfPosix checks the lpar72 listing: /proc and /aha have no
// counts and are dropped, NFS is parsed (the collector leaves it out).
func TestParseAIXDfPosix(t *testing.T) {
	got, err := parseAIXDf(aixFixture(t, "df", "posix.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var devs []string
	for _, fs := range got {
		devs = append(devs, fs.device)
	}
	want := []string{"/dev/hd4", "/dev/hd2", "/dev/hd9var", "/dev/hd3", "/dev/hd1", "/dev/hd11admin",
		"/dev/hd10opt", "/dev/livedump", "/dev/fslv00", "nfssrv01:/export/software"}
	if !reflect.DeepEqual(devs, want) {
		t.Errorf("devices %v, want %v", devs, want)
	}
}

// TestAIXDiskCollector: a device mounted twice counts once.
func TestAIXDiskCollector(t *testing.T) {
	tree := newAIXTree(t.TempDir())
	aixWriteCommand(t, tree.dir, "df -Pk", aixFixture(t, "df", "wrapped.txt"))
	c := &aixDiskCollector{root: tree.root(), log: newOnceLog(nil)}
	rs, err := c.Collect(time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	got := make(map[string]float64)
	for _, r := range rs {
		got[r.Name] = r.Value.Num
	}
	aixWantRates(t, "disk", got, map[string]float64{
		"disk_total":    (2097152.0 + 20971520) * 1024 / 1e9,
		"disk_free":     (1473672.0 + 16777216) * 1024 / 1e9,
		"part_max_used": (2097152.0 - 1473672) / 2097152 * 100,
	})
}
