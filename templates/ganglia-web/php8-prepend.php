<?php
// php8-prepend.php, from ganglia-lpm: lets ganglia-web 3.7.5 (Debian 12's
// ganglia-webfrontend) run on PHP 8.
//
// PHP 8.0 removed each() and get_magic_quotes_gpc(). The Dwoo template
// engine bundled with ganglia-web calls each() while it compiles and fills
// templates, and ganglia-web's lib/GangliaAuth.php calls
// get_magic_quotes_gpc() when it reads its cookie, so every page stops with
// "Call to undefined function". This file puts both back before ganglia-web
// runs. Give it to PHP as auto_prepend_file, e.g. in the <Directory> block
// of /etc/ganglia-webfrontend/apache.conf (mod_php):
//
//   php_admin_value auto_prepend_file /etc/ganglia-webfrontend/php8-prepend.php
//
// or on the command line: php -d auto_prepend_file=/path/php8-prepend.php.
// ganglia-web also needs the source fixes of php8.patch, next to this file;
// docs/ganglia-web.md of ganglia-lpm explains both. On PHP 7, where both
// functions still exist, this file does nothing.

if (!function_exists('each')) {
    // each returns the current key and value of $array as PHP 7 did
    // (under the keys 0 and "key", 1 and "value") and moves the internal
    // pointer on; past the last element it returns false.
    function each(array &$array)
    {
        $key = key($array);
        if ($key === null) {
            return false;
        }
        $value = current($array);
        next($array);
        return array(1 => $value, 'value' => $value, 0 => $key, 'key' => $key);
    }
}

if (!function_exists('get_magic_quotes_gpc')) {
    // Magic quotes were removed in PHP 5.4; request input is never escaped.
    function get_magic_quotes_gpc()
    {
        return false;
    }
}
