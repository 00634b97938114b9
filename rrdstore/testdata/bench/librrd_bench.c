/* librrd side of TestStoreVsLibrrd (rrdstore/librrd_bench_test.go).
 *
 * Usage: librrd_bench DIR NFILES ROUNDS T0
 *
 * Updates the existing files DIR/f0000.rrd ... in time order: round r
 * gives every file, in turn, one rrd_update_r call with the argument
 * "T0+15r:i.5" (i the file's number), so each call closes a 15 s step the
 * way gmetad's updates do. It creates nothing. On success it prints one
 * line of key=value pairs for the update loop alone: the calls, the wall
 * time and the CPU time of the process (user, sys).
 */
#include <rrd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static double mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double tv_s(struct timeval tv) { return tv.tv_sec + tv.tv_usec / 1e6; }

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: %s DIR NFILES ROUNDS T0\n", argv[0]);
		return 2;
	}
	const char *dir = argv[1];
	int nfiles = atoi(argv[2]), rounds = atoi(argv[3]);
	long t0 = atol(argv[4]);
	char path[4096], arg[64];
	struct rusage r0, r1;

	getrusage(RUSAGE_SELF, &r0);
	double s0 = mono();
	for (int r = 0; r < rounds; r++) {
		for (int i = 0; i < nfiles; i++) {
			const char *args[1] = {arg};
			snprintf(path, sizeof path, "%s/f%04d.rrd", dir, i);
			snprintf(arg, sizeof arg, "%ld:%d.5", t0 + 15L * r, i);
			if (rrd_update_r(path, NULL, 1, args) != 0) {
				fprintf(stderr, "rrd_update_r %s %s: %s\n", path, arg, rrd_get_error());
				return 1;
			}
		}
	}
	double s1 = mono();
	getrusage(RUSAGE_SELF, &r1);
	printf("updates=%ld wall=%.6f user=%.6f sys=%.6f\n", (long)rounds * nfiles, s1 - s0,
	       tv_s(r1.ru_utime) - tv_s(r0.ru_utime), tv_s(r1.ru_stime) - tv_s(r0.ru_stime));
	return 0;
}
