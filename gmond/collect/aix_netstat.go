package collect

import (
	"errors"
	"regexp"
	"slices"
	"strings"
)

// aixIf is one IP interface of `netstat -in`.
type aixIf struct {
	name         string
	mtu          uint64
	rxPkts       uint64
	txPkts       uint64
	hasMTU, down bool
}

var errNetstatIn = errors.New("netstat -in: no header with Name, Mtu, Ipkts and Opkts")

// parseAIXNetstatIn parses `netstat -in`, one line per interface and
// address, the first of them the link-level one:
//
//	Name   Mtu   Network     Address                 Ipkts     Ierrs        Opkts     Oerrs  Coll
//	en0    1500  link#2      fa.16.3e.12.34.56     123456789     0     98765432     0     0
//	en0    1500  10.1.2      10.1.2.34             123456789     0     98765432     0     0
//	lo0    16896 link#1                               456789     0       456789     0     0
//
// The Address of a link line can be empty, so the counters are taken from
// the right and Name and Mtu from the left. Every line of an interface
// repeats its counters; the first one counts. A '*' after the name marks
// an interface that is down.
func parseAIXNetstatIn(b []byte) ([]aixIf, error) {
	var header []string
	var split int
	var out []aixIf
	seen := make(map[string]bool)
	for _, line := range aixLines(b) {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		if header == nil {
			if f[0] == "Name" && slices.Contains(f, "Ipkts") && slices.Contains(f, "Opkts") {
				header = f
				// Name, Mtu and Network never run empty; the columns after
				// them are counted from the right.
				split = min(3, slices.Index(f, "Ipkts"))
			}
			continue
		}
		var ifc aixIf
		ifc.name, ifc.down = strings.CutSuffix(f[0], "*")
		if ifc.name == "" || seen[ifc.name] {
			continue
		}
		if s, ok := aixHeaderAt(header, f, "Mtu", split); ok {
			ifc.mtu, ifc.hasMTU = aixUint(s)
		}
		in, ok1 := aixHeaderAt(header, f, "Ipkts", split)
		outp, ok2 := aixHeaderAt(header, f, "Opkts", split)
		if !ok1 || !ok2 {
			continue
		}
		var ok bool
		if ifc.rxPkts, ok = aixUint(in); !ok {
			continue
		}
		if ifc.txPkts, ok = aixUint(outp); !ok {
			continue
		}
		seen[ifc.name] = true
		out = append(out, ifc)
	}
	if header == nil {
		return nil, errNetstatIn
	}
	return out, nil
}

// aixAdapter is the traffic of one adapter in `netstat -v` (the report
// entstat gives for each adapter): frames and bytes both ways.
type aixAdapter struct {
	name                             string
	rxBytes, txBytes, rxPkts, txPkts uint64
}

// aixStatsHeader matches the line that opens one adapter's section:
// "ETHERNET STATISTICS (ent0) :", also for EtherChannels, VLANs and
// shared Ethernet adapters.
var aixStatsHeader = regexp.MustCompile(`^[A-Z][A-Z0-9 -]*STATISTICS \(([A-Za-z0-9_.]+)\)\s*:`)

// parseAIXNetstatV returns the adapters of `netstat -v` that report
// transmit and receive packets and bytes. Each section opens with a
// "... STATISTICS (entN) :" line; its first statistics block is laid out
// in two columns:
//
//	Transmit Statistics:                          Receive Statistics:
//	--------------------                          -------------------
//	Packets: 98765432                             Packets: 123456789
//	Bytes: 12345678901                            Bytes: 98765432109
//	                                              Bad Packets: 0
//
// An EtherChannel repeats its members' sections inside its own; the first
// section of a name counts.
func parseAIXNetstatV(b []byte) []aixAdapter {
	var out []aixAdapter
	seen := make(map[string]bool)
	var cur *aixAdapter
	var have int // bit 0..3: rxBytes, txBytes, rxPkts, txPkts found
	inBlock, rxCol := false, -1
	flush := func() {
		if cur != nil && have == 0xf {
			out = append(out, *cur)
		}
		cur, have, inBlock = nil, 0, false
	}
	for _, line := range aixLines(b) {
		if m := aixStatsHeader.FindStringSubmatch(strings.TrimSpace(line)); m != nil {
			flush()
			if !seen[m[1]] {
				seen[m[1]] = true
				cur = &aixAdapter{name: m[1]}
			}
			continue
		}
		if cur == nil {
			continue
		}
		if i := strings.Index(line, "Receive Statistics:"); i >= 0 && strings.Contains(line, "Transmit Statistics:") {
			if have == 0 {
				inBlock, rxCol = true, i
			}
			continue
		}
		if !inBlock {
			continue
		}
		if strings.TrimSpace(line) == "" {
			inBlock = false // the block ends at its first blank line
			continue
		}
		for _, p := range aixPairs(line) {
			rx := p.col >= rxCol
			switch {
			case p.key == "Bytes" && rx:
				cur.rxBytes, have = p.val, have|1
			case p.key == "Bytes":
				cur.txBytes, have = p.val, have|2
			case p.key == "Packets" && rx:
				cur.rxPkts, have = p.val, have|4
			case p.key == "Packets":
				cur.txPkts, have = p.val, have|8
			}
		}
	}
	flush()
	return out
}

// aixPair is one "Key: value" of a two-column entstat line, with the
// column its key starts at.
type aixPair struct {
	key string
	val uint64
	col int
}

// aixPairs splits "Packets Dropped: 0      Packets Dropped: 0" into its
// pairs. Values that are not counters (text, "-") are left out.
func aixPairs(line string) []aixPair {
	var out []aixPair
	var key []string
	keyCol := -1
	expectVal := false
	for i := 0; i < len(line); {
		for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
			i++
		}
		start := i
		for i < len(line) && line[i] != ' ' && line[i] != '\t' {
			i++
		}
		if start == i {
			break
		}
		tok := line[start:i]
		switch {
		case expectVal:
			if n, ok := aixUint(tok); ok {
				out = append(out, aixPair{key: strings.Join(key, " "), val: n, col: keyCol})
			}
			key, keyCol, expectVal = nil, -1, false
		case strings.HasSuffix(tok, ":"):
			if keyCol < 0 {
				keyCol = start
			}
			key = append(key, strings.TrimSuffix(tok, ":"))
			expectVal = true
		default:
			if keyCol < 0 {
				keyCol = start
			}
			key = append(key, tok)
		}
	}
	return out
}
