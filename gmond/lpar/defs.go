package lpar

import (
	"runtime"

	"github.com/ganglia-lpm/ganglia-lpm/gmond/metric"
	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

// Group is the GROUP extra element every metric of Perzl's module carries.
const Group = "ibmpower"

// Metric names, as mod_ibmpower spells them (all ≤ 15 characters, the
// limit of Ganglia_25metric.name).
const (
	mCapped     = "capped"
	mCPUEC      = "cpu_ec"
	mEntitled   = "cpu_entitlement"
	mInLPAR     = "cpu_in_lpar"
	mInMachine  = "cpu_in_machine"
	mInPool     = "cpu_in_pool"
	mInSysPool  = "cpu_in_syspool"
	mPoolID     = "cpu_pool_id"
	mPoolIdle   = "cpu_pool_idle"
	mCPUUsed    = "cpu_used"
	mDiskIOPS   = "disk_iops"
	mDiskRead   = "disk_read"
	mDiskWrite  = "disk_write"
	mFWVersion  = "fwversion"
	mKernel64   = "kernel64bit"
	mLPAR       = "lpar"
	mLPARName   = "lpar_name"
	mLPARNum    = "lpar_num"
	mModelName  = "model_name"
	mOSLevel    = "oslevel"
	mSerialNum  = "serial_num"
	mSMT        = "smt"
	mSPLPAR     = "splpar"
	mWeight     = "weight"
	mKVMGuest   = "kvm_guest"
	mCPUType    = "cpu_type"
	notSPLPAR   = "No SPLPAR-capable system" // Perzl's value of capped/splpar without lparcfg data
	qemuPSeries = "IBM pSeries (emulated by qemu)"
)

// table is the module's Ganglia_25metric table in its own order, with the
// titles of the module's shipped ibmpower.conf as default titles. Every
// metric uses slope "both" and dmax 0, as the module declares them (even
// the string metrics, where stock gmond's own use "zero").
var table = []metric.Def{
	str(mCapped, 180, "Is this SPLPAR running in capped mode?", "Capped Mode?"),
	num(mCPUEC, metric.Float, "%", 15, "%.2f", "Ratio of physical cores used vs. entitlement", "Ratio of Core Usage vs. Entitlement"),
	num(mEntitled, metric.Float, "CPUs", 180, "%.2f", "Capacity entitlement in units of physical cores", "CPU Entitlement"),
	num(mInLPAR, metric.UInt32, "CPUs", 180, "%d", "Number of CPUs the OS sees in the system", "Number of Virtual CPUs in LPAR"),
	num(mInMachine, metric.UInt32, "CPUs", 1200, "%d", "Total number of physical cores in the whole system", "Cores in Machine"),
	num(mInPool, metric.UInt32, "CPUs", 180, "%d", "Number of physical cores in the shared processor pool", "Number of Cores in Pool"),
	num(mInSysPool, metric.UInt32, "CPUs", 180, "%d", "Number of physical cores in the global shared processor pool", "Number of Cores in System Pool"),
	num(mPoolID, metric.UInt32, "", 180, "%d", "Shared processor pool ID of this LPAR", "Shared processor pool ID of this LPAR"),
	num(mPoolIdle, metric.Float, "CPUs", 15, "%.4f", "Number of idle cores in the shared processor pool", "CPU Pool Idle"),
	num(mCPUUsed, metric.Float, "CPUs", 15, "%.4f", "Number of physical cores used", "Physical Cores Used"),
	num(mDiskIOPS, metric.Double, "IO/sec", 180, "%.3f", "Total number of I/O operations per second", "Total number I/O operations per second"),
	num(mDiskRead, metric.Double, "bytes/sec", 180, "%.2f", "Total number of bytes read I/O of the system", "Total Disk Read I/O per second"),
	num(mDiskWrite, metric.Double, "bytes/sec", 180, "%.2f", "Total number of bytes write I/O of the system", "Total Disk Write I/O per second"),
	str(mFWVersion, 1200, "Firmware Version", "Firmware Version"),
	str(mKernel64, 1200, "Is the kernel running in 64-bit mode?", "Kernel 64 bit?"),
	str(mLPAR, 1200, "Is the system an LPAR or not?", "LPAR Mode?"),
	str(mLPARName, 180, "Name of the LPAR as defined on the HMC", "LPAR Name"),
	num(mLPARNum, metric.UInt32, "", 1200, "%d", "Partition ID of the LPAR as defined on the HMC", "LPAR Number"),
	str(mModelName, 1200, "Machine Model Name", "Machine Name"),
	str(mOSLevel, 180, "Exact Linux version", "Output of 'oslevel -s'"),
	str(mSerialNum, 1200, "Serial number of the hardware system", "System Serial Number"),
	str(mSMT, 180, "Is SMT enabled or not?", "SMT enabled?"),
	str(mSPLPAR, 1200, "Is this a shared processor LPAR or not?", "Shared Processor LPAR?"),
	num(mWeight, metric.UInt32, "", 180, "%d", "Capacity weight of the LPAR", "LPAR Weight"),
	str(mKVMGuest, 1200, "Is this a KVM guest VM or not?", "KVM Guest VM?"),
	str(mCPUType, 180, "CPU model name", "CPU model name"),
}

// aixOSLevelDesc is the one description the AIX build of the module words
// differently from the Linux build.
const aixOSLevelDesc = "Exact AIX version string"

func num(name string, t metric.Type, units string, tmax uint32, format, desc, title string) metric.Def {
	return metric.Def{Name: name, Type: t, Units: units, Slope: xdr.SlopeBoth, TMax: tmax,
		Format: format, Group: Group, Desc: desc, Title: title}
}

func str(name string, tmax uint32, desc, title string) metric.Def {
	return num(name, metric.String, "", tmax, "%s", desc, title)
}

// Defs returns every metric this package can provide on the running OS,
// including those a given machine cannot compute (for `gmond -m`).
func Defs() []metric.Def { return defsFor(runtime.GOOS) }

// defsFor returns the table as the module for goos announces it.
func defsFor(goos string) []metric.Def {
	out := make([]metric.Def, len(table))
	copy(out, table)
	if goos == "aix" {
		for i := range out {
			if out[i].Name == mOSLevel {
				out[i].Desc = aixOSLevelDesc
			}
		}
	}
	return out
}

// pick returns the definitions of names, in that order, for goos. It
// panics on an unknown name: the lists are constants of this package.
func pick(goos string, names ...string) []metric.Def {
	all := defsFor(goos)
	out := make([]metric.Def, 0, len(names))
	for _, n := range names {
		found := false
		for _, d := range all {
			if d.Name == n {
				out = append(out, d)
				found = true
				break
			}
		}
		if !found {
			panic("lpar: no definition for " + n)
		}
	}
	return out
}
