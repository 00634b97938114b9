package main

import (
	"errors"
	"fmt"
	"strings"
	"syscall"

	"github.com/ganglia-lpm/ganglia-lpm/rrdstore"
)

// rrdtoolText is librrd's message for an rrdstore error: rrdstore names
// the file first, librrd only in the per-argument errors of update and in
// its open errors ("opening 'f.rrd': No such file or directory").
func rrdtoolText(err error, update bool) string {
	var re *rrdstore.Error
	if !errors.As(err, &re) {
		return err.Error()
	}
	msg := re.Msg
	switch {
	case errors.Is(err, rrdstore.ErrLocked):
		return "could not lock RRD"
	case re.Err != nil && (msg == "opening" || msg == "fstat"):
		return fmt.Sprintf("%s '%s': %s", msg, re.Path, strerror(re.Err))
	case strings.HasPrefix(msg, "Cannot "): // write_rrd's messages have no errno
		if strings.Contains(msg, "chmod") || strings.Contains(msg, "rename") {
			msg += "!"
		}
		return msg
	case re.Err != nil:
		msg += ": " + strerror(re.Err)
	case msg == "" && re.Kind != nil:
		msg = re.Kind.Error()
	}
	perArg := errors.Is(err, rrdstore.ErrPastUpdate) || errors.Is(err, rrdstore.ErrBadValue) ||
		errors.Is(err, rrdstore.ErrDSCount) || strings.HasPrefix(msg, "at-style")
	if update && perArg && re.Path != "" {
		return re.Path + ": " + msg
	}
	return msg
}

// strerror is glibc's text for an errno: Go's, capitalised.
func strerror(err error) string {
	var errno syscall.Errno
	if !errors.As(err, &errno) {
		return err.Error()
	}
	s := errno.Error()
	if s != "" && 'a' <= s[0] && s[0] <= 'z' {
		s = string(s[0]-'a'+'A') + s[1:]
	}
	return s
}
