package templates

import _ "embed"

// GangliaWebPHP8Prepend is the auto_prepend_file that lets ganglia-web 3.7.5
// (Debian 12's ganglia-webfrontend) run on PHP 8: it defines each() and
// get_magic_quotes_gpc(), which PHP 8.0 removed and ganglia-web's bundled
// Dwoo templates still call. docs/ganglia-web.md says where it goes and
// lists the four one-line source fixes ganglia-web needs besides.
//
//go:embed ganglia-web/php8-prepend.php
var GangliaWebPHP8Prepend string
