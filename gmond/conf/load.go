package conf

import (
	"os"
	"runtime"
	"sort"

	"github.com/ganglia-lpm/ganglia-lpm/templates"
)

// defaultName is the file name Default reports positions under.
const defaultName = "<default>"

// Load reads and parses the gmond.conf at path. A missing file is returned
// as the *fs.PathError from reading it (errors.Is(err, fs.ErrNotExist)), so
// the caller can fall back to Default as stock gmond does without -c.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, data)
}

// Parse parses data as the gmond.conf named name (used in messages, and
// its directory resolves relative include patterns). Environment variables
// are substituted in ${VAR} references, as libconfuse does. On failure the
// error is an Errors holding every problem found; the Config is nil.
func Parse(name string, data []byte) (*Config, error) {
	return parse(name, data, options{goos: runtime.GOOS, fs: osFS{}, lookupEnv: os.LookupEnv})
}

func parse(name string, data []byte, o options) (*Config, error) {
	p := newParser(o)
	nodes := p.parseData(name, data)
	c := base()
	d := &decoder{p: p, goos: o.goos}
	d.decode(nodes, c)
	if len(p.errs) > 0 {
		sortErrors(p.errs, p.files)
		return nil, p.errs
	}
	c.Warnings = p.warns
	c.Files = p.files
	return c, nil
}

// Default returns the configuration of DefaultText, what gmond runs with
// when no file exists: unicast to and from 127.0.0.1:8649 and the stock
// collection groups plus the IBM Power ones.
func Default() *Config {
	c, err := parse(defaultName, []byte(templates.GmondConf), options{goos: runtime.GOOS, fs: osFS{}, lookupEnv: noEnv})
	if err != nil {
		panic("conf: the built-in default does not parse: " + err.Error())
	}
	return c
}

// DefaultText returns the default gmond.conf text, printed by gmond -t.
func DefaultText() []byte { return []byte(templates.GmondConf) }

// noEnv keeps Default independent of the environment.
func noEnv(string) (string, bool) { return "", false }

// sortErrors puts syntax and value errors in reading order: by the order
// files were read, then by line.
func sortErrors(es Errors, files []string) {
	rank := make(map[string]int, len(files))
	for i, f := range files {
		rank[f] = i
	}
	sort.SliceStable(es, func(i, j int) bool {
		if a, b := rank[es[i].File], rank[es[j].File]; a != b {
			return a < b
		}
		return es[i].Line < es[j].Line
	})
}
