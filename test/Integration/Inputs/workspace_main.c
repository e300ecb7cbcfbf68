/*
 * The workspace that the generated functions keep between calls
 * (adjoint-reuse-arena), seen from C: this program counts the calls of the
 * C library's allocation functions (it defines malloc and aligned_alloc, which
 * the library's references resolve to) around calls of digits_mlp_train_step.
 *
 *   workspace_main
 *
 * It prints the number of allocations of each phase and whether the steps
 * gave the same results as the first (they must: the arena only moves
 * temporaries), and exits 1 when a result differs.
 */
#define _GNU_SOURCE
#include "digits_mlp.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* glibc's own allocator, under the names it exports for such wrappers. */
extern void *__libc_malloc(size_t size);
extern void *__libc_memalign(size_t alignment, size_t size);

static long allocations;

void *malloc(size_t size) {
  __atomic_add_fetch(&allocations, 1, __ATOMIC_RELAXED);
  return __libc_malloc(size);
}

void *aligned_alloc(size_t alignment, size_t size) {
  __atomic_add_fetch(&allocations, 1, __ATOMIC_RELAXED);
  return __libc_memalign(alignment, size);
}

enum { MAXBATCH = 64, IN = 64, CLASSES = 10 };

static digits_mlp_params params;
static float x[MAXBATCH * IN];
static int64_t label[MAXBATCH];

struct Result {
  float loss;
  float logits[MAXBATCH * CLASSES];
  digits_mlp_params next;
};

static int step(int64_t n, struct Result *r) {
  return digits_mlp_train_step(&params, n, x, label, &r->loss, r->logits,
                               &r->next);
}

static int same(const struct Result *a, const struct Result *b, int64_t n) {
  return a->loss == b->loss &&
         memcmp(a->logits, b->logits, sizeof(float) * n * CLASSES) == 0 &&
         memcmp(&a->next, &b->next, sizeof(a->next)) == 0;
}

static struct Result expected32, expected64, results[8];
static int failures;

static void check(const char *what, const struct Result *r, int64_t n) {
  const struct Result *expected = n == 32 ? &expected32 : &expected64;
  if (!same(r, expected, n)) {
    printf("%s: MISMATCH\n", what);
    ++failures;
  }
}

/* Many steps on each of two threads at once: one holds the kept workspace,
   the other gets its own; both must give the serial results. */
static void *worker(void *arg) {
  struct Result *r = arg;
  for (int i = 0; i < 50; ++i)
    if (step(32, r) != 0)
      return r;
  return NULL;
}

int main(void) {
  unsigned seed = 1;
  for (size_t i = 0; i < sizeof(params) / sizeof(float); ++i) {
    seed = seed * 1103515245u + 12345u;
    ((float *)&params)[i] = ((seed >> 16) % 2001 - 1000) / 10000.0f;
  }
  for (int i = 0; i < MAXBATCH * IN; ++i)
    x[i] = (i * 7 % 17) / 16.0f;
  for (int i = 0; i < MAXBATCH; ++i)
    label[i] = i % CLASSES;

  /* The first call at a batch size allocates its workspace... */
  long before = allocations;
  if (step(32, &expected32) != 0 || step(64, &expected64) != 0)
    return 1;
  printf("first calls: %ld allocations\n", allocations - before);

  /* ...later calls at that size or smaller allocate nothing. */
  before = allocations;
  for (int i = 0; i < 10; ++i) {
    step(32, &results[0]);
    check("batch 32", &results[0], 32);
    step(64, &results[1]);
    check("batch 64", &results[1], 64);
  }
  printf("20 steps: %ld allocations\n", allocations - before);

  /* After digits_mlp_release_workspace, the next call allocates again. */
  digits_mlp_release_workspace();
  before = allocations;
  step(32, &results[0]);
  check("after release", &results[0], 32);
  printf("after release: %ld allocations\n", allocations - before);

  pthread_t threads[2];
  for (int t = 0; t < 2; ++t)
    pthread_create(&threads[t], NULL, worker, &results[2 + t]);
  for (int t = 0; t < 2; ++t) {
    void *status;
    pthread_join(threads[t], &status);
    if (status)
      ++failures;
    check("concurrent", &results[2 + t], 32);
  }
  digits_mlp_release_workspace();
  if (failures) {
    printf("%d mismatches\n", failures);
    return 1;
  }
  printf("all ok\n");
  return 0;
}
