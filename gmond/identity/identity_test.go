package identity

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
)

func TestSameChassis(t *testing.T) {
	p9 := Identity{SystemType: "IBM,9009-42A", SystemID: "IBM,0221ABCDE", ModelSerial: "9009-42A_21ABCDE", PartitionNumber: 12, Source: SourceLparcfg}
	p9uname := Identity{SystemType: "IBM,9009-42A", SystemID: "IBM,0221ABCDE", ModelSerial: "9009-42A_21ABCDE", PartitionNumber: 3, Source: SourceUname}
	p10 := Identity{SystemType: "IBM,9105-42A", SystemID: "IBM,0278FEDCB", ModelSerial: "9105-42A_78FEDCB", PartitionNumber: 12}
	x86 := Identity{SystemType: "Dell Inc.,PowerEdge R640", SystemID: "7XK2M93", PartitionNumber: -1, Source: SourceDMI}
	x86b := Identity{SystemType: "Dell Inc.,PowerEdge R640", SystemID: "8YL3N04", PartitionNumber: -1, Source: SourceDMI}
	none := Identity{PartitionNumber: -1, Source: SourceNone}
	tests := []struct {
		name string
		a, b Identity
		want bool
	}{
		{"same frame, other source and partition", p9, p9uname, true},
		{"LPM", p9, p10, false},
		{"frame vs x86", p9, x86, false},
		{"frame vs nothing", p9, none, false},
		{"same x86 box", x86, x86, true},
		{"two x86 boxes", x86, x86b, false},
		{"nothing twice", none, none, true},
		{"x86 vs nothing", x86, none, false},
	}
	for _, tc := range tests {
		if got := tc.a.SameChassis(tc.b); got != tc.want {
			t.Errorf("%s: SameChassis = %v, want %v", tc.name, got, tc.want)
		}
		if got := tc.b.SameChassis(tc.a); got != tc.want {
			t.Errorf("%s (swapped): SameChassis = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestString(t *testing.T) {
	tests := []struct {
		id   Identity
		want string
	}{
		{Identity{SystemType: "IBM,9009-42A", SystemID: "IBM,0221ABCDE", ModelSerial: "9009-42A_21ABCDE",
			PartitionName: "lnxlpar01", PartitionNumber: 12, Source: SourceLparcfg},
			`9009-42A_21ABCDE (IBM,9009-42A IBM,0221ABCDE) partition 12 "lnxlpar01" from lparcfg`},
		{Identity{SystemType: "Dell Inc.,PowerEdge R640", PartitionNumber: -1, Source: SourceDMI},
			`not a Power frame ("Dell Inc.,PowerEdge R640" "") from dmi`},
		{Identity{PartitionNumber: -1, Source: SourceNone}, `no identity from none`},
		{Identity{PartitionNumber: 0}, `no identity partition 0 from ?`},
	}
	for _, tc := range tests {
		if got := tc.id.String(); got != tc.want {
			t.Errorf("String() = %s\n want %s", got, tc.want)
		}
	}
}

func TestLogValue(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		},
	}))
	log.Info("moved", "identity", Identity{SystemType: "IBM,9009-42A", SystemID: "IBM,0221ABCDE",
		ModelSerial: "9009-42A_21ABCDE", PartitionName: "lnxlpar01", PartitionNumber: 12, Source: SourceLparcfg})
	want := `level=INFO msg=moved identity.model_serial=9009-42A_21ABCDE identity.system_type=IBM,9009-42A ` +
		`identity.system_id=IBM,0221ABCDE identity.partition_name=lnxlpar01 identity.partition_number=12 identity.source=lparcfg`
	if got := strings.TrimSpace(buf.String()); got != want {
		t.Errorf("log line:\n%s\nwant\n%s", got, want)
	}
}
