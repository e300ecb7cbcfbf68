/*
 * A training loop in C against the library and header that adjointc makes
 * from examples/digits_mlp.nn with
 * --optimizer='sgd(lr=0.1, momentum=0.9, weight_decay=1e-4)': 5 steps of
 * digits_mlp_train_step on minibatches of 8 taken in order, as in the PyTorch
 * fixture train_digits_mlp, then compares the parameters and the per-step
 * losses with PyTorch's.
 *
 *   digits_mlp_train FIXTURE_DIR
 *
 * The step reads one parameter struct and writes the next: the program swaps
 * the two pointers after each step, so nothing is copied.
 */
#include "digits_mlp.h"
#include "npy_helpers.h"

enum { SAMPLES = 40, BATCH = 8, IN = 64, HIDDEN = 128, CLASSES = 10 };

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s FIXTURE_DIR\n", argv[0]);
    return 2;
  }
  const char *dir = argv[1];
  /* Zero-initialized: the momentum buffers start at zero. */
  static digits_mlp_params a, b, expected;
  static float x[SAMPLES * IN], logits[BATCH * CLASSES];
  static int64_t label[SAMPLES];
  float losses[SAMPLES / BATCH], expected_losses[SAMPLES / BATCH];

  LOAD(dir, "params_init/h.weight.npy", "<f4", a.h_weight, HIDDEN * IN);
  LOAD(dir, "params_init/h.bias.npy", "<f4", a.h_bias, HIDDEN);
  LOAD(dir, "params_init/logits.weight.npy", "<f4", a.logits_weight,
       CLASSES * HIDDEN);
  LOAD(dir, "params_init/logits.bias.npy", "<f4", a.logits_bias, CLASSES);
  LOAD(dir, "inputs/x.npy", "<f4", x, SAMPLES * IN);
  LOAD(dir, "inputs/label.npy", "<i8", label, SAMPLES);
  LOAD(dir, "sgd_after5/h.weight.npy", "<f4", expected.h_weight, HIDDEN * IN);
  LOAD(dir, "sgd_after5/h.bias.npy", "<f4", expected.h_bias, HIDDEN);
  LOAD(dir, "sgd_after5/logits.weight.npy", "<f4", expected.logits_weight,
       CLASSES * HIDDEN);
  LOAD(dir, "sgd_after5/logits.bias.npy", "<f4", expected.logits_bias,
       CLASSES);
  LOAD(dir, "sgd_losses.npy", "<f4", expected_losses, SAMPLES / BATCH);

  digits_mlp_params *current = &a, *next = &b;
  for (int step = 0; step < SAMPLES / BATCH; ++step) {
    int status = digits_mlp_train_step(current, BATCH, x + step * BATCH * IN,
                                       label + step * BATCH, &losses[step],
                                       logits, next);
    if (status != 0) {
      printf("step %d: status %d\n", step, status);
      return 1;
    }
    digits_mlp_params *t = current;
    current = next;
    next = t;
  }
  compare("losses", losses, expected_losses, SAMPLES / BATCH);
  compare("h.weight", current->h_weight, expected.h_weight, HIDDEN * IN);
  compare("h.bias", current->h_bias, expected.h_bias, HIDDEN);
  compare("logits.weight", current->logits_weight, expected.logits_weight,
          CLASSES * HIDDEN);
  compare("logits.bias", current->logits_bias, expected.logits_bias, CLASSES);
  if (failures) {
    printf("%d mismatches\n", failures);
    return 1;
  }
  printf("all ok\n");
  return 0;
}
