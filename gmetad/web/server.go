package web

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// Timeouts of the HTTP server: a page is small and built in memory, so a
// client that takes longer than this to send its request or read the
// answer is stuck or hostile.
const (
	readHeaderTimeout = 10 * time.Second
	writeTimeout      = 60 * time.Second
	idleTimeout       = 120 * time.Second
	// shutdownGrace bounds how long Serve waits for requests in flight
	// when its context ends.
	shutdownGrace = 5 * time.Second
)

// Server is the web interface on its own listener, in the shape of the
// standard library's servers: New binds, Serve blocks, Shutdown drains.
type Server struct {
	ln   net.Listener
	http *http.Server
}

// New binds addr (web_address; "127.0.0.1:0" picks a free port) and
// returns a server for NewHandler(opts) that does not serve yet.
func New(addr string, opts Options) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	hs := &http.Server{
		Handler:           NewHandler(opts),
		ReadHeaderTimeout: readHeaderTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelDebug),
	}
	return &Server{ln: ln, http: hs}, nil
}

// Addr returns the bound address.
func (s *Server) Addr() net.Addr { return s.ln.Addr() }

// Serve answers requests until Shutdown, or until ctx ends (then it shuts
// down, waiting a few seconds for requests in flight). It returns nil after
// a clean stop and the listener's error otherwise.
func (s *Server) Serve(ctx context.Context) error {
	drained := make(chan struct{})
	stop := context.AfterFunc(ctx, func() {
		defer close(drained)
		sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
		defer cancel()
		s.http.Shutdown(sctx)
	})
	err := s.http.Serve(s.ln)
	if !stop() {
		// The context ended: Serve returned at once, the drain is still
		// running; return when it is done, as the caller expects.
		<-drained
	}
	if errors.Is(err, http.ErrServerClosed) || errors.Is(err, net.ErrClosed) {
		return nil
	}
	return err
}

// Shutdown stops accepting, closes the listener and waits for requests in
// flight until ctx ends. It may be called before Serve.
func (s *Server) Shutdown(ctx context.Context) error {
	err := s.http.Shutdown(ctx)
	s.ln.Close()
	return err
}
