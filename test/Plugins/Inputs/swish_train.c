/*
 * Trains the network of swish.nn through the library and header that
 * adjointc makes from it (--emit=lib, --emit=header): full-batch SGD on a
 * fixed synthetic regression task, from fixed initial parameters.
 *
 *   swish_train STEPS
 *
 * Prints "step K loss L" for every step (the loss before the step's update)
 * and "final loss L" after the last one; exits 1 when a call fails. The data
 * and the initial parameters depend on nothing but the code below, so two
 * builds of the same model (with and without the swish plugin) print the
 * same losses up to float rounding.
 */
#include "swish_mlp.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

enum { N = 64 };

/* A uniform number in [lo, hi) from a 64-bit LCG (Knuth's MMIX constants). */
static float uniform(unsigned long long *state, float lo, float hi) {
  *state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
  return lo + (hi - lo) * (float)((*state >> 40) / 16777216.0);
}

static void fill(unsigned long long *state, float *values, int count,
                 float bound) {
  for (int i = 0; i < count; ++i)
    values[i] = uniform(state, -bound, bound);
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: swish_train STEPS\n");
    return 2;
  }
  int steps = atoi(argv[1]);
  unsigned long long state = 42;

  /* The PyTorch default bounds of dense: 1/sqrt(in). */
  static swish_mlp_params a, b;
  fill(&state, a.h_weight, 32, 0.5f);
  fill(&state, a.h_bias, 8, 0.5f);
  fill(&state, a.y_weight, 16, 0.35355339f);
  fill(&state, a.y_bias, 2, 0.35355339f);

  /* t = (x0 + x1 - x2, x3 * x0): smooth targets that a swish MLP fits. */
  float x[N * 4], t[N * 2], y[N * 2];
  fill(&state, x, N * 4, 1.0f);
  for (int i = 0; i < N; ++i) {
    const float *xi = x + 4 * i;
    t[2 * i] = xi[0] + xi[1] - xi[2];
    t[2 * i + 1] = xi[3] * xi[0];
  }

  swish_mlp_params *params = &a, *next = &b;
  float loss = NAN;
  for (int step = 0; step < steps; ++step) {
    int status = swish_mlp_train_step(params, N, x, t, &loss, y, next);
    if (status != 0) {
      fprintf(stderr, "swish_mlp_train_step returned %d\n", status);
      return 1;
    }
    printf("step %d loss %.8e\n", step, loss);
    swish_mlp_params *swap = params;
    params = next;
    next = swap;
  }
  if (swish_mlp_eval_step(params, N, x, t, &loss, y) != 0) {
    fprintf(stderr, "swish_mlp_eval_step failed\n");
    return 1;
  }
  printf("final loss %.8e\n", loss);
  return 0;
}
