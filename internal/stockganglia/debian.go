package stockganglia

// DebianCollectionGroups are the collection_group sections of Debian's
// /etc/ganglia/gmond.conf (3.7.2-6), one metric per line. A sender gmond
// using them sends its whole standard metric set at start-up (every group
// is due at once), then each group per its collect_every/time_threshold.
const DebianCollectionGroups = `collection_group { collect_once = yes time_threshold = 20
  metric { name = "heartbeat" }
}
collection_group { collect_once = yes time_threshold = 1200
  metric { name = "cpu_num" title = "CPU Count" }
  metric { name = "cpu_speed" title = "CPU Speed" }
  metric { name = "mem_total" title = "Memory Total" }
  metric { name = "swap_total" title = "Swap Space Total" }
  metric { name = "boottime" title = "Last Boot Time" }
  metric { name = "machine_type" title = "Machine Type" }
  metric { name = "os_name" title = "Operating System" }
  metric { name = "os_release" title = "Operating System Release" }
  metric { name = "location" title = "Location" }
}
collection_group { collect_once = yes time_threshold = 300
  metric { name = "gexec" title = "Gexec Status" }
}
collection_group { collect_every = 20 time_threshold = 90
  metric { name = "cpu_user" value_threshold = "1.0" title = "CPU User" }
  metric { name = "cpu_system" value_threshold = "1.0" title = "CPU System" }
  metric { name = "cpu_idle" value_threshold = "5.0" title = "CPU Idle" }
  metric { name = "cpu_nice" value_threshold = "1.0" title = "CPU Nice" }
  metric { name = "cpu_aidle" value_threshold = "5.0" title = "CPU aidle" }
  metric { name = "cpu_wio" value_threshold = "1.0" title = "CPU wio" }
}
collection_group { collect_every = 20 time_threshold = 90
  metric { name = "load_one" value_threshold = "1.0" title = "One Minute Load Average" }
  metric { name = "load_five" value_threshold = "1.0" title = "Five Minute Load Average" }
  metric { name = "load_fifteen" value_threshold = "1.0" title = "Fifteen Minute Load Average" }
}
collection_group { collect_every = 80 time_threshold = 950
  metric { name = "proc_run" value_threshold = "1.0" title = "Total Running Processes" }
  metric { name = "proc_total" value_threshold = "1.0" title = "Total Processes" }
}
collection_group { collect_every = 40 time_threshold = 180
  metric { name = "mem_free" value_threshold = "1024.0" title = "Free Memory" }
  metric { name = "mem_shared" value_threshold = "1024.0" title = "Shared Memory" }
  metric { name = "mem_buffers" value_threshold = "1024.0" title = "Memory Buffers" }
  metric { name = "mem_cached" value_threshold = "1024.0" title = "Cached Memory" }
  metric { name = "swap_free" value_threshold = "1024.0" title = "Free Swap Space" }
}
collection_group { collect_every = 40 time_threshold = 300
  metric { name = "bytes_out" value_threshold = 4096 title = "Bytes Sent" }
  metric { name = "bytes_in" value_threshold = 4096 title = "Bytes Received" }
  metric { name = "pkts_in" value_threshold = 256 title = "Packets Received" }
  metric { name = "pkts_out" value_threshold = 256 title = "Packets Sent" }
}
collection_group { collect_every = 1800 time_threshold = 3600
  metric { name = "disk_total" value_threshold = 1.0 title = "Total Disk Space" }
}
collection_group { collect_every = 40 time_threshold = 180
  metric { name = "disk_free" value_threshold = 1.0 title = "Disk Space Available" }
  metric { name = "part_max_used" value_threshold = 1.0 title = "Maximum Disk Space Used" }
}
`

// debianModules are the metric modules Debian's gmond.conf loads: the
// built-in core_metrics and seven shared objects from the module directory.
var debianModules = []struct{ name, file string }{
	{"core_metrics", ""},
	{"cpu_module", "modcpu.so"},
	{"disk_module", "moddisk.so"},
	{"load_module", "modload.so"},
	{"mem_module", "modmem.so"},
	{"net_module", "modnet.so"},
	{"proc_module", "modproc.so"},
	{"sys_module", "modsys.so"},
}
