module github.com/ganglia-lpm/ganglia-lpm

go 1.26.8

require github.com/davecgh/go-xdr v0.0.0-20161123171359-e6a2ba005892
