/*
 * A main() for the fuzz targets when they are built without libFuzzer (gcc,
 * the normal build): replays every file named on the command line, and
 * every file in every directory named there, through LLVMFuzzerTestOneInput.
 * ctest runs each target over its corpus this way, so the plain and the
 * ASan+UBSan CI builds replay every seed and every past crash.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define INPUT_MAX (4u * 1024 * 1024)

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf;
	size_t n;
	if (!f) {
		fprintf(stderr, "standalone: cannot open '%s': %s\n", path, strerror(errno));
		return -1;
	}
	if (!(buf = malloc(INPUT_MAX))) {
		fclose(f);
		fprintf(stderr, "standalone: out of memory\n");
		return -1;
	}
	n = fread(buf, 1, INPUT_MAX, f);
	if (ferror(f) || !feof(f)) {
		fprintf(stderr, "standalone: cannot read '%s' (or larger than %u bytes)\n", path, INPUT_MAX);
		fclose(f);
		free(buf);
		return -1;
	}
	fclose(f);
	/* An exact-size copy, so ASan sees a read past the end of the input. */
	{
		unsigned char *exact = malloc(n ? n : 1);
		if (!exact) {
			free(buf);
			return -1;
		}
		memcpy(exact, buf, n);
		free(buf);
		LLVMFuzzerTestOneInput(exact, n);
		free(exact);
	}
	return 0;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_dir(const char *dir, size_t *count)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, alloc = 0;
	int rc = 0;
	if (!d) {
		fprintf(stderr, "standalone: cannot open '%s': %s\n", dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		size_t len;
		char *p;
		if (e->d_name[0] == '.')
			continue;
		len = strlen(dir) + strlen(e->d_name) + 2;
		if (n == alloc) {
			char **nn = realloc(names, (alloc = alloc ? alloc * 2 : 64) * sizeof(*nn));
			if (!nn) {
				rc = -1;
				break;
			}
			names = nn;
		}
		if (!(p = malloc(len))) {
			rc = -1;
			break;
		}
		snprintf(p, len, "%s/%s", dir, e->d_name);
		names[n++] = p;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp);
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		if (rc == 0 && stat(names[i], &st) == 0 && S_ISREG(st.st_mode)) {
			if (run_file(names[i]) < 0)
				rc = -1;
			else
				(*count)++;
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

int main(int argc, char **argv)
{
	size_t count = 0;
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) < 0) {
			fprintf(stderr, "standalone: cannot open '%s': %s\n", argv[i], strerror(errno));
			return 1;
		}
		if (S_ISDIR(st.st_mode) ? run_dir(argv[i], &count) < 0 : run_file(argv[i]) < 0)
			return 1;
		if (!S_ISDIR(st.st_mode))
			count++;
	}
	if (count == 0) {
		fprintf(stderr, "standalone: no input replayed\n");
		return 1;
	}
	printf("%zu inputs replayed\n", count);
	return 0;
}
