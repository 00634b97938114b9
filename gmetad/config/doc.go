// Package config reads gmetad.conf, the dotconf file of stock gmetad 3.7.2,
// into a Config: every stock directive plus the ganglia-lpm extensions, with
// errors that name file, line and directive, and a Warning for each directive
// that is accepted but not acted upon. WriteTo prints the configuration in
// effect in the same syntax, which is what `gmetad -t` shows.
package config
