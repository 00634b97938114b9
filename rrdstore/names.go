package rrdstore

import (
	"errors"
	"strconv"
)

// Kinds of names accepted by ValidateName. They only change which reserved
// names apply and how much room a metric needs for its ".rrd" suffix.
const (
	NameKindCluster = "cluster"
	NameKindHost    = "host"
	NameKindMetric  = "metric"
)

// Reasons a name is refused, as found in NameError.Reason. Tests and
// callers compare against these instead of matching error text.
const (
	NameReasonEmpty    = "empty"
	NameReasonDot      = `"." or ".."`
	NameReasonSlash    = `contains "/"`
	NameReasonControl  = "contains a NUL or control character"
	NameReasonTooLong  = "too long"
	NameReasonReserved = "reserved by the RRD tree"
)

// treeSummaryDir is where stock gmetad keeps summary RRDs, under the
// rrd_rootdir and under every cluster (PROTOCOL.md §4.6);
// treeDefaultMaxNameLen is NAME_MAX on Linux and on AIX's JFS2.
const (
	treeSummaryDir        = "__SummaryInfo__"
	treeDefaultMaxNameLen = 255
	treeRRDSuffix         = ".rrd"
)

// ErrBadName is matched (errors.Is) by every *NameError.
var ErrBadName = errors.New("invalid name")

// NameError says why a cluster, host or metric name cannot be a path
// component of the RRD tree.
type NameError struct {
	Kind   string // NameKindCluster, NameKindHost or NameKindMetric
	Name   string // the name, Go-quoted and truncated so it is safe in logs
	Reason string // one of the NameReason constants
}

func (e *NameError) Error() string {
	return "invalid " + e.Kind + " name " + e.Name + ": " + e.Reason
}

// Is makes errors.Is(err, ErrBadName) true for every NameError.
func (e *NameError) Is(target error) bool { return target == ErrBadName }

// treeLogNameLen bounds how much of a hostile name reaches an error or a log.
const treeLogNameLen = 64

// treeQuoteName quotes name for logs: control bytes and invalid UTF-8 are
// escaped, and a 4 KiB name from the network does not become a 4 KiB line.
func treeQuoteName(name string) string {
	if len(name) <= treeLogNameLen {
		return strconv.Quote(name)
	}
	return strconv.Quote(name[:treeLogNameLen]) + "...(" + strconv.Itoa(len(name)) + " bytes)"
}

// ValidateName reports whether name may be used verbatim as one path
// component of the RRD tree for the given kind. maxLen is the file system's
// limit in bytes (255 when <= 0); a metric must leave room for
// ".rrd".
//
// Like stock gmetad it treats names as bytes: spaces ("Test Cluster"),
// invalid UTF-8 and a leading "-" are kept. A leading "-" is harmless here
// because names are only ever passed to system calls, never to a shell or
// a command line. What stock does not do, and we must (DESIGN.md decision
// 3), is refuse anything that would not stay a single component below the
// root: "", ".", "..", "/", NUL and other control bytes (0x00-0x1f, 0x7f),
// which no sane host or metric name contains and which would corrupt logs
// and XML, and over-long names. "__SummaryInfo__" is refused as a cluster
// or host name because the tree uses it for summaries.
func ValidateName(kind, name string, maxLen int) error {
	if reason := treeNameReason(kind, name, maxLen); reason != "" {
		return &NameError{Kind: kind, Name: treeQuoteName(name), Reason: reason}
	}
	return nil
}

// treeNameReason returns why name is invalid, or "" if it is valid.
func treeNameReason(kind, name string, maxLen int) string {
	if maxLen <= 0 {
		maxLen = treeDefaultMaxNameLen
	}
	if kind == NameKindMetric {
		maxLen -= len(treeRRDSuffix)
	}
	switch {
	case name == "":
		return NameReasonEmpty
	case len(name) > maxLen:
		return NameReasonTooLong
	case name == "." || name == "..":
		return NameReasonDot
	case name == treeSummaryDir && kind != NameKindMetric:
		return NameReasonReserved
	}
	for i := 0; i < len(name); i++ {
		switch c := name[i]; {
		case c == '/':
			return NameReasonSlash
		case c < 0x20 || c == 0x7f:
			return NameReasonControl
		}
	}
	return ""
}

// treeLowerASCII lower-cases ASCII letters only, byte by byte, as stock
// gmetad's tolower() loop does in the C locale (rrd_helpers.c). Non-ASCII
// and invalid UTF-8 bytes are kept, so the result is still a valid name
// of the same length (strings.ToLower would rewrite invalid UTF-8).
func treeLowerASCII(s string) string {
	i := 0
	for i < len(s) && (s[i] < 'A' || s[i] > 'Z') {
		i++
	}
	if i == len(s) {
		return s
	}
	b := []byte(s)
	for ; i < len(b); i++ {
		if 'A' <= b[i] && b[i] <= 'Z' {
			b[i] += 'a' - 'A'
		}
	}
	return string(b)
}
