package rrdstore

import (
	"errors"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// mapFile maps size bytes of f shared and writable.
func mapFile(f *os.File, size int64) ([]byte, error) {
	if size <= 0 || size > 1<<40 {
		return nil, errors.New("no mapping of that size")
	}
	return syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_SHARED)
}

func unmapFile(m []byte) { syscall.Munmap(m) }

// mapLimit is the most files the default MaxOpen maps: a quarter of
// vm.max_map_count (65530 by default), since the Go heap, thread stacks
// and shared libraries need mappings too.
func mapLimit() int {
	b, err := os.ReadFile("/proc/sys/vm/max_map_count")
	if err != nil {
		return 4096
	}
	n, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || n < 64 {
		return 16
	}
	return n / 4
}
