// Package lpar collects the IBM Power partition metrics of Michael Perzl's
// gmond module "ibmpower" (cpu_used, cpu_ec, cpu_entitlement, cpu_pool_idle,
// capped, smt, serial_num, ...) under the names, types, units and formats
// that module announces, so existing ganglia-web graphs and RRD files keep
// working. Linux reads /proc/ppc64/lparcfg, the device tree and /proc;
// AIX parses lparstat, uname, lsattr and oslevel output, without cgo.
// Rates are computed from counter deltas over the collection interval, and
// a counter that went backwards or a frame change (LPM) drops the sample
// instead of sending an absurd value.
package lpar
