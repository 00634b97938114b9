package main

import (
	"context"
	"os"
	"sync"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmond/xmlserve"
	"github.com/ganglia-lpm/ganglia-lpm/internal/daemon"
)

// shutdown stops gmetad in the order that loses nothing: inputs first
// (mapping watcher, pollers and tickers, UDP receivers), then the XML
// servers and the web interface after their clients got their answers, then a last RRD step
// with every queued update written, the state file, the pid file.
func (a *app) shutdown() {
	a.log.Info("shutting down")
	if a.watcher != nil {
		a.watcher.Close()
	}
	a.mu.Lock()
	a.live = false
	ports := make([]*portListener, 0, len(a.ports))
	for _, pl := range a.ports {
		ports = append(ports, pl)
	}
	a.mu.Unlock()

	a.bgStop()
	a.tickWG.Wait()
	waitFor(&a.pollWG, pollerStopWait)
	for _, pl := range ports {
		pl.udp.Close()
	}

	servers := []*xmlserve.Server{a.xml, a.interactive}
	for _, pl := range ports {
		servers = append(servers, pl.tcp)
	}
	ctx, cancel := context.WithTimeout(context.Background(), drainTimeout)
	var wg sync.WaitGroup
	for _, srv := range servers {
		wg.Go(func() {
			if err := srv.Shutdown(ctx); err != nil {
				a.log.Warn("XML clients cut off at shutdown", "addr", srv.Addr().String(), "err", err)
			}
		})
	}
	if a.web != nil {
		wg.Go(func() {
			if err := a.web.Shutdown(ctx); err != nil {
				a.log.Warn("web clients cut off at shutdown", "addr", a.web.Addr().String(), "err", err)
			}
		})
	}
	wg.Wait()
	cancel()
	a.closeWG.Wait()
	a.serveWG.Wait()

	a.flushRRDs()
	a.saveState()
	if err := daemon.RemovePidFile(a.pidFile); err != nil {
		a.log.Warn("pid file not removed", "pid_file", a.pidFile, "err", err)
	}
	a.throttle.Flush(context.Background())
	a.log.Info("gmetad stopped")
}

// waitFor waits for wg, at most d.
func waitFor(wg *sync.WaitGroup, d time.Duration) {
	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(d):
	}
}

// wait blocks until ctx ends, reloading the mapping on reload, then shuts
// down and returns the exit status.
func (a *app) wait(ctx context.Context, reload <-chan os.Signal) int {
	for {
		select {
		case <-ctx.Done():
			a.shutdown()
			return exitOK
		case <-reload:
			a.reloadMapping()
		}
	}
}

// reloadMapping is SIGHUP: re-read the mapping now.
func (a *app) reloadMapping() {
	a.log.Info("SIGHUP: re-reading the mapping; changes to gmetad.conf need a restart",
		"mapping", a.s.mappingPath, "config", a.s.configPath)
	if a.watcher == nil {
		a.log.Info("no mapping file to re-read")
		return
	}
	if _, err := a.watcher.Reload(); err != nil {
		a.log.Error("mapping not reloaded; the previous one stays in force", "err", err)
	}
}

// abort stops what a failed start had started.
func (a *app) abort() {
	a.bgStop()
	if a.watcher != nil {
		a.watcher.Close()
	}
	for _, pl := range a.ports {
		pl.udp.Close()
		pl.tcp.Close()
	}
	for _, s := range []*xmlserve.Server{a.xml, a.interactive} {
		if s != nil {
			s.Close()
		}
	}
	if a.web != nil {
		ctx, cancel := context.WithCancel(context.Background())
		cancel() // never served: close the listener, wait for nothing
		a.web.Shutdown(ctx)
	}
	if a.persister != nil {
		ctx, cancel := context.WithTimeout(context.Background(), flushTimeout)
		a.persister.Close(ctx)
		cancel()
	}
	if a.tree != nil {
		a.tree.Close()
	}
	daemon.RemovePidFile(a.pidFile)
}
