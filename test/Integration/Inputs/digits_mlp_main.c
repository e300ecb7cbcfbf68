/*
 * A C program against the library and header that adjointc makes from
 * examples/digits_mlp.nn: loads the PyTorch fixture (parameters, inputs,
 * expected outputs, loss and gradients) from .npy files, calls
 * digits_mlp_forward and digits_mlp_gradient, and compares.
 *
 *   digits_mlp_main FIXTURE_DIR
 *
 * Prints one line per compared array and "all ok" at the end; exits 1 on any
 * mismatch or error.
 */
#include "digits_mlp.h"
#include "npy_helpers.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { N = 4, IN = 64, HIDDEN = 128, CLASSES = 10 };

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s FIXTURE_DIR\n", argv[0]);
    return 2;
  }
  const char *dir = argv[1];
  static digits_mlp_params params, grad, expected_grad;
  static float x[N * IN], logits[N * CLASSES], expected_logits[N * CLASSES];
  static float grad_x[N * IN], expected_grad_x[N * IN];
  static int64_t label[N];
  float loss = 0, expected_loss = 0;

  LOAD(dir, "params/h.weight.npy", "<f4", params.h_weight, HIDDEN * IN);
  LOAD(dir, "params/h.bias.npy", "<f4", params.h_bias, HIDDEN);
  LOAD(dir, "params/logits.weight.npy", "<f4", params.logits_weight,
       CLASSES * HIDDEN);
  LOAD(dir, "params/logits.bias.npy", "<f4", params.logits_bias, CLASSES);
  LOAD(dir, "inputs/x.npy", "<f4", x, N * IN);
  LOAD(dir, "inputs/label.npy", "<i8", label, N);
  LOAD(dir, "outputs/logits.npy", "<f4", expected_logits, N * CLASSES);
  LOAD(dir, "loss.npy", "<f4", &expected_loss, 1);
  LOAD(dir, "grad/h.weight.npy", "<f4", expected_grad.h_weight, HIDDEN * IN);
  LOAD(dir, "grad/h.bias.npy", "<f4", expected_grad.h_bias, HIDDEN);
  LOAD(dir, "grad/logits.weight.npy", "<f4", expected_grad.logits_weight,
       CLASSES * HIDDEN);
  LOAD(dir, "grad/logits.bias.npy", "<f4", expected_grad.logits_bias, CLASSES);
  LOAD(dir, "grad/x.npy", "<f4", expected_grad_x, N * IN);

  int status = digits_mlp_forward(&params, N, x, label, logits, &loss);
  printf("forward status %d\n", status);
  if (status != 0)
    return 1;
  compare("forward logits", logits, expected_logits, N * CLASSES);
  compare("forward loss", &loss, &expected_loss, 1);

  memset(logits, 0, sizeof logits);
  loss = 0;
  status = digits_mlp_gradient(&params, N, x, label, logits, &loss, &grad,
                               grad_x);
  printf("gradient status %d\n", status);
  if (status != 0)
    return 1;
  compare("gradient logits", logits, expected_logits, N * CLASSES);
  compare("gradient loss", &loss, &expected_loss, 1);
  compare("grad h.weight", grad.h_weight, expected_grad.h_weight, HIDDEN * IN);
  compare("grad h.bias", grad.h_bias, expected_grad.h_bias, HIDDEN);
  compare("grad logits.weight", grad.logits_weight,
          expected_grad.logits_weight, CLASSES * HIDDEN);
  compare("grad logits.bias", grad.logits_bias, expected_grad.logits_bias,
          CLASSES);
  compare("grad x", grad_x, expected_grad_x, N * IN);

  /* The same library at another batch size: the first two samples alone
     give the first two rows of logits. */
  static float logits2[2 * CLASSES];
  float loss2 = 0;
  status = digits_mlp_forward(&params, 2, x, label, logits2, &loss2);
  printf("forward N=2 status %d\n", status);
  if (status != 0)
    return 1;
  compare("forward N=2 logits", logits2, expected_logits, 2 * CLASSES);

  /* A label out of range is a run-time check: non-zero status, with the
     documented code. */
  int64_t bad_label[N] = {0, 1, 10, 2};
  status = digits_mlp_forward(&params, N, x, bad_label, logits, &loss);
  printf("bad label status %d\n", status);
  /* A negative dim. */
  status = digits_mlp_forward(&params, -1, x, label, logits, &loss);
  printf("negative N status %d\n", status);

  if (failures) {
    printf("%d mismatches\n", failures);
    return 1;
  }
  printf("all ok\n");
  return 0;
}
