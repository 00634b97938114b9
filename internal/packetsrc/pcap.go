package packetsrc

import (
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/ganglia-lpm/ganglia-lpm/internal/pcap"
)

// readPcap emits the UDP payloads of a capture. Frames that are not UDP are
// counted, not emitted: a capture of a busy interface is mostly other traffic.
func readPcap(name string, r io.Reader, port uint16, emit func(Packet)) Stats {
	var st Stats
	pr, err := pcap.NewReader(r)
	if err != nil {
		emit(Packet{Label: name, Err: err})
		return st
	}
	link := pr.Header().LinkType
	if !link.Supported() {
		emit(Packet{Label: name, Err: fmt.Errorf("pcap: link type %v: %w", link, pcap.ErrLinkType)})
		return st
	}
	for {
		rec, err := pr.Next()
		if err == io.EOF {
			return st
		}
		label := name + "#" + strconv.Itoa(st.Frames+1)
		if err != nil {
			emit(Packet{Label: label, Err: err})
			return st
		}
		st.Frames++
		d, err := pcap.DecodeUDP(link, rec.Data)
		switch {
		case errors.Is(err, pcap.ErrNotUDP):
			st.NonUDP++
		case port != 0 && d.Src.Port() != 0 && d.Src.Port() != port && d.Dst.Port() != port:
			st.Filtered++
		default:
			emit(Packet{Label: label, From: d.Src, Time: rec.Time, Data: d.Payload, Err: err})
		}
	}
}
