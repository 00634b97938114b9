package gangliaweb

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Where Debian 12 installs ganglia-web, its writable state and the
// JavaScript libraries it links to.
const (
	installedApp   = "/usr/share/ganglia-webfrontend"
	installedState = "/var/lib/ganglia-web"
	javascriptDir  = "/usr/share/javascript"
	// siteConf is the file the stock conf.php includes first; the private
	// copy includes the override written by writeConf instead.
	siteConf = "/etc/ganglia-webfrontend/conf.php"
)

// copyTree copies the directory src to dst (which must not exist yet),
// files, directories and symbolic links, keeping permission bits.
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			return os.MkdirAll(target, info.Mode().Perm()|0o700)
		case d.Type()&fs.ModeSymlink != 0:
			link, err := os.Readlink(path)
			if err != nil {
				return err
			}
			return os.Symlink(link, target)
		case d.Type().IsRegular():
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			return os.WriteFile(target, b, info.Mode().Perm()|0o600)
		}
		return fmt.Errorf("%s: not a file, directory or link", path)
	})
}

// phpString quotes s as a single-quoted PHP string literal.
func phpString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

// confOverride is the PHP that takes the place of the site's
// /etc/ganglia-webfrontend/conf.php. conf_default.php computes the
// dwoo, views, conf and cache paths from gweb_confdir before this file is
// read, so each is set here again.
func confOverride(gweb, rrdRoot, ip string, port int) string {
	var b strings.Builder
	b.WriteString("<?php\n// Written by ganglia-lpm's internal/gangliaweb for one test.\n")
	set := func(key, val string) { fmt.Fprintf(&b, "$conf[%s] = %s;\n", phpString(key), val) }
	str := func(key, val string) { set(key, phpString(val)) }
	conf := filepath.Join(gweb, "conf")
	str("gweb_confdir", gweb)
	str("gmetad_root", filepath.Dir(rrdRoot))
	str("rrds", rrdRoot)
	str("dwoo_compiled_dir", filepath.Join(gweb, "dwoo", "compiled"))
	str("dwoo_cache_dir", filepath.Join(gweb, "dwoo", "cache"))
	str("views_dir", conf)
	str("conf_dir", conf)
	str("cachefile", filepath.Join(conf, "ganglia_metrics.cache"))
	str("nagios_cache_file", filepath.Join(conf, "nagios_ganglia.cache"))
	str("overlay_events_file", filepath.Join(conf, "events.json"))
	str("overlay_events_color_map_file", filepath.Join(conf, "event_color.json"))
	str("ganglia_ip", ip)
	set("ganglia_port", strconv.Itoa(port))
	// Every page reads the grid as it is now: a test changes it between
	// page loads (hosts arrive, an LPAR moves).
	set("cachetime", "0")
	return b.String()
}

// router is the PHP built-in server's router script: it serves
// /javascript/... from Debian's /usr/share/javascript, as Apache's
// javascript-common alias does in a normal install, and leaves every other
// path to the server (returns false).
const router = `<?php
// Written by ganglia-lpm's internal/gangliaweb: Apache's javascript-common alias.
$path = parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
if (strncmp($path, '/javascript/', 12) !== 0) {
    return false;
}
$file = ` + "'" + javascriptDir + "/'" + ` . substr($path, 12);
if (strpos($path, '..') !== false || !is_file($file)) {
    http_response_code(404);
    return true;
}
$types = array('js' => 'application/javascript', 'css' => 'text/css', 'png' => 'image/png',
    'gif' => 'image/gif', 'svg' => 'image/svg+xml', 'map' => 'application/json');
$ext = pathinfo($file, PATHINFO_EXTENSION);
header('Content-Type: ' . (isset($types[$ext]) ? $types[$ext] : 'application/octet-stream'));
readfile($file);
return true;
`
