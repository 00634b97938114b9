/*
 * printf_golden prints ../printf.golden: what libapr's apr_snprintf, which
 * stock gmond 3.7.2 calls to render a VAL, writes for a list of (format,
 * C type, value) cases, and for comparison what glibc snprintf writes.
 * xdr/render_test.go checks RenderVAL against the apr column; the glibc
 * column is documentation only. Nothing needs gcc at test time.
 *
 * Regenerate (from xdr/testdata/render), with Debian 12's libapr1 1.7.2:
 *
 *	gcc -O0 -w -o /tmp/printf_golden gen/printf_golden.c -ldl -lm &&
 *	/tmp/printf_golden > printf.golden
 *
 * Without libapr-1.so.0 the apr column holds "?", which the test rejects.
 * APR runs in a child process because some formats overflow its stack
 * buffers (%#.800g does); such cases read "crash". A few cases exercise
 * APR's undefined behaviour on purpose (%f of 1e300 reads past its digit
 * buffer, %.80g reads uninitialised digits, %#.1100x writes before its
 * number buffer): their apr text is whatever this run saw, and RenderVAL
 * falls back there (the test knows these classes).
 *
 * Line format, tab separated:
 *	kind  fmt  value  glibc  apr  note
 * kind is the gmetric type (ushort short int uint float double string);
 * value is decimal for integer kinds, the IEEE bits in hex for float and
 * double, and the text for string; note is the value in %.17g for humans.
 * fmt, value, glibc and apr escape \ tab CR LF and bytes outside 0x20-0x7e
 * as \\ \t \r \n \xHH.
 *
 * Arguments are passed the way stock gmond passes them: a ushort or short
 * promoted to int, a float promoted to double. gmond loads that int into a
 * 64-bit register with a 32-bit move, which clears the upper half, and a
 * 64-bit conversion reads the whole register; so where the format carries
 * a 64-bit length modifier (l ll z j t L q) the promoted int is passed
 * zero-extended to 64 bits (for APR only l and q read 64 bits). The buffer
 * is 1024 bytes like gmond's, so long outputs show its truncation to 1023
 * bytes.
 */
#include <dlfcn.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

typedef int (*snprintf_fn)(char *, size_t, const char *, ...);

static snprintf_fn apr;

static void put_escaped(const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '\\')
			fputs("\\\\", stdout);
		else if (c == '\t')
			fputs("\\t", stdout);
		else if (c == '\n')
			fputs("\\n", stdout);
		else if (c == '\r')
			fputs("\\r", stdout);
		else if (c < 0x20 || c > 0x7e)
			printf("\\x%02x", c);
		else
			putchar(c);
	}
}

static void put_line(const char *kind, const char *fmt, const char *value,
		     const char *glibc, const char *aprout, const char *note)
{
	printf("%s\t", kind);
	put_escaped(fmt);
	putchar('\t');
	put_escaped(value);
	putchar('\t');
	put_escaped(glibc);
	putchar('\t');
	put_escaped(aprout);
	printf("\t%s\n", note);
}

/* wide reports whether the conversion of fmt has a 64-bit length modifier. */
static int wide(const char *fmt)
{
	const char *p = fmt;
	while ((p = strchr(p, '%')) != NULL) {
		p++;
		if (*p == '%') {
			p++;
			continue;
		}
		p += strspn(p, "-+ #0'123456789.");
		return strchr("lzjtLq", *p) != NULL && *p != '\0';
	}
	return 0;
}

static char gbuf[1024], abuf[1024];

/* apr_begin forks; it returns 1 in the child, which must call apr_end. */
static int apr_pipe[2];

static int apr_begin(void)
{
	if (apr == NULL)
		return 0;
	fflush(stdout);
	if (pipe(apr_pipe) != 0 || fork() != 0)
		return 0;
	close(apr_pipe[0]);
	return 1;
}

static void apr_end(void)
{
	if (write(apr_pipe[1], abuf, strlen(abuf) + 1) < 0)
		_exit(1);
	_exit(0);
}

/* apr_collect reads the child's result into abuf ("crash" if it died). */
static void apr_collect(void)
{
	int status;
	ssize_t n = 0, r;
	if (apr == NULL)
		return;
	close(apr_pipe[1]);
	while ((r = read(apr_pipe[0], abuf + n, sizeof abuf - n)) > 0)
		n += r;
	close(apr_pipe[0]);
	wait(&status);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || n == 0)
		strcpy(abuf, "crash");
}

static void run_int(const char *kind, const char *fmt, long long v)
{
	char value[32];
	int w = wide(fmt);
	strcpy(abuf, "?");
/* BOTH formats arg with glibc and, when loaded, with APR. */
#define BOTH(arg)                                                       \
	do {                                                            \
		snprintf(gbuf, sizeof gbuf, fmt, arg);                  \
		if (apr_begin()) {                                      \
			apr(abuf, sizeof abuf, fmt, arg);               \
			apr_end();                                      \
		}                                                       \
		apr_collect();                                          \
	} while (0)
	if (strcmp(kind, "ushort") == 0) {
		unsigned short x = (unsigned short)v;
		if (w)
			BOTH((unsigned long long)(unsigned int)x);
		else
			BOTH((int)x);
	} else if (strcmp(kind, "short") == 0) {
		short x = (short)v;
		if (w)
			BOTH((unsigned long long)(unsigned int)(int)x);
		else
			BOTH((int)x);
	} else if (strcmp(kind, "int") == 0) {
		int x = (int)v;
		if (w)
			BOTH((unsigned long long)(unsigned int)x);
		else
			BOTH(x);
	} else {
		unsigned int x = (unsigned int)v;
		if (w)
			BOTH((unsigned long long)x);
		else
			BOTH(x);
	}
	snprintf(value, sizeof value, "%lld", v);
	put_line(kind, fmt, value, gbuf, abuf, "-");
}

static void run_double(const char *kind, const char *fmt, double d, const char *bits)
{
	char note[40];
	int L = strstr(fmt, "L") != NULL;
	strcpy(abuf, "?");
	if (L) {
		snprintf(gbuf, sizeof gbuf, fmt, (long double)d);
		if (apr_begin()) {
			apr(abuf, sizeof abuf, fmt, (long double)d);
			apr_end();
		}
		apr_collect();
	} else {
		BOTH(d);
	}
	snprintf(note, sizeof note, "%.17g", d);
	put_line(kind, fmt, bits, gbuf, abuf, note);
}

static void run_float(const char *fmt, float f)
{
	char bits[16];
	uint32_t u;
	memcpy(&u, &f, sizeof u);
	snprintf(bits, sizeof bits, "%08x", u);
	run_double("float", fmt, (double)f, bits);
}

static void run_dbl(const char *fmt, double d)
{
	char bits[24];
	uint64_t u;
	memcpy(&u, &d, sizeof u);
	snprintf(bits, sizeof bits, "%016llx", (unsigned long long)u);
	run_double("double", fmt, d, bits);
}

static void run_string(const char *fmt, const char *s)
{
	strcpy(abuf, "?");
	BOTH(s);
	put_line("string", fmt, s, gbuf, abuf, "-");
}

static const char *const int_fmts[] = {
	"%d", "%i", "%u", "%x", "%X", "%o", "%5d", "%-5d|", "%05d", "%+d",
	"% d", "%+5d", "%-+5d|", "% 05d", "%.3d", "%8.3d", "%-8.3d|",
	"%08.3d", "%.0d", "%+.0d", "%.d", "%#x", "%#X", "%#o", "%#.0o",
	"%.0x", "%#5x", "%#08x", "%-#8x|", "%#.4x", "%+u", "% u", "%5u",
	"%.0u", "%'d", "%hd", "%hu", "%hx", "%hhd", "%hhu", "%hhx", "%ld",
	"%lu", "%lx", "%lld", "%llu", "%zu", "%zd", "%jd", "%ju", "%td",
	"%Lu", "%+ld", "%020lo",
};

static const long long int_vals[] = {
	0, 1, -1, 42, -42, 255, 40000, 65535, 70000, 2147483647,
	-2147483647 - 1, 1795300688,
};

static const char *const short_fmts[] = {
	"%hu", "%hd", "%u", "%d", "%x", "%5hu", "%-6hd|", "%06hd", "%+hd", "%lu", "%ld",
};

static const long long short_vals[] = { 0, 2, -1, 12345, -12345, 32767, -32768, 65535 };

static const char *const flt_fmts[] = {
	"%f", "%F", "%e", "%E", "%g", "%G", "%.0f", "%.1f", "%.2f", "%.3f",
	"%.4f", "%.0e", "%.0g", "%.g", "%.f", "%#.0f", "%#.0e", "%#g",
	"%#.3g", "%#G", "%+f", "% f", "%10.3f", "%-10.3f|", "%010.3f",
	"%+010.3f", "% 010.3f", "%-+10.2e|", "%010.2e", "%.10f", "%.17g",
	"%.20e", "%.1g", "%.2g", "%.3e", "%12g", "%-12G|", "%012.4g", "%lf",
	"%Lf", "%le", "%Lg", "%.30f",
};

static void int_cases(void)
{
	const char *kinds[] = { "int", "uint" };
	const char *skinds[] = { "ushort", "short" };
	size_t i, j, k;
	for (k = 0; k < 2; k++)
		for (i = 0; i < sizeof int_fmts / sizeof *int_fmts; i++)
			for (j = 0; j < sizeof int_vals / sizeof *int_vals; j++)
				run_int(kinds[k], int_fmts[i], int_vals[j]);
	for (k = 0; k < 2; k++)
		for (i = 0; i < sizeof short_fmts / sizeof *short_fmts; i++)
			for (j = 0; j < sizeof short_vals / sizeof *short_vals; j++)
				run_int(skinds[k], short_fmts[i], short_vals[j]);
	/* %c prints the low byte; 0 ends the C string early. */
	run_int("int", "%c", 65);
	run_int("int", "[%3c]", 'z');
	run_int("int", "[%-3c]", 'z');
	run_int("int", "[%03c]", 'z');
	run_int("uint", "%c", 0x141);
	run_int("int", "a%cb", 0);
}

static void float_cases(void)
{
	const double dv[] = {
		0.0, -0.0, 1.0, -1.5, 0.1, 0.5, 2.5, 0.125, 123456, 1234567,
		0.0001, 0.00001, 0.00001234, 1e6, 999999.5, 9.9999, 99999.95,
		270.553174016, 83.301687296, 2.718281828459045, 1e300, -1e-300,
		5e-324, 1.7976931348623157e308, 2.2250738585072014e-308,
		18446744073709551616.0, INFINITY, -INFINITY, NAN, -NAN,
	};
	const float fv[] = {
		0.0f, -0.0f, 0.1f, 0.125f, 0.5f, 1.5f, 2.5f, 12.25f, 0.23f,
		3.8643336296081543f, 90.96275329589844f, 24684084.0f,
		0.0001227519678650424f, 0.014618088491261005f, 1e30f, -1e-30f,
		3.4028234663852886e38f, 1.401298464324817e-45f, INFINITY,
		-INFINITY, NAN, -NAN,
	};
	size_t i, j;
	for (i = 0; i < sizeof flt_fmts / sizeof *flt_fmts; i++)
		for (j = 0; j < sizeof dv / sizeof *dv; j++)
			run_dbl(flt_fmts[i], dv[j]);
	for (i = 0; i < sizeof flt_fmts / sizeof *flt_fmts; i++)
		for (j = 0; j < sizeof fv / sizeof *fv; j++)
			run_float(flt_fmts[i], fv[j]);
}

/* misc_cases: literal text, no conversion, and outputs past gmond's buffer. */
static void misc_cases(void)
{
	run_float("load=%.2f%%", 0.23f);
	run_float("%.1f %%", 97.5f);
	run_int("uint", "%u MHz", 2596);
	run_int("uint", "100%%", 7);
	run_int("int", "", 7);
	run_int("int", "abc", 7);
	run_dbl("no conversion", 1.5);
	run_float("%.10f", 0.1f);
	run_float("%.4f", 1.2345f);
	run_dbl("%.4f", 0.00005);
	run_dbl("%.1100f", 1.0);
	run_dbl("%.1080f", 5e-324);
	run_dbl("%.800e", 5e-324);
	run_dbl("%#.800g", 1.0);
	/* %#g when rounding carries up to 10^P: glibc drops the zeros. */
	run_dbl("%#g", 999999.5);
	run_dbl("%#.5g", 99999.5);
	run_dbl("%#.2g", 99.7);
	run_dbl("%#.2G", 99.7);
	run_dbl("%#012.4g", -9999.9);
	run_dbl("%#-12.4g|", 9999.9);
	run_dbl("%#.3g", 99.96);
	run_dbl("%#.1g", 9.7);
	run_dbl("%#.10g", 9999999999.5);
	run_dbl("%#.16g", 9999999999999999.0);
	run_float("%#.3g", 999.9f);
	run_dbl("%1030.3f", -1.5);
	run_dbl("%-1030.3f|", -1.5);
	run_dbl("%01030.3f", -1.5);
	run_int("int", "%1100d", -5);
	run_int("int", "%-1100d|", -5);
	run_int("int", "%.1100d", -5);
	run_int("uint", "%#.1100x", 255);
	run_string("%s", "x86_64");
	run_string("%s", "");
	run_string("%s", "6.18.44-fc-v669");
	run_string("%s", "a&b<c>\"'");
	run_string("%s", "\xff\xfe tab\there");
}

/* apr_cases: APR's own grammar and quirks. */
static void apr_cases(void)
{
	static const char *const ifmts[] = {
		"%-05d|", "%-08.3d|", "%-+06d|", "%0-6u|", "%#lx", "%#lX", "%#lo",
		"%#hx", "%#.3x", "%#.3o", "%#5o", "%qd", "%qu", "%qx", "%lX",
		"%ld", "%lu", "%hu", "%hd", "%ho", "%5%", "%-5%|", "%05%", "%%%d",
		"%y", "%5y", "%-3y|", "%ly", "%hh", "ab%p", "%pz", "%010pz",
		"%-10pz|", "%l", "%5", "%-", "%.", "abc%", "%+c|", "%05c|",
		"%-3c|", "%*%", "%-*%|", "%.*%", "%18446744073709551617d",
		"%.18446744073709551618d", "%.510x", "%#.509x", "%.600u",
		"%-.600d|", "%+.600d", "%#.600o", "%5.0d", "%+.0u", "%#.0x",
		"%C", "%D", "%U", "%O", "%hX", "%lc",
	};
	static const long long ivals[] = { 0, 1, -1, 65, 4095, -32768, 2147483647 };
	static const char *const ffmts[] = {
		"%hf", "%hg", "%lg", "%le", "%lE", "%a", "%A", "%F",
		"%-010.3f|", "%-07g|", "%-+012e|", "%010f", "%-8f|", "%+f",
		"% e", "%+.0e", "% g", "%+g", "%+G", "%#.0g", "%#.1g", "%#.5g",
		"%#e", "%#.0E", "%#.10f", "%.78g", "%.79g", "%#.79g", "%.80g",
		"%.78e", "%.79e", "%.100e", "%.78f", "%.79f", "%.100f",
		"%.5g", "%.10g", "%.15g", "%.16g", "%.18g", "%.20g", "%.25f",
		"%.18446744073709551617f", "%.4294967298e", "%18446744073709551626f",
		"%5.1f%%", "x%fy%%z", "%12.4e|%%", "%E", "%.0E", "%.12G", "%G",
	};
	static const double fvals[] = {
		0.0, -0.0, 1.0, -2.5, 0.5, 0.05, 0.95, 1.5, 9.5, 99.5, 0.125,
		0.3, 1e-5, 1.5e-10, 123456789.0, 1e15, 1e17, 1e22, 1e23, 5e78,
		9.99e78, 1.5e79, 3e80, 1e100, -1e-300, 5e-324, 4.9e-320,
		2.2250738585072009e-308, 0.1 + 0.2, 2.675, 1.005, 1234567.125,
		INFINITY, -INFINITY, NAN,
	};
	size_t i, j;
	for (i = 0; i < sizeof ifmts / sizeof *ifmts; i++)
		for (j = 0; j < sizeof ivals / sizeof *ivals; j++) {
			run_int("int", ifmts[i], ivals[j]);
			run_int("short", ifmts[i], ivals[j]);
		}
	for (i = 0; i < sizeof ifmts / sizeof *ifmts; i += 3)
		for (j = 0; j < sizeof ivals / sizeof *ivals; j++) {
			run_int("ushort", ifmts[i], ivals[j]);
			run_int("uint", ifmts[i], ivals[j]);
		}
	for (i = 0; i < sizeof ffmts / sizeof *ffmts; i++)
		for (j = 0; j < sizeof fvals / sizeof *fvals; j++)
			run_dbl(ffmts[i], fvals[j]);
}

/* rand_cases: pseudo-random values (a fixed 64-bit LCG, so the file is
 * reproducible) in all magnitudes, ties and short decimals. */
static uint64_t lcg = 0x9e3779b97f4a7c15ULL;

static uint64_t next(void)
{
	lcg = lcg * 6364136223846793005ULL + 1442695040888963407ULL;
	return lcg ^ (lcg >> 29);
}

static void rand_cases(void)
{
	static const char *const fmts[] = {
		"%f", "%.0f", "%.1f", "%.2f", "%.3f", "%.6f", "%.17f", "%e",
		"%.2e", "%.15e", "%g", "%.3g", "%.10g", "%.17g", "%#g",
	};
	int i;
	size_t j;
	for (i = 0; i < 160; i++) {
		uint64_t u = next();
		double d;
		switch (i % 4) {
		case 0: /* any finite double below 1e79 */
			memcpy(&d, &u, sizeof d);
			if (isnan(d) || isinf(d) || fabs(d) >= 1e79)
				d = ldexp((double)(u >> 11), (int)(u % 200) - 150);
			break;
		case 1: /* a short decimal */
			d = (double)(long long)(u % 2000001 - 1000000) / pow(10, (double)(u >> 60));
			break;
		case 2: /* a binary tie, exactly halfway for some precision */
			d = ldexp((double)(u % 1000000) * 2 + 1, -(int)(u >> 61) - 1);
			break;
		default: /* a float32 value, as gmond promotes it */
			d = (double)(float)ldexp((double)(u >> 40), (int)(u % 80) - 50);
			break;
		}
		for (j = 0; j < sizeof fmts / sizeof *fmts; j++)
			run_dbl(fmts[j], d);
	}
}

int main(void)
{
	void *h = dlopen("libapr-1.so.0", RTLD_NOW);
	if (h != NULL)
		apr = (snprintf_fn)dlsym(h, "apr_snprintf");
	printf("# generated by gen/printf_golden.c; do not edit\n");
	printf("# kind\tfmt\tvalue\tglibc\tapr\tnote\n");
	printf("# apr (stock gmond's formatter) is what RenderVAL must print; glibc is for comparison only\n");
	int_cases();
	float_cases();
	misc_cases();
	apr_cases();
	rand_cases();
	return 0;
}
