package cluster

import (
	"github.com/ganglia-lpm/ganglia-lpm/internal/xmlattr"
	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

// appendVAL appends a VAL: escaped like stock's xml_escape for a string
// value, like any attribute for the output of a numeric format (the rules
// are internal/xmlattr's). Names keep their bytes in the state; only the
// XML changes them.
func appendVAL(b []byte, val []byte, id xdr.MsgID) []byte {
	if id == xdr.IDString {
		return xmlattr.AppendStringVAL(b, val)
	}
	return xmlattr.Append(b, val)
}
