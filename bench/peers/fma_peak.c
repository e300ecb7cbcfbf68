/*
 * fma_peak.c: the f32 FMA peak of one core, measured, for bench/run.py.
 *
 * Runs 12 independent chains of vector FMAs (enough to cover the latency of
 * two FMA pipes) for about 0.2 s, once with 8-lane AVX2 vectors and once with
 * 16-lane AVX-512 vectors when the CPU has AVX-512F, and prints one JSON line:
 *   {"avx2_gflops": G, "avx512_gflops": G or null}
 * Built with -O2 -mavx2 -mfma -mavx512f; the AVX-512 loop only runs after
 * __builtin_cpu_supports("avx512f") says so.
 */
#include <immintrin.h>
#include <stdio.h>
#include <time.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

#define CHAINS 12

/* Twelve accumulators in registers (named, not an array, which compilers
 * may keep in memory). */
#define FMA12(fma)                                                             \
  do {                                                                         \
    c0 = fma(c0, a, b); c1 = fma(c1, a, b); c2 = fma(c2, a, b);                \
    c3 = fma(c3, a, b); c4 = fma(c4, a, b); c5 = fma(c5, a, b);                \
    c6 = fma(c6, a, b); c7 = fma(c7, a, b); c8 = fma(c8, a, b);                \
    c9 = fma(c9, a, b); c10 = fma(c10, a, b); c11 = fma(c11, a, b);            \
  } while (0)
#define SUM12 (((c0 + c1) + (c2 + c3)) + ((c4 + c5) + (c6 + c7)) + ((c8 + c9) + (c10 + c11)))

__attribute__((noinline)) static float avx2(long iters) {
  __m256 a = _mm256_set1_ps(0.999999f), b = _mm256_set1_ps(1e-7f);
  __m256 c0 = _mm256_set1_ps(0), c1 = _mm256_set1_ps(1), c2 = _mm256_set1_ps(2),
         c3 = _mm256_set1_ps(3), c4 = _mm256_set1_ps(4), c5 = _mm256_set1_ps(5),
         c6 = _mm256_set1_ps(6), c7 = _mm256_set1_ps(7), c8 = _mm256_set1_ps(8),
         c9 = _mm256_set1_ps(9), c10 = _mm256_set1_ps(10),
         c11 = _mm256_set1_ps(11);
  for (long it = 0; it < iters; ++it)
    FMA12(_mm256_fmadd_ps);
  __m256 s = SUM12;
  float out[8];
  _mm256_storeu_ps(out, s);
  return out[0];
}

__attribute__((noinline, target("avx512f"))) static float avx512(long iters) {
  __m512 a = _mm512_set1_ps(0.999999f), b = _mm512_set1_ps(1e-7f);
  __m512 c0 = _mm512_set1_ps(0), c1 = _mm512_set1_ps(1), c2 = _mm512_set1_ps(2),
         c3 = _mm512_set1_ps(3), c4 = _mm512_set1_ps(4), c5 = _mm512_set1_ps(5),
         c6 = _mm512_set1_ps(6), c7 = _mm512_set1_ps(7), c8 = _mm512_set1_ps(8),
         c9 = _mm512_set1_ps(9), c10 = _mm512_set1_ps(10),
         c11 = _mm512_set1_ps(11);
  for (long it = 0; it < iters; ++it)
    FMA12(_mm512_fmadd_ps);
  return _mm512_reduce_add_ps(SUM12);
}

/* GFLOP/s of `kernel` at `lanes`: the best of 5 runs of about 40 ms. */
static double measure(float (*kernel)(long), int lanes, volatile float *sink) {
  long iters = 1000000;
  double best = 0;
  for (int round = 0; round < 5; ++round) {
    double t0 = now();
    *sink += kernel(iters);
    double t = now() - t0;
    double gflops = 2.0 * lanes * CHAINS * iters / t * 1e-9;
    if (gflops > best)
      best = gflops;
  }
  return best;
}

int main(void) {
  volatile float sink = 0;
  double g8 = measure(avx2, 8, &sink);
  if (__builtin_cpu_supports("avx512f"))
    printf("{\"avx2_gflops\": %.1f, \"avx512_gflops\": %.1f}\n", g8,
           measure(avx512, 16, &sink));
  else
    printf("{\"avx2_gflops\": %.1f, \"avx512_gflops\": null}\n", g8);
  return 0;
}
