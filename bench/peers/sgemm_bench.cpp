//===- sgemm_bench.cpp - OpenBLAS sgemm alone on the benchmark's shapes ---===//
//
// The "BLAS alone" peer of the benchmark (bench/README.md): cblas_sgemm on
// exactly the matrix products of each case, forward and backward, with the
// transposes the backward uses (row-major, PyTorch layouts):
//
//   dense forward     y  = x W^T          [N, out] = [N, in] [out, in]^T  (NT)
//   dense weight grad dW = dy^T x         [out, in] = [N, out]^T [N, in]  (TN)
//   dense input grad  dx = dy W           [N, in] = [N, out] [out, in]    (NN)
//   conv (im2col, activations [C, N, H, W], P = N*OH*OW, Q = C*KH*KW)
//     forward         y  = W cols         [OC, P] = [OC, Q] [Q, P]        (NN)
//     weight grad     dW = dy cols^T      [OC, Q] = [OC, P] [Q, P]^T      (NT)
//     input grad      dcols = W^T dy      [Q, P] = [OC, Q]^T [OC, P]      (TN)
//
// The first layer's input gradient is not computed (the input is data), as
// in every implementation of the benchmark. The sum of a case's product
// times is a lower bound for any step that calls sgemm for them.
//
//   sgemm_bench --threads T [--reps R] [--min-rep-ms MS]
//
// prints one JSON line per product: case, mode, batch, op, m, n, k, trans,
// threads, median_ms, gflops.
//
//===----------------------------------------------------------------------===//

#include <cblas.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

extern "C" void openblas_set_num_threads(int);

namespace {

struct Product {
  std::string op; // "h.fwd", "h.dW", "h.dx", ...
  long m, n, k;
  bool ta, tb;
};

struct Case {
  std::string name, mode;
  long batch;
  std::vector<Product> products;
};

void addDense(std::vector<Product> &ps, const std::string &name, long batch,
              long in, long out, bool backward, bool inputGrad) {
  if (!backward) {
    ps.push_back({name + ".fwd", batch, out, in, false, true});
    return;
  }
  ps.push_back({name + ".dW", out, in, batch, true, false});
  if (inputGrad)
    ps.push_back({name + ".dx", batch, in, out, false, false});
}

void addConv(std::vector<Product> &ps, const std::string &name, long batch,
             long cin, long cout, long k, long oh, long ow, bool backward,
             bool inputGrad) {
  long p = batch * oh * ow, q = cin * k * k;
  if (!backward) {
    ps.push_back({name + ".fwd", cout, p, q, false, false});
    return;
  }
  ps.push_back({name + ".dW", cout, q, p, false, true});
  if (inputGrad)
    ps.push_back({name + ".dcols", q, p, cout, true, false});
}

/// An MLP: forward products, then backward ones in the order they run.
/// firstInputGrad: whether the first layer's input gradient is needed.
std::vector<Product> mlp(const std::vector<std::string> &names,
                         const std::vector<long> &widths, long batch,
                         bool train, bool firstInputGrad = false) {
  std::vector<Product> ps;
  for (size_t i = 0; i < names.size(); ++i)
    addDense(ps, names[i], batch, widths[i], widths[i + 1], false, false);
  if (train)
    for (size_t i = names.size(); i-- > 0;)
      addDense(ps, names[i], batch, widths[i], widths[i + 1], true,
               i > 0 || firstInputGrad);
  return ps;
}

std::vector<Case> cases() {
  std::vector<Case> cs;
  std::vector<std::string> digits{"h", "logits"}, mnist{"h1", "h2", "logits"};
  std::vector<long> digitsW{64, 128, 10}, mnistW{784, 512, 512, 10};
  cs.push_back({"digits_mlp", "train", 32, mlp(digits, digitsW, 32, true)});
  cs.push_back({"digits_mlp", "infer", 1, mlp(digits, digitsW, 1, false)});
  cs.push_back({"digits_mlp", "infer", 128, mlp(digits, digitsW, 128, false)});
  cs.push_back({"mnist_mlp", "train", 128, mlp(mnist, mnistW, 128, true)});
  cs.push_back({"mnist_mlp", "infer", 1, mlp(mnist, mnistW, 1, false)});
  cs.push_back({"mnist_mlp", "infer", 128, mlp(mnist, mnistW, 128, false)});

  long n = 64;
  std::vector<Product> le;
  addConv(le, "c1", n, 1, 6, 5, 24, 24, false, false);
  addConv(le, "c2", n, 6, 16, 5, 8, 8, false, false);
  std::vector<Product> head = mlp({"f1", "f2", "logits"}, {256, 120, 84, 10},
                                  n, true, /*firstInputGrad=*/true);
  le.insert(le.end(), head.begin(), head.end());
  addConv(le, "c2", n, 6, 16, 5, 8, 8, true, true);
  addConv(le, "c1", n, 1, 6, 5, 24, 24, true, false);
  cs.push_back({"lenet5", "train", n, le});
  return cs;
}

template <typename F> std::pair<double, long> timeIt(F &&f, int reps,
                                                     double minRepMs) {
  using Clock = std::chrono::steady_clock;
  auto ms = [](Clock::duration d) {
    return std::chrono::duration<double, std::milli>(d).count();
  };
  auto start = Clock::now();
  long warm = 0;
  while (warm < 3 || ms(Clock::now() - start) < 20.0) {
    f();
    ++warm;
  }
  double each = ms(Clock::now() - start) / double(warm);
  long iters = std::max(1L, (long)std::ceil(minRepMs / each));
  std::vector<double> samples;
  for (int r = 0; r < reps; ++r) {
    auto t0 = Clock::now();
    for (long i = 0; i < iters; ++i)
      f();
    samples.push_back(ms(Clock::now() - t0) / double(iters));
  }
  std::sort(samples.begin(), samples.end());
  double median = reps % 2 ? samples[reps / 2]
                           : 0.5 * (samples[reps / 2 - 1] + samples[reps / 2]);
  return {median, iters};
}

} // namespace

int main(int argc, char **argv) {
  int threads = 1, reps = 15;
  double minRepMs = 10.0;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string arg = argv[i];
    if (arg == "--threads")
      threads = std::atoi(argv[i + 1]);
    else if (arg == "--reps")
      reps = std::atoi(argv[i + 1]);
    else if (arg == "--min-rep-ms")
      minRepMs = std::atof(argv[i + 1]);
    else {
      std::fprintf(stderr, "usage: sgemm_bench --threads T [--reps R] "
                           "[--min-rep-ms MS]\n");
      return 2;
    }
  }
  if (argc % 2 == 0 || threads < 1 || reps < 1) {
    std::fprintf(stderr, "usage: sgemm_bench --threads T [--reps R] "
                         "[--min-rep-ms MS]\n");
    return 2;
  }
  openblas_set_num_threads(threads);
  std::mt19937 rng(0);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  for (const Case &c : cases())
    for (const Product &p : c.products) {
      std::vector<float> a(p.m * p.k), b(p.k * p.n), out(p.m * p.n);
      for (float &v : a)
        v = dist(rng);
      for (float &v : b)
        v = dist(rng);
      // Leading dimensions of the stored (untransposed) row-major arrays.
      long lda = p.ta ? p.m : p.k, ldb = p.tb ? p.k : p.n;
      auto [median, iters] = timeIt(
          [&] {
            cblas_sgemm(CblasRowMajor, p.ta ? CblasTrans : CblasNoTrans,
                        p.tb ? CblasTrans : CblasNoTrans, p.m, p.n, p.k, 1.0f,
                        a.data(), lda, b.data(), ldb, 0.0f, out.data(), p.n);
          },
          reps, minRepMs);
      double gflops = 2.0 * p.m * p.n * p.k / (median * 1e6);
      std::printf("{\"case\": \"%s\", \"mode\": \"%s\", \"batch\": %ld, "
                  "\"impl\": \"openblas-sgemm\", \"op\": \"%s\", \"m\": %ld, "
                  "\"n\": %ld, \"k\": %ld, \"trans\": \"%c%c\", "
                  "\"threads\": %d, \"median_ms\": %.6f, \"gflops\": %.3f, "
                  "\"reps\": %d, \"iters\": %ld}\n",
                  c.name.c_str(), c.mode.c_str(), c.batch, p.op.c_str(), p.m,
                  p.n, p.k, p.ta ? 'T' : 'N', p.tb ? 'T' : 'N', threads,
                  median, gflops, reps, iters);
      std::fflush(stdout);
    }
  return 0;
}
