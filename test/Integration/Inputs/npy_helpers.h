/*
 * Helpers shared by the C programs of the AOT tests: reading a .npy file of
 * the PyTorch fixtures and comparing arrays.
 */
#ifndef ADJOINT_TEST_NPY_HELPERS_H
#define ADJOINT_TEST_NPY_HELPERS_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reads a little-endian, C-order .npy file (format 1.0) of `count` elements
   of `descr` ("<f4" or "<i8") into `out`. Returns the element count or -1. */
static long read_npy(const char *dir, const char *name, const char *descr,
                     void *out, long count) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "cannot open %s\n", path);
    return -1;
  }
  unsigned char magic[10];
  if (fread(magic, 1, 10, f) != 10 || memcmp(magic, "\x93NUMPY", 6) != 0 ||
      magic[6] != 1) {
    fprintf(stderr, "%s: not a version 1.0 .npy file\n", path);
    fclose(f);
    return -1;
  }
  size_t header_len = magic[8] | (magic[9] << 8);
  char *header = malloc(header_len + 1);
  if (fread(header, 1, header_len, f) != header_len) {
    fprintf(stderr, "%s: truncated header\n", path);
    free(header);
    fclose(f);
    return -1;
  }
  header[header_len] = 0;
  if (!strstr(header, descr) || !strstr(header, "'fortran_order': False")) {
    fprintf(stderr, "%s: expected %s in C order: %s\n", path, descr, header);
    free(header);
    fclose(f);
    return -1;
  }
  free(header);
  size_t size = strcmp(descr, "<f4") == 0 ? 4 : 8;
  long n = (long)fread(out, size, (size_t)count, f);
  fclose(f);
  if (n != count) {
    fprintf(stderr, "%s: expected %ld elements, read %ld\n", path, count, n);
    return -1;
  }
  return n;
}

static int failures = 0;

static void compare(const char *what, const float *actual,
                    const float *expected, long count) {
  double worst = 0;
  long bad = 0;
  for (long i = 0; i < count; ++i) {
    double err = fabs((double)actual[i] - (double)expected[i]);
    if (!(err <= 1e-5 + 1e-4 * fabs((double)expected[i])))
      ++bad;
    if (err > worst)
      worst = err;
  }
  printf("%s: %s (%ld elements, max abs error %.3g)\n", what,
         bad ? "MISMATCH" : "ok", count, worst);
  if (bad)
    ++failures;
}

#define LOAD(dir, name, descr, out, count)                                     \
  if (read_npy(dir, name, descr, out, count) < 0)                              \
    return 1;

#endif /* ADJOINT_TEST_NPY_HELPERS_H */
