package lpar

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
)

// errNoLparcfg is returned for a file that holds no key=value line at all.
var errNoLparcfg = errors.New("lparcfg: no key=value lines")

// lparcfg is one read of /proc/ppc64/lparcfg. The key set comes partly from
// firmware (RTAS SPLPAR characteristics), so it is kept open-ended.
type lparcfg struct {
	version string            // "1.9" from the "lparcfg 1.9" header
	kv      map[string]string // values as printed, trimmed
}

// parseLparcfg parses the text of /proc/ppc64/lparcfg. Lines without "="
// other than the header are ignored; a later duplicate key wins, as it
// would for a reader scanning the file top to bottom.
func parseLparcfg(b []byte) (lparcfg, error) {
	c := lparcfg{kv: make(map[string]string, 64)}
	for len(b) > 0 {
		var line []byte
		line, b, _ = bytes.Cut(b, []byte{'\n'})
		line = bytes.TrimSpace(line)
		k, v, ok := bytes.Cut(line, []byte{'='})
		if !ok {
			if rest, found := bytes.CutPrefix(line, []byte("lparcfg ")); found && c.version == "" {
				c.version = string(bytes.TrimSpace(rest))
			}
			continue
		}
		k = bytes.TrimSpace(k)
		if len(k) == 0 {
			continue
		}
		c.kv[string(k)] = string(bytes.TrimSpace(v))
	}
	if len(c.kv) == 0 {
		return c, errNoLparcfg
	}
	return c, nil
}

// str returns the value of key.
func (c lparcfg) str(key string) (string, bool) {
	v, ok := c.kv[key]
	return v, ok
}

// uint returns the leading decimal number of key's value ("17179869184
// bytes" reads as 17179869184). A missing key or a value that does not
// start with a digit reports false.
func (c lparcfg) uint(key string) (uint64, bool) {
	v, ok := c.kv[key]
	if !ok {
		return 0, false
	}
	if i := strings.IndexFunc(v, func(r rune) bool { return r < '0' || r > '9' }); i >= 0 {
		v = v[:i]
	}
	n, err := strconv.ParseUint(v, 10, 64)
	return n, err == nil
}

// shared reports whether the partition uses the shared processor pool.
func (c lparcfg) shared() bool {
	n, ok := c.uint("shared_processor_mode")
	return ok && n == 1
}

// poolAuthority reports whether the hypervisor lets this partition see the
// pool counters: with the HMC flag "Allow performance information
// collection" off, pool_idle_time and pool_num_procs both read 0.
func (c lparcfg) poolAuthority() bool {
	idle, ok1 := c.uint("pool_idle_time")
	procs, ok2 := c.uint("pool_num_procs")
	return ok1 && ok2 && (idle != 0 || procs != 0)
}
