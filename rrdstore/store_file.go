package rrdstore

import (
	"bytes"
	"os"
)

// storeFile is a file a Store keeps open: the rrdFile, the identity of the
// file it opened (so that one stat tells a replacement), and, where the
// platform has it, a shared read-write mapping of the whole file.
//
// Why the mapping: on Linux a pwrite to an ext4 file costs several µs of
// kernel time (it dirties a page-cache folio, updates mtime, balances dirty
// pages), and a flush needs two at least (rows, live block), while a store
// into a mapped page that is already dirty costs nothing: the kernel takes
// a fault only after writeback has cleaned the page. librrd writes through
// a mapping too (it maps and unmaps the file on every update). The stores
// land in the page cache at once, so readers see them as they would see a
// pwrite, and kill -9 cannot lose them. Without a mapping (other systems,
// or mmap failing) the file is read and written with pread and pwrite.
//
// A file is mapped only from its second flush out of the cache on: when a
// fleet has more files than the cache holds, each flush opens its file
// afresh, and mapping and unmapping it then costs more than it saves
// (munmap of a multi-threaded process flushes the TLB of every CPU it ran
// on): BenchmarkStoreOverflow, 30 µs an update mapped on every open.
type storeFile struct {
	r      *rrdFile
	id     os.FileInfo
	mem    []byte
	reused bool // taken from the cache: it stays open between flushes
}

func openStoreFile(path string) (*storeFile, error) {
	r, err := openRRD(path, true)
	if err != nil {
		return nil, err
	}
	fi, err := r.f.Stat()
	if err != nil {
		r.close()
		return nil, osErr(path, "fstat", err)
	}
	return &storeFile{r: r, id: fi}, nil
}

// replaced is rrdFile.replaced with the open file's identity kept from
// open: one stat per flush instead of two.
func (sf *storeFile) replaced() bool {
	now, err := os.Stat(sf.r.path)
	return err != nil || !os.SameFile(sf.id, now)
}

func (sf *storeFile) close() {
	sf.unmap()
	sf.r.close() // an error closing a descriptor says nothing the flushes did not
}

func (sf *storeFile) unmap() {
	if sf.mem != nil {
		unmapFile(sf.mem)
		sf.mem = nil
	}
}

// load is rrdFile.load reading the header from the mapping. The first
// load, and one after another writer changed the definitions, parse the
// file through rrdFile and map it at the size its header gives.
func (sf *storeFile) load() (err error) {
	r := sf.r
	if sf.mem == nil || r.static == nil {
		if err := r.load(); err != nil {
			return err
		}
		if sf.reused {
			sf.remap()
		}
		return nil
	}
	defer sf.catchFault(&err)
	m := sf.mem
	if !bytes.Equal(m[:r.hdr.liveOff], r.static) {
		if err := r.loadAll(); err != nil {
			return err
		}
		sf.remap()
		return nil
	}
	if live := m[r.hdr.liveOff:r.hdr.size]; !bytes.Equal(live, r.raw) {
		copy(r.raw, live)
		return r.decode()
	}
	return nil
}

// remap maps the file at its header's size, if it is not already.
func (sf *storeFile) remap() {
	size := sf.r.hdr.fileSize
	if sf.mem != nil && int64(len(sf.mem)) == size {
		return
	}
	sf.unmap()
	if m, err := mapFile(sf.r.f, size); err == nil {
		sf.mem = m
	}
}

// flush is rrdFile.flush storing into the mapping: the rows, then the
// live block, as librrd's order.
func (sf *storeFile) flush() (err error) {
	r := sf.r
	if sf.mem == nil {
		return r.flush()
	}
	if !r.dirty {
		return nil
	}
	defer sf.catchFault(&err)
	r.dirty = false
	defer r.rows.reset()
	m := sf.mem
	for _, s := range r.rows.segs {
		storeWords(m[s.off:], r.rows.buf[s.lo:s.hi])
	}
	r.hdr.encodeLive(&r.st, r.raw)
	storeWords(m[r.hdr.liveOff:], r.raw)
	return nil
}

// storeWords copies src (a multiple of 8 bytes) to dst 8 bytes at a time.
// Every field of an RRD is 8-byte aligned in the file and so in the
// mapping, and each of these is one store instruction: a process killed
// in the middle leaves every number whole, old or new, where a memmove
// could leave one half written.
func storeWords(dst, src []byte) {
	dst = dst[:len(src)]
	for i := 0; i+8 <= len(src); i += 8 {
		ne.PutUint64(dst[i:], ne.Uint64(src[i:]))
	}
}

// catchFault turns the fault of touching a mapping past the end of a file
// that someone truncated (SIGBUS; the workers run with SetPanicOnFault)
// into an error, and drops the mapping and the cached header.
func (sf *storeFile) catchFault(err *error) {
	p := recover()
	if p == nil {
		return
	}
	if _, ok := p.(interface{ Addr() uintptr }); !ok {
		panic(p)
	}
	sf.unmap()
	sf.r.static = nil
	*err = newErr(sf.r.path, ErrTruncatedFile, "the file shrank under its mapping")
}
