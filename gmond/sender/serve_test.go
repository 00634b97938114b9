package sender

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

// TestRequestReachesOnRequest: a server answers to the source address and
// port of the agent's packets, from a socket of its own (as gmetad does).
func TestRequestReachesOnRequest(t *testing.T) {
	col := listen(t, "127.0.0.1:0")
	got := make(chan xdr.MetricID, 1)
	s := newTest(t, Options{Channels: []Channel{unicast(col)}, OnRequest: func(id xdr.MetricID) { got <- id }})
	serve(t, s)
	s.Send(valuePacket(t, "cpu_used", 0.5))
	_, src := recv(t, col)

	want := xdr.MetricID{Host: "lpar01.example.com", Name: "cpu_used"}
	req, err := xdr.AppendRequest(nil, want)
	if err != nil {
		t.Fatal(err)
	}
	server := listen(t, "127.0.0.1:0")
	if _, err := server.WriteToUDPAddrPort(req, src); err != nil {
		t.Fatal(err)
	}
	select {
	case id := <-got:
		if id != want {
			t.Errorf("OnRequest(%+v), want %+v", id, want)
		}
	case <-timeout():
		t.Fatal("OnRequest not called")
	}
	if st := s.Stats(); st.Requests != 1 || st.Dropped != 0 {
		t.Errorf("Stats = %+v, want 1 request", st)
	}
}

// TestIncomingDropped: whatever is not a request is counted and dropped;
// a request sent last proves the reader has handled everything before it.
func TestIncomingDropped(t *testing.T) {
	col := listen(t, "127.0.0.1:0")
	got := make(chan xdr.MetricID, 1)
	s := newTest(t, Options{Channels: []Channel{unicast(col)}, OnRequest: func(id xdr.MetricID) { got <- id }})
	serve(t, s)
	s.Send(valuePacket(t, "x", 1))
	_, src := recv(t, col)

	req, _ := xdr.AppendRequest(nil, xdr.MetricID{Host: "h", Name: "x"})
	garbage := [][]byte{
		{0, 0, 0},                                // truncated id
		{0, 0, 0, 0x88, 0, 0, 0},                 // request cut short
		{0, 0, 0, 0x7f},                          // pre-3.1 id
		bytes.Repeat([]byte{0}, xdr.MaxPacket+1), // oversize
		req[:len(req)-1],
	}
	other := valuePacket(t, "not_a_request", 2)
	server := listen(t, "127.0.0.1:0")
	for _, p := range append(garbage, other, req) {
		if _, err := server.WriteToUDPAddrPort(p, src); err != nil {
			t.Fatal(err)
		}
	}
	select {
	case <-got:
	case <-timeout():
		t.Fatal("OnRequest not called")
	}
	want := Stats{Sent: 1, Requests: 1, Dropped: uint64(len(garbage) + 1), Malformed: uint64(len(garbage))}
	if st := s.Stats(); st != want {
		t.Errorf("Stats = %+v, want %+v", st, want)
	}
}

func TestCloseThenServe(t *testing.T) {
	s := newTest(t, Options{Channels: []Channel{unicast(listen(t, "127.0.0.1:0"))}})
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Serve(context.Background()); err != nil {
		t.Errorf("Serve after Close = %v, want nil", err)
	}
	s.Send([]byte("after close")) // must not panic or count
	if st := s.Stats(); st.Sent != 0 || st.SendErrors != 0 {
		t.Errorf("Send after Close counted: %+v", st)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close = %v", err)
	}
}

func TestServeEndsOnClose(t *testing.T) {
	s := newTest(t, Options{Channels: []Channel{unicast(listen(t, "127.0.0.1:0"))}})
	done := make(chan error, 1)
	go func() { done <- s.Serve(context.Background()) }()
	s.Close()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Serve = %v, want nil", err)
		}
	case <-timeout():
		t.Fatal("Serve still running after Close")
	}
}

// TestServeCancelKeepsSending: the end of Serve's context stops reading
// but leaves the sockets open for Send; a second Serve is refused.
func TestServeCancelKeepsSending(t *testing.T) {
	col := listen(t, "127.0.0.1:0")
	s := newTest(t, Options{Channels: []Channel{unicast(col)}})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx) }()
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Serve = %v, want nil", err)
	}
	s.Send(numbered(t, 1))
	if got, _ := recv(t, col); !bytes.Equal(got, numbered(t, 1)) {
		t.Errorf("got %x", got)
	}
	if err := s.Serve(context.Background()); !errors.Is(err, ErrServing) {
		t.Errorf("second Serve = %v, want ErrServing", err)
	}
}
