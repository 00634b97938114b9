package gangliaweb

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// fix is one text replacement in a file of ganglia-web 3.7.5+debian-4.
type fix struct {
	file     string // relative to the application directory
	old, new string
	count    int // how many times old occurs in the stock file
	why      string
}

// php8Fixes are the source changes ganglia-web 3.7.5 needs on PHP 8, besides
// the auto_prepend_file for each() and get_magic_quotes_gpc(): the four of
// ../shared/GANGLIA-WEB.md, one more for fresh clusters, and one that
// silences a compile-time warning. Each is described for sites in
// docs/ganglia-web.md.
var php8Fixes = []fix{
	{
		file:  "ganglia.php",
		old:   "   global $conf, $error, $parsetime, $clustername, $hostname, $context, $debug;\n",
		new:   "   global $conf, $error, $parsetime, $clustername, $hostname, $context, $debug, $SKIP_GMETAD_CONTEXTS;\n",
		count: 1,
		why:   "Gmetad() reads $SKIP_GMETAD_CONTEXTS without declaring it global",
	},
	{
		file:  "ganglia.php",
		old:   "in_array($context, $SKIP_GMETAD_CONTEXTS)",
		new:   "in_array($context, (array)$SKIP_GMETAD_CONTEXTS)",
		count: 1,
		why:   "in_array() of PHP 8 refuses null, and stacked.php never sets $SKIP_GMETAD_CONTEXTS",
	},
	{
		file:  "lib/common_api.php",
		old:   "function ganglia_api_error_handler ($no, $str, $file, $line, $context) {",
		new:   "function ganglia_api_error_handler ($no, $str, $file, $line, $context = null) {",
		count: 1,
		why:   "PHP 8 calls error handlers with four arguments, not five",
	},
	{
		file:  "cluster_view.php",
		old:   "$cluster[LOCALTIME]",
		new:   "$cluster['LOCALTIME']",
		count: 2,
		why:   "PHP 8 no longer reads an undefined constant as its own name",
	},
	{
		file:  "dwoo/Dwoo/Compiler.php",
		old:   "$output = call_user_func_array($funcCompiler, $params);",
		new:   "$output = call_user_func_array($funcCompiler, array_values($params));",
		count: 4,
		why:   "PHP 8 passes string keys of call_user_func_array's array as named arguments",
	},
	{
		// find_avg returns rrdtool's "-nan" while a summary RRD holds no
		// value in the range shown (a new cluster or grid). PHP 7 found
		// "-nan" == 0 and its callers used 1 CPU; PHP 8 does not, and the
		// front and cluster pages stop with "Unsupported operand types:
		// float / string" (meta_view.php, cluster_view.php).
		file:  "functions.php",
		old:   "              $avg = $out[1];",
		new:   "              $avg = is_numeric($out[1]) ? $out[1] : 0;",
		count: 1,
		why:   "PHP 8 compares non-numeric strings with 0 as strings",
	},
	{
		// Not a PHP 8 error: PHP 7.3 and later print this warning when
		// functions.php is compiled, which puts it into every page and
		// every JSON answer once display_errors is on, as in these tests.
		// break is what PHP runs in its place anyway.
		file:  "functions.php",
		old:   "      continue;\n      // print \"No graphs defined for this view. Please add some\";",
		new:   "      break;\n      // print \"No graphs defined for this view. Please add some\";",
		count: 1,
		why:   "\"continue\" targeting switch is equivalent to \"break\"",
	},
}

// apply makes the replacement in the copy below dir. It fails when old does
// not occur exactly f.count times: then the installed ganglia-web is not
// the version these fixes were written for.
func (f fix) apply(dir string) error {
	path := filepath.Join(dir, filepath.FromSlash(f.file))
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if n := strings.Count(string(b), f.old); n != f.count {
		return fmt.Errorf("%s: %q occurs %d times, want %d (%s): "+
			"ganglia-webfrontend is not 3.7.5+debian-4, check the fix", f.file, f.old, n, f.count, f.why)
	}
	return os.WriteFile(path, []byte(strings.ReplaceAll(string(b), f.old, f.new)), 0o644)
}
