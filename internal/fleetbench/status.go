package fleetbench

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"time"
)

// status is the part of gmetad's /status document (interactive port) a
// run reads: the "rrd", "lpm" and "udp" groups ganglia-lpm adds after
// stock's counters.
type status struct {
	Metrics struct {
		RRD struct {
			Steps        uint64 `json:"steps"`
			Skipped      uint64 `json:"skipped"`
			FilesCreated uint64 `json:"files_created"`
			CreateErrors uint64 `json:"create_errors"`
			Updates      uint64 `json:"updates"`
			UpdateErrors uint64 `json:"update_errors"`
			StaleUpdates uint64 `json:"stale_updates"`
			LastStepMS   uint64 `json:"last_step_ms"`
		} `json:"rrd"`
		LPM struct {
			Hosts   uint64 `json:"hosts"`
			Metrics uint64 `json:"metrics"`
		} `json:"lpm"`
		UDP struct {
			Packets      uint64 `json:"packets"`
			DecodeErrors uint64 `json:"decode_errors"`
		} `json:"udp"`
	} `json:"metrics"`
}

// ioTimeout bounds one short exchange with gmetad (/status).
const ioTimeout = 10 * time.Second

// fetchStatus asks the interactive port for /status.
func fetchStatus(addr string) (*status, error) {
	b, err := exchange(addr, "/status\n", ioTimeout)
	if err != nil {
		return nil, fmt.Errorf("/status: %w", err)
	}
	return parseStatus(b)
}

// parseStatus reads the HTTP answer to /status: a header, a blank line,
// the JSON document.
func parseStatus(b []byte) (*status, error) {
	_, body, ok := bytes.Cut(b, []byte("\r\n\r\n"))
	if !ok {
		return nil, errors.New("/status: no HTTP header")
	}
	var st status
	if err := json.Unmarshal(body, &st); err != nil {
		return nil, fmt.Errorf("/status: %w", err)
	}
	return &st, nil
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
	if _, err := io.WriteString(conn, request); err != nil {
		return nil, err
	}
	return io.ReadAll(conn)
}
