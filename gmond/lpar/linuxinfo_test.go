package lpar

import (
	"testing"
	"time"
)

func TestLinuxInfo(t *testing.T) {
	tests := []struct {
		tree   string
		want   map[string]string
		absent []string
	}{
		{"shared_t0", map[string]string{
			mSerialNum: "IBM,0221ABCDE", mModelName: "IBM,9009-42A", mKVMGuest: "no",
			mFWVersion: "FW950.30 (VL950_092)", mOSLevel: "SUSE Linux Enterprise Server 15 SP5",
			mCPUType: "POWER9 (architected), altivec supported", mKernel64: "yes",
		}, nil},
		{"kvm_guest", map[string]string{
			mSerialNum: "IBM,0221ABCDE", mModelName: "IBM,9009-42A", mKVMGuest: "yes",
			mOSLevel: "Debian 12.5", mCPUType: "POWER9 (architected), altivec supported",
		}, []string{mFWVersion}},
		{"powernv", map[string]string{
			mSerialNum: "IBM,0321ABCDE", mModelName: "IBM,8335-GTW", mKVMGuest: "no",
			mFWVersion: "FW910.20 (FW910.20)", mOSLevel: "Red Hat Enterprise Linux release 8.9 (Ootpa)",
			mCPUType: "POWER9, altivec supported",
		}, nil},
		// Only the device tree and lparcfg: what is missing is left out.
		{"after_lpm", map[string]string{
			mSerialNum: "IBM,0278FEDCB", mModelName: "IBM,9105-42A", mFWVersion: "FW1050.10 (ML1050_052)",
		}, []string{mOSLevel, mCPUType}},
		// No device tree: serial and model come from lparcfg.
		{"noauth_t0", map[string]string{mSerialNum: "IBM,0221ABCDE", mModelName: "IBM,9009-42A", mKVMGuest: "no"},
			[]string{mFWVersion}},
		{"x86", map[string]string{mKernel64: "yes"}, []string{mSerialNum, mModelName, mKVMGuest, mCPUType}},
	}
	for _, tt := range tests {
		c := newLinuxInfo(fixture("linux", tt.tree), nil)
		got := collect(t, c, t0)
		check(t, tt.tree, got, tt.want, tt.absent)
	}
}

// The frame is re-read on every call (LPM changes it); the OS level only
// once, as the module does.
func TestLinuxInfoAfterMove(t *testing.T) {
	c := newLinuxInfo(fixture("linux", "shared_t0"), nil)
	collect(t, c, t0)
	c.root = fixture("linux", "after_lpm")
	got := collect(t, c, t0.Add(time.Minute))
	check(t, "after move", got, map[string]string{
		mSerialNum: "IBM,0278FEDCB", mModelName: "IBM,9105-42A",
		mOSLevel: "SUSE Linux Enterprise Server 15 SP5",
	}, nil)
}

func TestOSRelease(t *testing.T) {
	tests := []struct{ in, want string }{
		{"NAME=\"Red Hat Enterprise Linux\"\nVERSION=\"9.4 (Plow)\"\nPRETTY_NAME=\"Red Hat Enterprise Linux 9.4 (Plow)\"\n", "Red Hat Enterprise Linux 9.4 (Plow)"},
		{"NAME='Ubuntu'\nVERSION=\"24.04 LTS (Noble Numbat)\"\n", "Ubuntu 24.04 LTS (Noble Numbat)"},
		{"# comment\nNAME=Debian\n", "Debian"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := osRelease([]byte(tt.in)); got != tt.want {
			t.Errorf("osRelease(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCpuinfoValue(t *testing.T) {
	in := []byte("processor\t: 0\ncpu MHz\t: 2400\ncpu\t\t: POWER10 (raw), altivec supported\ntimebase\t: 512000000\n")
	for key, want := range map[string]string{"cpu": "POWER10 (raw), altivec supported", "timebase": "512000000"} {
		if got, ok := cpuinfoValue(in, key); !ok || got != want {
			t.Errorf("cpuinfoValue(%s) = %q %v, want %q", key, got, ok, want)
		}
	}
	if _, ok := cpuinfoValue(in, "model"); ok {
		t.Error("found a key that is not there")
	}
}

func TestDTString(t *testing.T) {
	for in, want := range map[string]string{"IBM,9009-42A\x00": "IBM,9009-42A", "a\x00b\x00": "a", "x": "x", "\x00": ""} {
		if got := dtString([]byte(in)); got != want {
			t.Errorf("dtString(%q) = %q, want %q", in, got, want)
		}
	}
}
