//go:build !linux

package rrdstore

import (
	"errors"
	"os"
)

// Elsewhere the Store reads and writes its files with pread and pwrite:
// mapping is worth its risks where it was measured, on Linux.

func mapFile(f *os.File, size int64) ([]byte, error) { return nil, errors.New("no file mappings here") }

func unmapFile(m []byte) {}

func mapLimit() int { return 1 << 30 }
