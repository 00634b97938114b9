package mapping

import (
	"errors"
	"fmt"
	"strings"
)

// summaryDir is where stock gmetad keeps summary RRDs, under rrd_rootdir
// and under every cluster (PROTOCOL.md §4.6); no cluster or host may take
// it. maxNameLen is NAME_MAX on Linux and AIX JFS2.
const (
	summaryDir = "__SummaryInfo__"
	maxNameLen = 255
)

// nameProblem says why name cannot be one directory below rrd_rootdir (or
// under LPARS), or returns "". It applies the same byte rules as
// rrdstore.ValidateName (DESIGN.md decision 3) so a mapping that loads
// never names a directory the RRD tree refuses; gmond may not import
// rrdstore, hence the copy. reserved lists names taken by the tree itself.
func nameProblem(name string, reserved ...string) string {
	switch {
	case name == "":
		return "must not be empty"
	case len(name) > maxNameLen:
		return fmt.Sprintf("longer than %d bytes", maxNameLen)
	case name == "." || name == "..":
		return fmt.Sprintf("%q is not a directory name", name)
	}
	for _, r := range reserved {
		if name == r {
			return fmt.Sprintf("%q is reserved by the RRD tree", name)
		}
	}
	for i := 0; i < len(name); i++ {
		switch c := name[i]; {
		case c == '/':
			return `must not contain "/"`
		case c < 0x20 || c == 0x7f:
			return "must not contain NUL or control characters"
		}
	}
	return ""
}

// ErrChassis is wrapped by ChassisKey when the OS strings are not an IBM
// Power frame identity (a KVM guest, x86 DMI data, an empty read).
var ErrChassis = errors.New("not an IBM Power system identity")

// ChassisKey builds the model_serial key the way the seed setup's init
// script does (POWER.md "Frame identity mapping"): the model is the system
// type without "IBM," ("IBM,9117-MMB" -> "9117-MMB"), the serial is the
// last 7 characters of the system id ("IBM,020000002" -> "0000002"), joined
// by "_". Inputs are what uname -M/-u, lsattr sys0 modelname/systemid,
// /proc/device-tree/{model,system-id} or lparcfg's system_type/serial_number
// print; trailing NULs (device tree) and blanks are ignored and letters are
// upper-cased, matching how Parse stores model_serial.
func ChassisKey(systemType, systemID string) (string, error) {
	model := strings.TrimPrefix(strings.ToUpper(cleanOSString(systemType)), "IBM,")
	if !isTypeModel(model) {
		return "", fmt.Errorf("%w: system type %q is not IBM,TTTT-MMM", ErrChassis, systemType)
	}
	id := strings.TrimPrefix(strings.ToUpper(cleanOSString(systemID)), "IBM,")
	if len(id) < serialLen || !isAlnum(id) {
		return "", fmt.Errorf("%w: system id %q is not IBM,<prefix><7-char serial>", ErrChassis, systemID)
	}
	return model + "_" + id[len(id)-serialLen:], nil
}

// cleanOSString drops what the various sources add around the value: the
// device tree's NUL terminator, a command's newline, lsattr's padding.
func cleanOSString(s string) string {
	return strings.TrimSpace(strings.TrimRight(s, "\x00"))
}

// serialLen is the frame serial's length: the HMC shows a managed system as
// <type>-<model>*<serial7>.
const serialLen = 7

// ValidModelSerial reports whether s has the canonical chassis key form
// TTTT-MMM_SSSSSSS: 4-character machine type, "-", 3-character model, "_",
// 7-character serial, all upper-case letters or digits.
func ValidModelSerial(s string) bool {
	model, serial, ok := strings.Cut(s, "_")
	return ok && isTypeModel(model) && len(serial) == serialLen && isAlnum(serial)
}

// isTypeModel matches "9117-MMB": 4 + "-" + 3 upper-case alphanumerics.
func isTypeModel(s string) bool {
	t, m, ok := strings.Cut(s, "-")
	return ok && len(t) == 4 && len(m) == 3 && isAlnum(t) && isAlnum(m)
}

// isAlnum reports whether s is non-empty and only A-Z and 0-9.
func isAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return s != ""
}
