package templates

import _ "embed"

// ganglia-web 3.7.5 (Debian 12's ganglia-webfrontend) was written for PHP 5
// and 7; docs/ganglia-web.md says how sites that keep it run it on PHP 8
// next to ganglia-lpm's gmetad.
var (
	// GangliaWebPHP8Prepend is the auto_prepend_file that defines each()
	// and get_magic_quotes_gpc(), which PHP 8.0 removed and ganglia-web's
	// bundled Dwoo templates still call.
	//
	//go:embed ganglia-web/php8-prepend.php
	GangliaWebPHP8Prepend string

	// GangliaWebPHP8Patch is the patch (patch -p1 in
	// /usr/share/ganglia-webfrontend) with the source fixes ganglia-web
	// needs besides.
	//
	//go:embed ganglia-web/php8.patch
	GangliaWebPHP8Patch string
)
