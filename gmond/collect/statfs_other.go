//go:build !linux && !aix

package collect

import "errors"

// sysStatfs is the default StatfsFunc; this platform has none wired up,
// so the disk metrics are absent.
func sysStatfs(string) (fsStat, error) {
	return fsStat{}, errors.New("statfs not supported on this platform")
}
