package grid

import (
	"time"
)

// The LPM rules (see doc.go). All of this runs under Grid.mu held
// exclusively.

// nameHolder returns the host named name that another cluster than c
// holds under some key, the one heard from last if there are several
// (stock lists two HOSTs with one NAME when two addresses resolve alike;
// we only keep them apart within one cluster).
func (g *Grid) nameHolder(name string, c *clusterEntry) *hostEntry {
	var best *hostEntry
	var bestHeard time.Time
	for _, h := range g.names[name] {
		if h.owner == c {
			continue
		}
		heard, _ := h.owner.state.LastHeard(h.key)
		if best == nil || heard.After(bestHeard) {
			best, bestHeard = h, heard
		}
	}
	return best
}

// conflicting applies the conflict rule to a packet at t for h, which
// another cluster holds. A detached owner hears nothing, so it never
// conflicts. byName is the rule for a packet under another key with h's
// name: the owner heard h within the window. Otherwise both the owner's
// last packet and h's last move or conflict must be within the window:
// two senders for one host keep it where it was last moved, and the side
// that keeps talking wins once the owner has been silent for a window.
func (g *Grid) conflicting(h *hostEntry, t int64, byName bool) bool {
	if h.owner.detached {
		return false
	}
	heard, ok := h.owner.state.LastHeard(h.key)
	if !ok {
		return false
	}
	w := int64(g.opts.ConflictWindow)
	recent := t-heard.UnixNano() < w
	if byName {
		return recent
	}
	return recent && t-h.lastChange < w
}

// conflict refuses a packet for h that arrived at cluster c under key:
// it counts it, refreshes h's last change (so a continued fight keeps the
// host where it is) and records it into h's current conflict event, or a
// new one (logged) when the window since the event began has passed.
func (g *Grid) conflict(h *hostEntry, c *clusterEntry, key string, now time.Time) HandleResult {
	t := now.UnixNano()
	h.lastChange = t
	c.conflicts++
	g.nConflict++
	owner := h.owner.spec.Name
	if ev := h.event; ev != nil && ev.Owner == owner && ev.Refused == c.spec.Name && ev.Key == key &&
		t-ev.First.UnixNano() < int64(g.opts.ConflictWindow) {
		ev.Last = now
		ev.Packets++
		return HandleResult{Conflict: true}
	}
	ev := &Conflict{First: now, Last: now, Host: h.name, Key: key, Owner: owner, Refused: c.spec.Name, Packets: 1}
	if prev := h.event; prev != nil {
		g.log.Warn("host conflict: two clusters hear one host; packets dropped", "host", h.name, "key", key,
			"owner", owner, "refused", c.spec.Name, "owner_key", h.key, "previous_packets", prev.Packets)
	} else {
		g.log.Warn("host conflict: two clusters hear one host; packets dropped", "host", h.name, "key", key,
			"owner", owner, "refused", c.spec.Name, "owner_key", h.key)
	}
	h.event = ev
	g.conflicts.push(ev)
	return HandleResult{Conflict: true}
}

// move takes h's record out of its cluster and puts it into to, under key
// (h's own, or the new address it came back with), metadata and all, and
// records the move. It returns the name of the cluster h left.
func (g *Grid) move(h *hostEntry, to *clusterEntry, key string, now time.Time) string {
	from := h.owner
	oldKey := h.key
	if rec, ok := from.state.Take(oldKey); ok {
		if key != oldKey {
			rec.Rekey(key)
		}
		to.state.Put(rec)
	}
	if key != oldKey {
		delete(g.keys, oldKey)
		h.key = key
		g.keys[key] = h
	}
	h.owner, h.lastChange = to, now.UnixNano()
	from.movesOut++
	to.movesIn++
	g.nMoves++
	mv := Move{Time: now, Host: h.name, Key: key, From: from.spec.Name, To: to.spec.Name}
	args := []any{"host", h.name, "from", mv.From, "to", mv.To, "key", key}
	if key != oldKey {
		mv.OldKey = oldKey
		args = append(args, "old_key", oldKey)
	}
	g.moves.push(mv)
	g.log.Info("host moved", args...)
	g.gen.Add(1)
	return mv.From
}

// Moves returns the remembered moves, oldest first.
func (g *Grid) Moves() []Move {
	g.mu.RLock()
	defer g.mu.RUnlock()
	return g.moves.all()
}

// Conflicts returns the remembered conflict events, oldest first.
func (g *Grid) Conflicts() []Conflict {
	g.mu.RLock()
	defer g.mu.RUnlock()
	evs := g.conflicts.all()
	out := make([]Conflict, len(evs))
	for i, ev := range evs {
		out[i] = *ev
	}
	return out
}

// SetMoveHistory replaces the remembered moves (from the state file),
// keeping the newest MoveHistory of them. Each host's last move counts as
// its last change for the conflict rule.
func (g *Grid) SetMoveHistory(moves []Move) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.moves.reset(moves)
	g.noteChanges(moves, nil)
}

// noteChanges sets each indexed host's last change from restored moves and
// conflict events.
func (g *Grid) noteChanges(moves []Move, conflicts []Conflict) {
	note := func(key string, tm time.Time) {
		if h := g.keys[key]; h != nil {
			h.lastChange = max(h.lastChange, tm.UnixNano())
		}
	}
	for _, mv := range moves {
		note(mv.Key, mv.Time)
	}
	for _, c := range conflicts {
		for _, h := range g.names[c.Host] {
			note(h.key, c.Last)
		}
	}
}
