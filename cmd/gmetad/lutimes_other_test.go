//go:build !linux

package main

import (
	"errors"
	"time"
)

// setLinkTime is only written for Linux; tests that need it skip elsewhere.
func setLinkTime(string, time.Time) error { return errors.ErrUnsupported }
