package identity

import "github.com/ganglia-lpm/ganglia-lpm/gmond/sysroot"

// lsattrArgs asks sys0 for the two attributes uname -u and -M print. With
// -F value the answer would depend on this order; parseLsattr reads both.
var lsattrArgs = []string{"-El", "sys0", "-a", "systemid", "-a", "modelname"}

// readAIX asks uname for the frame (-M model, -u system id), falls back to
// lsattr sys0 (the same ODM values; kept for systems or wrappers where
// uname lacks the flags), and takes the partition from uname -L.
func readAIX(root sysroot.Root, s *search) {
	model, errM := root.Command("uname", "-M")
	sysid, errU := root.Command("uname", "-u")
	s.fail(errM)
	s.fail(errU)
	if errM == nil && errU == nil {
		s.offer(Identity{
			SystemType: firstLine(model), SystemID: firstLine(sysid),
			PartitionNumber: -1, Source: SourceUname,
		})
	}
	if !s.done() {
		out, err := root.Command("lsattr", lsattrArgs...)
		s.fail(err)
		if err == nil {
			id, m := parseLsattr(out)
			s.offer(Identity{SystemType: m, SystemID: id, PartitionNumber: -1, Source: SourceLsattr})
		}
	}
	if !s.found {
		return
	}
	// The partition is extra detail: an identity without it still maps,
	// so a failing uname -L is not an error.
	if out, err := root.Command("uname", "-L"); err == nil {
		if n, name, ok := parseUnameL(out); ok {
			s.best.PartitionNumber, s.best.PartitionName = n, name
		}
	}
}
