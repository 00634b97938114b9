package movelog

import (
	"cmp"
	"slices"
	"time"
)

// Defaults of Options.
const (
	DefaultTie   = 2 * time.Second
	DefaultGrace = time.Second
)

// Reasons a link gives no move (Skip.Reason).
const (
	ReasonNoHostData   = "no host data after the link"
	ReasonNoSystemData = "no summary data of the system after the link"
	ReasonTogether     = "made together with another link of the host"
	ReasonUnknownFrom  = "follows links made together: the system left is unknown"
)

// Move is one move read from the tree: the host arrived on To, coming from
// From, at Time. Host, From and To are directory names.
type Move struct {
	Time     time.Time
	Host     string
	From, To string
}

// Skip is a link left out of the history, and why.
type Skip struct {
	Host, System string
	Made         time.Time
	Reason       string
}

// History is what Rebuild found.
type History struct {
	Moves   []Move // oldest first
	Skipped []Skip // by host, then time
	// Hosts is the number of hosts linked from two systems or more.
	Hosts int
}

// Options tune Rebuild; zero fields take the defaults.
type Options struct {
	// Tie: links of one host closer than this were made together
	// (rule 3 of the package doc).
	Tie time.Duration
	// Grace: how far a link may be newer than the newest data and still
	// count (rule 1); RRD updates are stamped in whole seconds.
	Grace time.Duration
}

// Rebuild applies the package doc's rule to t. It reads nothing but t.
func Rebuild(t *Tree, opts Options) History {
	if opts.Tie <= 0 {
		opts.Tie = DefaultTie
	}
	if opts.Grace <= 0 {
		opts.Grace = DefaultGrace
	}
	byHost := map[string][]Link{}
	for _, l := range t.Links {
		byHost[l.Host] = append(byHost[l.Host], l)
	}
	var h History
	for _, host := range sortedKeys(byHost) {
		links := byHost[host]
		if len(links) < 2 {
			continue
		}
		h.Hosts++
		slices.SortFunc(links, func(a, b Link) int {
			return cmp.Or(a.Made.Compare(b.Made), cmp.Compare(a.System, b.System))
		})
		links = dated(t, links, opts.Grace, &h)
		h.follow(links, opts.Tie)
	}
	slices.SortStableFunc(h.Moves, func(a, b Move) int {
		return cmp.Or(a.Time.Compare(b.Time), cmp.Compare(a.Host, b.Host), cmp.Compare(a.To, b.To))
	})
	slices.SortStableFunc(h.Skipped, func(a, b Skip) int {
		return cmp.Or(cmp.Compare(a.Host, b.Host), a.Made.Compare(b.Made), cmp.Compare(a.System, b.System))
	})
	return h
}

// dated drops the links with no data newer than them (rule 1).
func dated(t *Tree, links []Link, grace time.Duration, h *History) []Link {
	out := links[:0:0]
	for _, l := range links {
		reason := ""
		if last, ok := t.HostLast[l.Host]; ok && l.Made.After(last.Add(grace)) {
			reason = ReasonNoHostData
		} else if last, ok := t.SystemLast[l.System]; ok && l.Made.After(last.Add(grace)) {
			reason = ReasonNoSystemData
		}
		if reason != "" {
			h.skip(l, reason)
			continue
		}
		out = append(out, l)
	}
	return out
}

// follow turns one host's dated links, oldest first, into moves (rules 2
// and 3).
func (h *History) follow(links []Link, tie time.Duration) {
	var from string // the system the host is known to be on; "" unknown
	for i := 0; i < len(links); {
		j := i + 1
		for j < len(links) && links[j].Made.Sub(links[j-1].Made) < tie {
			j++
		}
		group := links[i:j]
		switch {
		case len(group) > 1:
			for _, l := range group {
				h.skip(l, ReasonTogether)
			}
			from = ""
		case i == 0:
			from = group[0].System
		case from == "":
			h.skip(group[0], ReasonUnknownFrom)
			from = group[0].System
		default:
			l := group[0]
			h.Moves = append(h.Moves, Move{Time: l.Made, Host: l.Host, From: from, To: l.System})
			from = l.System
		}
		i = j
	}
}

func (h *History) skip(l Link, reason string) {
	h.Skipped = append(h.Skipped, Skip{Host: l.Host, System: l.System, Made: l.Made, Reason: reason})
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
