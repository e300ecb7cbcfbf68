/*
 * adjoint_driver.c: times one function of a network that adjointc compiled
 * ahead of time (--emit=lib and --emit=header), for bench/run.py.
 *
 * The call itself lives in generated glue (bench/adjoint_glue.py writes it
 * from the header, so that this file does not depend on one network's
 * parameter list); it is included as ADJOINT_GLUE and defines
 *
 *   static int glue_setup(int64_t batch);  allocates and fills every buffer
 *   static int glue_run(void);             one call; returns its status
 *   static const char *glue_function;      "train_step", "gradient", "forward"
 *   static double glue_loss_value(void);   the loss of the last call, or NAN
 *
 * glue_run of a training step swaps the parameter struct and the optimizer
 * state with their new values after each call, so that every call is a real
 * step from the previous one's results.
 *
 *   adjoint_driver --case NAME --mode train|infer --batch B --threads T
 *                  [--reps R] [--min-rep-ms MS]
 *
 * prints one JSON line in the format of peers/eigen_step.cpp. --threads is
 * only recorded: run.py passes the thread count to the process in the
 * environment (ADJOINT_NUM_THREADS, OMP_NUM_THREADS) for compiled code that
 * reads it.
 */
#define _POSIX_C_SOURCE 199309L

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include ADJOINT_GLUE

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec * 1e-6;
}

static int compare_doubles(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static int usage(void) {
  fprintf(stderr, "usage: adjoint_driver --case NAME --mode train|infer "
                  "--batch B --threads T [--reps R] [--min-rep-ms MS]\n");
  return 2;
}

int main(int argc, char **argv) {
  const char *name = NULL, *mode = NULL;
  long batch = 0, threads = 1, reps = 15;
  double min_rep_ms = 20.0;
  for (int i = 1; i < argc; i += 2) {
    if (i + 1 >= argc)
      return usage();
    const char *arg = argv[i], *value = argv[i + 1];
    if (!strcmp(arg, "--case"))
      name = value;
    else if (!strcmp(arg, "--mode"))
      mode = value;
    else if (!strcmp(arg, "--batch"))
      batch = atol(value);
    else if (!strcmp(arg, "--threads"))
      threads = atol(value);
    else if (!strcmp(arg, "--reps"))
      reps = atol(value);
    else if (!strcmp(arg, "--min-rep-ms"))
      min_rep_ms = atof(value);
    else
      return usage();
  }
  if (!name || !mode || batch < 1 || threads < 1 || reps < 1)
    return usage();

  if (glue_setup(batch) != 0) {
    fprintf(stderr, "error: cannot allocate the buffers\n");
    return 1;
  }
  /* Warm up for 50 ms (at least 3 calls), then pick the calls per
     repetition so that one repetition takes about min_rep_ms. */
  double start = now_ms();
  long warm = 0;
  while (warm < 3 || now_ms() - start < 50.0) {
    int status = glue_run();
    if (status != 0) {
      fprintf(stderr, "error: %s returned status %d\n", glue_function,
              status);
      return 1;
    }
    ++warm;
  }
  double each = (now_ms() - start) / (double)warm;
  long iters = (long)ceil(min_rep_ms / each);
  if (iters < 1)
    iters = 1;
  double *samples = malloc(sizeof(double) * (size_t)reps);
  if (!samples)
    return 1;
  for (long r = 0; r < reps; ++r) {
    double t0 = now_ms();
    for (long i = 0; i < iters; ++i)
      glue_run();
    samples[r] = (now_ms() - t0) / (double)iters;
  }
  qsort(samples, (size_t)reps, sizeof(double), compare_doubles);
  double median = reps % 2 ? samples[reps / 2]
                           : 0.5 * (samples[reps / 2 - 1] + samples[reps / 2]);
  printf("{\"case\": \"%s\", \"mode\": \"%s\", \"batch\": %ld, "
         "\"impl\": \"adjoint\", \"function\": \"%s\", \"threads\": %ld, "
         "\"median_ms\": %.6f, \"min_ms\": %.6f, \"reps\": %ld, "
         "\"iters\": %ld",
         name, mode, batch, glue_function, threads, median, samples[0], reps,
         iters);
  double loss = glue_loss_value();
  if (!isnan(loss))
    printf(", \"last_loss\": %.6g", loss);
  printf("}\n");
  free(samples);
  return 0;
}
