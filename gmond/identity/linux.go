package identity

import (
	"github.com/ganglia-lpm/ganglia-lpm/gmond/sysroot"
)

// Paths read on Linux, on the machine below the root.
const (
	lparcfgPath = "/proc/ppc64/lparcfg"
	dtDir       = "/proc/device-tree/"
	dmiDir      = "/sys/class/dmi/id/"
)

// readLinux tries lparcfg (PowerVM LPARs; it is read-only to us even
// though root could write some keys), then the device-tree root (PowerVM
// or bare-metal PowerNV), then a KVM guest's host-model/host-serial, then
// DMI (x86, some ARM servers).
func readLinux(root sysroot.Root, s *search) {
	if b, err := root.ReadFile(lparcfgPath); err != nil {
		s.fail(err)
	} else {
		id := parseLparcfg(b)
		id.Source = SourceLparcfg
		s.offer(id)
	}
	// Older kernels' lparcfg has no partition_name, so the device tree
	// may still have something to add when lparcfg named the frame.
	if !s.done() || s.best.PartitionName == "" || s.best.PartitionNumber < 0 {
		own := readDeviceTree(root, s)
		if !s.done() && !s.offer(own) {
			s.offer(readKVMHost(root, s, own))
		}
		if s.found {
			fillPartition(&s.best, own)
		}
	}
	if !s.found {
		readDMI(root, s)
	}
}

// dtString reads a string property of the device-tree root.
func dtString(root sysroot.Root, s *search, name string) string {
	b, err := root.ReadFile(dtDir + name)
	s.fail(err)
	return parseDTString(b)
}

// readDeviceTree reads what the firmware says about this machine in the
// device-tree root: model, system-id and the partition.
func readDeviceTree(root sysroot.Root, s *search) Identity {
	id := Identity{
		SystemType:      dtString(root, s, "model"),
		SystemID:        dtString(root, s, "system-id"),
		PartitionName:   dtString(root, s, "ibm,partition-name"),
		PartitionNumber: -1,
		Source:          SourceDeviceTree,
	}
	if b, err := root.ReadFile(dtDir + "ibm,partition-no"); err != nil {
		s.fail(err)
	} else if n, ok := parseDTCell(b); ok {
		id.PartitionNumber = n
	}
	return id
}

// readKVMHost reads the host frame a KVM guest runs on: QEMU's pseries
// machine calls itself "IBM pSeries (emulated by qemu)" with the VM's UUID
// as system-id, which is no frame, but can pass the host's model and
// system-id through as host-model and host-serial. The partition stays
// the guest's own.
func readKVMHost(root sysroot.Root, s *search, own Identity) Identity {
	own.SystemType = dtString(root, s, "host-model")
	own.SystemID = dtString(root, s, "host-serial")
	own.Source = SourceKVMHost
	return own
}

// fillPartition copies the partition fields id lacks from other.
func fillPartition(id *Identity, other Identity) {
	if id.PartitionName == "" {
		id.PartitionName = other.PartitionName
	}
	if id.PartitionNumber < 0 {
		id.PartitionNumber = other.PartitionNumber
	}
}

// readDMI reads the vendor, product and serial that DMI shows on x86. It
// is never a Power frame, but fills SystemType ("vendor,product") and
// SystemID so `mapping show` can tell the operator what the host is.
// product_serial is mode 0400, so a gmond that dropped root cannot read
// it; that is expected and not reported.
func readDMI(root sysroot.Root, s *search) {
	str := func(name string) string {
		b, err := root.ReadFile(dmiDir + name)
		if name != "product_serial" {
			s.fail(err)
		}
		return clean(firstLine(b))
	}
	vendor, product := str("sys_vendor"), str("product_name")
	typ := vendor + "," + product
	if vendor == "" || product == "" {
		typ = vendor + product
	}
	// keep, not offer: whatever DMI says, it is not a Power frame.
	s.keep(Identity{SystemType: typ, SystemID: str("product_serial"), PartitionNumber: -1, Source: SourceDMI})
}
