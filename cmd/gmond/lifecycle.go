package main

import (
	"context"
	"reflect"
	"sync"

	"github.com/ganglia-lpm/ganglia-lpm/gmond/mapping"
)

// serve starts the goroutines that read sockets: the send sockets (for
// metadata requests) and the collector role's channels.
func (a *agent) serve() {
	a.serveCtx, a.stopServing = context.WithCancel(context.Background())
	a.serving = new(sync.WaitGroup)
	if a.send != nil {
		snd := a.send
		a.serving.Go(func() {
			if err := snd.Serve(a.serveCtx); err != nil {
				a.log.Error("send channel reader stopped", "err", err)
			}
		})
	}
	if a.coll != nil {
		a.coll.serve(a.serveCtx, a.serving)
	}
}

// close stops everything started and waits for the readers; it is safe on
// a partly started agent.
func (a *agent) close() {
	if a.watcher != nil {
		a.watcher.Close()
		a.watcher = nil
	}
	a.closeParts()
}

// closeParts stops the sender and the collector role.
func (a *agent) closeParts() {
	if a.stopServing != nil {
		a.stopServing()
	}
	if a.send != nil {
		a.send.Close()
	}
	if a.coll != nil {
		a.coll.close()
	}
	if a.serving != nil {
		a.serving.Wait()
	}
	a.send, a.sched, a.coll = nil, nil, nil
}

// restart replaces the running parts with ones built from s. If the new
// ones cannot start (a port in use), the old configuration is started
// again so gmond keeps running.
func (a *agent) restart(s *setup) error {
	old := a.s
	a.closeParts()
	if err := a.start(s); err != nil {
		a.closeParts()
		if err2 := a.start(old); err2 != nil {
			a.log.Error("the previous configuration does not start either", "err", err2)
		}
		return err
	}
	return nil
}

// start builds the parts for s and starts serving.
func (a *agent) start(s *setup) error {
	if err := a.build(s); err != nil {
		return err
	}
	a.serve()
	return nil
}

// build binds the collector role's channels and the send channels for s,
// pointed where the mapping says for the current identity.
func (a *agent) build(s *setup) error {
	a.s = s
	a.resolve()
	if !a.deaf() {
		c, err := newCollectorRole(a, s.cfg)
		if err != nil {
			return err
		}
		a.coll = c
	}
	if !a.mute() {
		if err := a.startSending(); err != nil {
			return err
		}
	}
	return nil
}

func (a *agent) mute() bool {
	return a.s.cfg.Globals.Mute || len(a.s.cfg.UDPSend) == 0
}

func (a *agent) deaf() bool { return deafAgent(a.s) }

// startWatcher watches the mapping file; a valid new version reaches the
// loop through a.mappings, an invalid one is logged by the watcher and the
// last good one stays.
func (a *agent) startWatcher() {
	if a.s.mappingPath == "" {
		return
	}
	w, err := mapping.NewWatcher(a.s.mappingPath, func(m *mapping.Mapping) {
		select {
		case a.mappings <- m:
		default:
			select { // replace a pending, older mapping
			case <-a.mappings:
			default:
			}
			a.mappings <- m
		}
	}, a.log)
	if err != nil {
		a.log.Warn("mapping file not watched; SIGHUP still reloads it", "path", a.s.mappingPath, "err", err)
		return
	}
	a.watcher = w
}

// sameConfig reports whether a reload found the configuration unchanged.
func sameConfig(a, b *setup) bool {
	return a.cfgPath == b.cfgPath && a.mappingPath == b.mappingPath && reflect.DeepEqual(a.cfg, b.cfg)
}
