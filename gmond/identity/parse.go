package identity

import (
	"bytes"
	"encoding/binary"
	"strconv"
	"strings"
	"unicode"
)

// parseLparcfg picks the identity fields out of /proc/ppc64/lparcfg:
// serial_number and system_type (the device-tree root's system-id and
// model, copied by the kernel on every open, so they follow an LPM move),
// partition_id and partition_name. Other lines, including the
// "lparcfg 1.9" header, are ignored; if a key repeats, the last one wins.
// partition_id 0 counts as unknown because the kernel prints 0 when the
// device tree has no ibm,partition-no, and PowerVM numbers partitions from 1.
func parseLparcfg(b []byte) Identity {
	id := Identity{PartitionNumber: -1}
	for len(b) > 0 {
		var line []byte
		line, b, _ = bytes.Cut(b, []byte{'\n'})
		key, val, ok := bytes.Cut(line, []byte{'='})
		if !ok {
			continue
		}
		v := clean(string(val))
		switch string(bytes.TrimSpace(key)) {
		case "serial_number":
			id.SystemID = v
		case "system_type":
			id.SystemType = v
		case "partition_name":
			id.PartitionName = v
		case "partition_id":
			id.PartitionNumber = -1
			if n, err := strconv.Atoi(v); err == nil && n > 0 {
				id.PartitionNumber = n
			}
		}
	}
	return id
}

// parseDTString decodes a device-tree string property: the value up to
// the first NUL (a property may hold a NUL-separated list; the first entry
// is the one that names the machine), without surrounding blanks.
func parseDTString(b []byte) string {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	return clean(string(b))
}

// parseDTCell decodes a one-cell device-tree property such as
// ibm,partition-no: a 4-byte big-endian integer. Any other length is not
// such a property and reports false.
func parseDTCell(b []byte) (int, bool) {
	if len(b) != 4 {
		return 0, false
	}
	return int(binary.BigEndian.Uint32(b)), true
}

// parseUnameL parses AIX `uname -L`: "<partition number> <partition name>".
// The name is everything after the number, so names with blanks survive.
// A system that is not partitioned prints "-1 NULL", which becomes -1 and
// an empty name; any other negative number is also reported as -1.
func parseUnameL(b []byte) (num int, name string, ok bool) {
	s := clean(firstLine(b))
	numText, rest, _ := strings.Cut(s, " ")
	n, err := strconv.Atoi(numText)
	if err != nil {
		return -1, "", false
	}
	name = clean(rest)
	if n < 0 {
		return -1, "", true
	}
	return n, name, true
}

// parseLsattr reads the answer to `lsattr -El sys0 -a systemid -a
// modelname`. The normal form has one "attribute value description
// settable" row per attribute, found by name so the order does not matter;
// the `-F value` form has only the values, in the order of the -a flags
// (systemid, then modelname), and is used when no row is named.
func parseLsattr(b []byte) (systemID, model string) {
	lines := strings.Split(strings.TrimRight(string(b), " \t\r\n"), "\n")
	named := false
	for _, line := range lines {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		switch f[0] {
		case "systemid":
			systemID, named = f[1], true
		case "modelname":
			model, named = f[1], true
		}
	}
	if named {
		return systemID, model
	}
	// Values only: keep positions, so an empty systemid line does not
	// shift the model into its place.
	systemID = clean(lines[0])
	if len(lines) > 1 {
		model = clean(lines[1])
	}
	return systemID, model
}

// firstLine returns b up to its first newline, as a string.
func firstLine(b []byte) string {
	line, _, _ := bytes.Cut(b, []byte{'\n'})
	return string(line)
}

// clean trims blanks (including a CR from a file edited elsewhere) and
// NULs (a device-tree terminator) around a value.
func clean(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return r == 0 || unicode.IsSpace(r) })
}
