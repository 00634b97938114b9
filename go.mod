module github.com/ganglia-lpm/ganglia-lpm

go 1.26.8

require (
	github.com/BurntSushi/toml v1.6.0
	github.com/davecgh/go-xdr v0.0.0-20161123171359-e6a2ba005892
	github.com/fsnotify/fsnotify v1.10.1
)

require golang.org/x/sys v0.13.0 // indirect
