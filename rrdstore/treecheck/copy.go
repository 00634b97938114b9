package treecheck

import (
	"os"

	"github.com/ganglia-lpm/ganglia-lpm/rrdstore"
)

// copyRRD writes a copy of src at dst through rrdstore's locks: a new file
// of the same layout, last updated just before src, into which src is
// merged, so every row and the live state come from src. dst must not
// exist; on failure it is removed again (it is only a copy).
func copyRRD(dst, src string) error {
	inf, err := rrdstore.ReadInfo(src)
	if err != nil {
		return err
	}
	spec := rrdstore.Spec{Step: inf.Step, Start: max(inf.LastUpdate-1, 1)}
	for _, d := range inf.DS {
		spec.DS = append(spec.DS, d.DS)
	}
	for _, r := range inf.RRA {
		spec.RRA = append(spec.RRA, r.RRA)
	}
	if err := rrdstore.Create(dst, spec, rrdstore.CreateOptions{NoOverwrite: true}); err != nil {
		return err
	}
	if err := rrdstore.Merge(dst, src); err != nil {
		os.Remove(dst)
		return err
	}
	return nil
}
