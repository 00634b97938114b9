package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/ganglia-lpm/ganglia-lpm/internal/packetsrc"
	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

const decodeUsage = `usage: ganglia-lpm decode [flags] [FILE...]
       ganglia-lpm decode --listen ADDRESS [--json]

Decode Ganglia 3.1+ XDR messages (gmetadata_full, gmetric_*, gmetadata_request)
and print one line per message. A FILE is a raw datagram (one packet per file,
as a capture sink stores it), a hex dump (one packet per line, optional leading
unix time, # comments) or a classic pcap capture (tcpdump -w; pcapng is not
read). "-" or no FILE reads standard input. With --listen, datagrams are
received on a UDP port and decoded as they arrive until SIGINT or SIGTERM.

Strings from the wire are printed quoted with Go escapes, so no packet can
send control characters to the terminal. A packet that does not decode prints
"LABEL error: MESSAGE" and decoding goes on; the exit status is then 1.

Flags:
`

// decodeOptions is the parsed command line of decode.
type decodeOptions struct {
	src    packetsrc.Options
	json   bool
	listen string
	files  []string
}

// runDecode is the decode command: see decodeUsage.
func runDecode(ctx context.Context, e *env, args []string) int {
	opt, code, ok := parseDecodeArgs(e.stderr, args)
	if !ok {
		return code
	}
	d := &decoder{out: newPrinter(e.stdout, opt.json)}
	if opt.listen != "" {
		return listen(ctx, e, opt.listen, d)
	}
	for _, name := range opt.files {
		d.file(e.stdin, name, opt.src)
	}
	if err := d.out.flush(); err != nil {
		fmt.Fprintf(e.stderr, "ganglia-lpm decode: writing output: %v\n", err)
		return exitFailed
	}
	if d.failed > 0 || d.stats.NonUDP > 0 || d.stats.Filtered > 0 {
		d.summary(e.stderr)
	}
	if d.failed > 0 {
		return exitFailed
	}
	return exitOK
}

// parseDecodeArgs parses the flags, which may come before, between or after
// the files (`decode x.pcap --json` works); "--" ends the flags. ok is false
// when the command must stop with the returned exit code.
func parseDecodeArgs(stderr io.Writer, args []string) (opt decodeOptions, code int, ok bool) {
	fs := flag.NewFlagSet("decode", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, decodeUsage); fs.PrintDefaults() }
	format := fs.String("format", "auto", "input `format`: auto (pcap by magic number, hex if the text is hex digits, else raw), raw, hex or pcap")
	port := fs.Uint("port", 0, "pcap: keep only datagrams from or to UDP `port` N")
	fs.BoolVar(&opt.json, "json", false, "print one JSON object per line (JSON Lines)")
	fs.StringVar(&opt.listen, "listen", "", "receive datagrams on UDP `address` (127.0.0.1:8649, :8649, or port 0 for any free port) and decode them as they arrive")
	files, err := parseInterspersed(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return opt, exitOK, false
		}
		return opt, exitUsage, false
	}
	opt.files = files
	if opt.src.Format, err = packetsrc.ParseFormat(*format); err != nil {
		return opt, usageError(stderr, err.Error()), false
	}
	if *port > 65535 {
		return opt, usageError(stderr, fmt.Sprintf("--port %d: not a UDP port", *port)), false
	}
	opt.src.Port = uint16(*port)
	return checkListen(stderr, fs, opt)
}

// parseInterspersed parses args with fs, letting flags follow positional
// arguments as most Unix tools do, and returns the positional arguments.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for rest := args; ; {
		if err := fs.Parse(rest); err != nil {
			return nil, err
		}
		used := len(rest) - fs.NArg()
		dashdash := used > 0 && rest[used-1] == "--"
		if rest = fs.Args(); len(rest) == 0 {
			return pos, nil
		}
		if dashdash {
			return append(pos, rest...), nil
		}
		pos, rest = append(pos, rest[0]), rest[1:]
	}
}

// checkListen rejects what has no meaning with --listen and otherwise makes
// standard input the default input.
func checkListen(stderr io.Writer, fs *flag.FlagSet, opt decodeOptions) (decodeOptions, int, bool) {
	if opt.listen == "" {
		if len(opt.files) == 0 {
			opt.files = []string{"-"}
		}
		return opt, exitOK, true
	}
	var bad []string
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "format" || f.Name == "port" {
			bad = append(bad, "--"+f.Name)
		}
	})
	if len(opt.files) > 0 {
		bad = append(bad, "FILE arguments")
	}
	if len(bad) > 0 {
		return opt, usageError(stderr, "--listen cannot be combined with "+strings.Join(bad, ", ")), false
	}
	return opt, exitOK, true
}

func usageError(stderr io.Writer, msg string) int {
	fmt.Fprintf(stderr, "ganglia-lpm decode: %s\nRun \"ganglia-lpm help decode\" for usage.\n", msg)
	return exitUsage
}

// decoder decodes packets and prints them, counting what went wrong.
type decoder struct {
	out      printer
	msg      xdr.Message // reused: DecodeInto allocates nothing once warm
	packets  int         // packets and source errors seen
	messages int         // packets that decoded
	failed   int         // packets and inputs that did not
	stats    packetsrc.Stats
	// live flushes the output after every packet, for standard input that
	// may be a pipe fed as events happen (tail -f, tcpdump -w - ...).
	live bool
}

// file decodes every packet of one input; "-" is standard input.
func (d *decoder) file(stdin io.Reader, name string, opt packetsrc.Options) {
	label, r := name, stdin
	if name == "-" {
		label = "stdin"
		d.live = true
		defer func() { d.live = false }()
	} else {
		f, err := os.Open(name)
		if err != nil {
			d.packet(packetsrc.Packet{Label: name, Err: err})
			return
		}
		defer f.Close()
		r = f
	}
	st := packetsrc.Read(label, r, opt, d.emit)
	d.stats.Frames += st.Frames
	d.stats.NonUDP += st.NonUDP
	d.stats.Filtered += st.Filtered
}

// packet decodes and prints one packet, or prints why there is none.
func (d *decoder) packet(p packetsrc.Packet) {
	d.packets++
	if p.Err != nil {
		d.failed++
		d.out.failure(p, p.Err, nil)
		return
	}
	// DecodeInto leaves the message untouched when it refuses an oversize
	// packet: clear the id so the error line does not show the previous one.
	d.msg.ID = 0
	if err := xdr.DecodeInto(&d.msg, p.Data); err != nil {
		d.failed++
		d.out.failure(p, err, &d.msg)
		return
	}
	d.messages++
	d.out.message(p, &d.msg)
}

// emit is the packetsrc callback: decode, print, and flush if live.
func (d *decoder) emit(p packetsrc.Packet) {
	d.packet(p)
	if d.live {
		d.out.flush() // a write error stays in the printer; runDecode reports it
	}
}

// summary says on stderr what the output lines alone do not: how many
// packets failed and what a capture held besides the datagrams shown.
func (d *decoder) summary(w io.Writer) {
	fmt.Fprintf(w, "decode: %s: %d decoded, %d failed", plural(d.packets, "packet"), d.messages, d.failed)
	if st := d.stats; st.Frames > 0 {
		fmt.Fprintf(w, "; capture frames: %d, not UDP (skipped): %d, other ports (--port): %d",
			st.Frames, st.NonUDP, st.Filtered)
	}
	fmt.Fprintln(w)
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
