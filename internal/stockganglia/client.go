package stockganglia

import (
	"io"
	"net"
	"time"
)

// FetchXML connects to addr (a gmond tcp_accept_channel or a gmetad
// xml_port), reads until the daemon closes the connection and returns what it
// sent. Both daemons write the whole document without reading a request.
func FetchXML(addr string, timeout time.Duration) ([]byte, error) {
	return exchange(addr, "", timeout)
}

// Query sends one request line (e.g. "/cluster/host?filter=summary") to a
// gmetad interactive_port and returns the whole answer. gmetad reads a single
// line, answers and closes.
func Query(addr, request string, timeout time.Duration) ([]byte, error) {
	return exchange(addr, request+"\n", timeout)
}

func exchange(addr, request string, timeout time.Duration) ([]byte, error) {
	conn, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	if err := conn.SetDeadline(time.Now().Add(timeout)); err != nil {
		return nil, err
	}
	if request != "" {
		if _, err := io.WriteString(conn, request); err != nil {
			return nil, err
		}
	}
	return io.ReadAll(conn)
}
