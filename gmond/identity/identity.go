package identity

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os/exec"
	"strings"

	"github.com/ganglia-lpm/ganglia-lpm/gmond/mapping"
	"github.com/ganglia-lpm/ganglia-lpm/gmond/sysroot"
)

// Identity is the machine and partition the agent runs on.
type Identity struct {
	SystemType string // model of the managed system, "IBM,9009-42A" (DMI: "vendor,product")
	SystemID   string // system id, "IBM,0221ABCDE" (DMI: the product serial)
	// ModelSerial is the mapping file's chassis key, "9009-42A_21ABCDE"
	// (mapping.ChassisKey); "" when SystemType/SystemID are not an IBM
	// Power frame (x86, a KVM guest without host data, nothing found).
	ModelSerial     string
	PartitionName   string // HMC partition name, "" if unknown
	PartitionNumber int    // HMC partition id, -1 if unknown
	Source          string // where the identity came from: one of the Source constants
}

// Values of Identity.Source.
const (
	SourceUname      = "uname"       // AIX uname -M, -u (and -L)
	SourceLsattr     = "lsattr"      // AIX lsattr -El sys0
	SourceLparcfg    = "lparcfg"     // Linux /proc/ppc64/lparcfg
	SourceDeviceTree = "device-tree" // Linux /proc/device-tree model, system-id
	// SourceKVMHost is a KVM guest's device tree naming its host frame
	// (host-model, host-serial, passed through by QEMU).
	SourceKVMHost = "device-tree-host"
	SourceDMI     = "dmi"  // /sys/class/dmi/id: not a Power frame
	SourceNone    = "none" // nothing found: use the mapping's [default]
)

// Read finds the identity of the machine below root, as the operating
// system goos ("aix" or "linux"; anything else finds nothing) shows it.
// Sources are tried in order and the first that names a Power frame wins:
// AIX uname, then lsattr; Linux lparcfg, the device tree, a KVM guest's
// host-model/host-serial, then DMI. Partition name and number are filled
// in from a later source when the winning one lacks them.
//
// When no source names a frame, Read returns the first source that showed
// anything (a QEMU guest, DMI), or Source "none" with nil error if there
// was nothing at all. A source that is absent (file or command missing) is
// normal. A source that exists but cannot be read (permission, I/O error,
// a command that fails) makes Read return a non-nil error together with
// the best identity it found, unless a later source named a frame: the
// error then means "could not tell", and an agent should keep the identity
// it had instead of falling back to [default], which would look like a
// move. DMI's product_serial is readable by root only, so failing to read
// it is not an error.
func Read(root sysroot.Root, goos string) (Identity, error) {
	var s search
	switch goos {
	case "aix":
		readAIX(root, &s)
	case "linux":
		readLinux(root, &s)
	}
	return s.result()
}

// search collects what the sources gave: the first frame identity, else
// the first identity with any content, and the errors met on the way.
type search struct {
	best  Identity
	found bool // best is set
	errs  []error
}

// offer considers id from one source and reports whether it names a
// frame, in which case the search is over.
func (s *search) offer(id Identity) bool {
	id.SystemType, id.SystemID = clean(id.SystemType), clean(id.SystemID)
	if key, err := mapping.ChassisKey(id.SystemType, id.SystemID); err == nil {
		id.ModelSerial = key
		s.best, s.found = id, true
		return true
	}
	id.ModelSerial = ""
	s.keep(id)
	return false
}

// keep takes id, which does not name a frame, as the result unless an
// earlier source showed something.
func (s *search) keep(id Identity) {
	if !s.found && (id.SystemType != "" || id.SystemID != "") {
		s.best, s.found = id, true
	}
}

// done reports whether a frame has been found.
func (s *search) done() bool { return s.best.ModelSerial != "" }

// fail records err unless it only says the source does not exist.
func (s *search) fail(err error) {
	if err != nil && !absent(err) {
		s.errs = append(s.errs, err)
	}
}

func (s *search) result() (Identity, error) {
	if !s.found {
		return Identity{PartitionNumber: -1, Source: SourceNone}, errors.Join(s.errs...)
	}
	if s.done() {
		return s.best, nil
	}
	return s.best, errors.Join(s.errs...)
}

// absent reports whether err means the source is not on this machine: a
// missing file, or (on a fixture tree or a system without it) a missing
// command.
func absent(err error) bool {
	return errors.Is(err, fs.ErrNotExist) || errors.Is(err, exec.ErrNotFound)
}

// SameChassis reports whether a and b are on the same managed system. It
// compares ModelSerial, and SystemType and SystemID when neither has one
// (two x86 hosts, or two reads that found nothing, compare equal).
func (a Identity) SameChassis(b Identity) bool {
	if a.ModelSerial != "" || b.ModelSerial != "" {
		return a.ModelSerial == b.ModelSerial
	}
	return a.SystemType == b.SystemType && a.SystemID == b.SystemID
}

// String describes the identity in one line for logs, e.g.
// `9009-42A_21ABCDE (IBM,9009-42A IBM,0221ABCDE) partition 12 "lnxlpar01" from lparcfg`.
func (a Identity) String() string {
	var b strings.Builder
	switch {
	case a.ModelSerial != "":
		fmt.Fprintf(&b, "%s (%s %s)", a.ModelSerial, a.SystemType, a.SystemID)
	case a.SystemType != "" || a.SystemID != "":
		fmt.Fprintf(&b, "not a Power frame (%q %q)", a.SystemType, a.SystemID)
	default:
		b.WriteString("no identity")
	}
	if a.PartitionNumber >= 0 {
		fmt.Fprintf(&b, " partition %d", a.PartitionNumber)
	}
	if a.PartitionName != "" {
		fmt.Fprintf(&b, " %q", a.PartitionName)
	}
	src := a.Source
	if src == "" {
		src = "?"
	}
	b.WriteString(" from " + src)
	return b.String()
}

// LogValue logs the identity as a group with snake_case keys.
func (a Identity) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("model_serial", a.ModelSerial),
		slog.String("system_type", a.SystemType),
		slog.String("system_id", a.SystemID),
		slog.String("partition_name", a.PartitionName),
		slog.Int("partition_number", a.PartitionNumber),
		slog.String("source", a.Source),
	)
}
