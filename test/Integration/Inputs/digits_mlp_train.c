/*
 * A training loop in C against the library and header that adjointc makes
 * from examples/digits_mlp.nn with
 * --optimizer='sgd(lr=0.1, momentum=0.9, weight_decay=1e-4)': 5 steps of
 * digits_mlp_train_step on minibatches of 8 taken in order, as in the PyTorch
 * fixture train_digits_mlp, then compares the parameters and the per-step
 * losses with PyTorch's.
 *
 *   digits_mlp_train FIXTURE_DIR [split]
 *
 * With `split`, each step is computed the data-parallel way instead: the
 * gradient of each half of the batch (as two processes would), the halves
 * weighted by 1/2 and summed (the allreduce), then digits_mlp_apply_update.
 *
 * The step reads one parameter struct and writes the next: the program swaps
 * the two pointers after each step, so nothing is copied.
 */
#include "digits_mlp.h"
#include "npy_helpers.h"

enum { SAMPLES = 40, BATCH = 8, IN = 64, HIDDEN = 128, CLASSES = 10 };

/* One step as two processes would take it: each half of the batch through
   digits_mlp_gradient, the weighted sum of the two gradients (what an
   allreduce computes), then digits_mlp_apply_update. */
static int split_step(const digits_mlp_params *params, const float *x,
                      const int64_t *label, float *loss,
                      digits_mlp_params *next) {
  enum { HALF = BATCH / 2 };
  static digits_mlp_params grads[2], sum;
  static float logits[HALF * CLASSES], grad_x[HALF * IN];
  float half_loss[2];
  for (int r = 0; r < 2; ++r) {
    int status = digits_mlp_gradient(params, HALF, x + r * HALF * IN,
                                     label + r * HALF, logits, &half_loss[r],
                                     &grads[r], grad_x);
    if (status != 0)
      return status;
  }
#define SUM(field, n)                                                          \
  for (long i = 0; i < (n); ++i)                                               \
    sum.field[i] = 0.5f * grads[0].field[i] + 0.5f * grads[1].field[i];
  SUM(h_weight, HIDDEN * IN)
  SUM(h_bias, HIDDEN)
  SUM(logits_weight, CLASSES * HIDDEN)
  SUM(logits_bias, CLASSES)
#undef SUM
  *loss = 0.5f * half_loss[0] + 0.5f * half_loss[1];
  return digits_mlp_apply_update(params, sum.h_weight, sum.h_bias,
                                 sum.logits_weight, sum.logits_bias, next);
}

int main(int argc, char **argv) {
  if (argc != 2 && !(argc == 3 && strcmp(argv[2], "split") == 0)) {
    fprintf(stderr, "usage: %s FIXTURE_DIR [split]\n", argv[0]);
    return 2;
  }
  int split = argc == 3;
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
    int status;
    if (split)
      status = split_step(current, x + step * BATCH * IN, label + step * BATCH,
                          &losses[step], next);
    else
      status = digits_mlp_train_step(current, BATCH, x + step * BATCH * IN,
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
