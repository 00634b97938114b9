package gangliaweb

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/ganglia-lpm/ganglia-lpm/templates"
)

// TestPrepend runs the shipped auto_prepend_file under the installed PHP:
// each() walks an array as PHP 7's did and get_magic_quotes_gpc() is false.
func TestPrepend(t *testing.T) {
	php := need(t)
	dir := t.TempDir()
	prepend := filepath.Join(dir, "php8-prepend.php")
	script := filepath.Join(dir, "script.php")
	if err := os.WriteFile(prepend, []byte(templates.GangliaWebPHP8Prepend), 0o644); err != nil {
		t.Fatal(err)
	}
	// auto_prepend_file applies to script files, not to php -r.
	const code = `<?php
$a = array('x' => 1, 7 => 'y');
while (list($k, $v) = each($a)) { echo "$k=$v;"; }
var_export(each($a)); echo ";";
$b = array('z'); echo json_encode(each($b)), ";";
var_export(get_magic_quotes_gpc());`
	if err := os.WriteFile(script, []byte(code), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(php, "-d", "auto_prepend_file="+prepend, "-d", "display_errors=stderr", script).CombinedOutput()
	if err != nil {
		t.Fatalf("php: %v\n%s", err, out)
	}
	const want = `x=1;7=y;false;{"1":"z","value":"z","0":0,"key":0};false`
	if string(out) != want {
		t.Errorf("php printed\n%s\nwant\n%s", out, want)
	}
}
