//===- eigen_step.cpp - A hand-written training step (Eigen + OpenBLAS) ---===//
//
// The "hand-written C++" peer of the benchmark (bench/README.md): the
// training step (forward, backward, SGD with momentum) and the inference pass
// of each benchmark network, written by hand the way one would without a
// compiler: every matmul is one cblas_sgemm (OpenBLAS), convolutions are
// im2col + sgemm, and the rest (bias + relu fused in one pass, max pooling,
// softmax cross-entropy, the update) are Eigen array expressions or plain
// loops, split over OpenMP threads where the work is large enough.
//
// Layouts and parameters are PyTorch's (weight [out, in], conv weight
// [OC, C, KH, KW], input NCHW), so bench/check_grads.py can compare one step
// with torch.optim.SGD. Inside LeNet the conv activations are kept as
// [C, N, H, W], which makes each convolution (and each of its two backward
// products) one sgemm over the whole batch.
//
//   eigen_step --threads T [--omp-threads T2] [--case NAME] [--reps R]
//              [--min-rep-ms MS]
//     times every case (or one) and prints one JSON line per measurement;
//     OpenBLAS gets T threads, the elementwise loops T2 (default T).
//   eigen_step --check NAME --batch B --steps S --dir DIR
//     loads DIR/<param>.bin, DIR/x.bin (f32) and DIR/label.bin (i64), runs S
//     training steps on that batch, writes DIR/out/<param>.bin and
//     DIR/out/loss.bin (S losses, each computed before its update).
//
//===----------------------------------------------------------------------===//

#include <Eigen/Core>
#include <cblas.h>
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

extern "C" void openblas_set_num_threads(int);

namespace {

using Array = Eigen::Map<Eigen::ArrayXf>;
using RowMajor =
    Eigen::Map<Eigen::Array<float, Eigen::Dynamic, Eigen::Dynamic,
                            Eigen::RowMajor>>;
using Buffer = std::vector<float, Eigen::aligned_allocator<float>>;

// Below this many elements an elementwise loop runs on one thread: forking
// costs more than it saves.
constexpr long kParallelWork = 1 << 15;

Array arr(Buffer &b) { return Array(b.data(), (long)b.size()); }

struct Param {
  std::string name;
  long fanIn;
  Buffer value, grad, momentum;
  Param(std::string name, long size, long fanIn)
      : name(std::move(name)), fanIn(fanIn), value(size), grad(size),
        momentum(size, 0.0f) {}
};

/// y[rows, cols] = x[rows, in] * w[cols, in]^T  (+ b, relu when asked).
void denseForward(const float *x, const Param &w, const Param &b, float *y,
                  long rows, long in, long out, bool relu) {
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, rows, out, in, 1.0f, x,
              in, w.value.data(), in, 0.0f, y, out);
  Eigen::Map<const Eigen::Array<float, 1, Eigen::Dynamic>> bias(b.value.data(),
                                                                out);
#pragma omp parallel for schedule(static) if (rows * out >= kParallelWork)
  for (long r = 0; r < rows; ++r) {
    Eigen::Map<Eigen::Array<float, 1, Eigen::Dynamic>> row(y + r * out, out);
    if (relu)
      row = (row + bias).max(0.0f);
    else
      row += bias;
  }
}

/// The gradients of a dense layer from dy[rows, out]: w.grad = dy^T x,
/// b.grad = column sums of dy, and dx = dy w when dx is not null.
void denseBackward(const float *x, const float *dy, Param &w, Param &b,
                   float *dx, long rows, long in, long out) {
  cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, out, in, rows, 1.0f, dy,
              out, x, in, 0.0f, w.grad.data(), in);
  RowMajor g(const_cast<float *>(dy), rows, out);
  Eigen::Map<Eigen::Array<float, 1, Eigen::Dynamic>>(b.grad.data(), out) =
      g.colwise().sum();
  if (dx)
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, rows, in, out, 1.0f,
                dy, out, w.value.data(), in, 0.0f, dx, in);
}

/// dy *= (y > 0), the relu backward from the relu's output.
void reluBackward(float *dy, const float *y, long n) {
#pragma omp parallel for schedule(static) if (n >= kParallelWork)
  for (long i = 0; i < n; ++i)
    dy[i] = y[i] > 0.0f ? dy[i] : 0.0f;
}

/// Softmax cross-entropy of logits[rows, classes] (mean over rows); writes
/// its gradient to dlogits when that is not null.
float softmaxCrossEntropy(const float *logits, const int64_t *label,
                          float *dlogits, long rows, long classes) {
  double total = 0;
  for (long r = 0; r < rows; ++r) {
    Eigen::Map<const Eigen::ArrayXf> z(logits + r * classes, classes);
    float m = z.maxCoeff();
    float sum = (z - m).exp().sum();
    float lse = m + std::log(sum);
    total += lse - z[label[r]];
    if (dlogits) {
      Eigen::Map<Eigen::ArrayXf> d(dlogits + r * classes, classes);
      d = (z - lse).exp() / float(rows);
      d[label[r]] -= 1.0f / float(rows);
    }
  }
  return float(total / rows);
}

/// b = momentum * b + g; p -= lr * b (torch.optim.SGD, dampening 0).
void sgdUpdate(Param &p, float lr, float momentum) {
  Array v = arr(p.value), g = arr(p.grad), b = arr(p.momentum);
  b = momentum * b + g;
  v -= lr * b;
}

/// A convolution (stride 1, no padding) + bias + relu on [C, N, H, W].
struct ConvRelu {
  long cin, cout, k, h, w, oh, ow;
  Param weight, bias;
  ConvRelu(const std::string &name, long cin, long cout, long k, long h,
           long w)
      : cin(cin), cout(cout), k(k), h(h), w(w), oh(h - k + 1), ow(w - k + 1),
        weight(name + ".weight", cout * cin * k * k, cin * k * k),
        bias(name + ".bias", cout, cin * k * k) {}

  long patch() const { return cin * k * k; }

  /// cols[c*k*k + kh*k + kw, n*oh*ow + y*ow + x] = in[c, n, y + kh, x + kw].
  void im2col(const float *in, float *cols, long n) const {
    long np = n * oh * ow;
#pragma omp parallel for schedule(static) if (patch() * np >= kParallelWork)
    for (long b = 0; b < n; ++b)
      for (long c = 0; c < cin; ++c)
        for (long kh = 0; kh < k; ++kh)
          for (long kw = 0; kw < k; ++kw) {
            float *dst = cols + ((c * k + kh) * k + kw) * np + b * oh * ow;
            const float *src = in + (c * n + b) * h * w + kh * w + kw;
            for (long y = 0; y < oh; ++y)
              std::memcpy(dst + y * ow, src + y * w, ow * sizeof(float));
          }
  }

  /// in[c, n, y + kh, x + kw] += cols[...]: the transpose of im2col.
  void col2im(const float *cols, float *in, long n) const {
    long np = n * oh * ow;
#pragma omp parallel for schedule(static) if (patch() * np >= kParallelWork)
    for (long b = 0; b < n; ++b)
      for (long c = 0; c < cin; ++c) {
        float *dst = in + (c * n + b) * h * w;
        std::fill(dst, dst + h * w, 0.0f);
        for (long kh = 0; kh < k; ++kh)
          for (long kw = 0; kw < k; ++kw) {
            const float *src = cols + ((c * k + kh) * k + kw) * np + b * oh * ow;
            for (long y = 0; y < oh; ++y)
              for (long x = 0; x < ow; ++x)
                dst[(y + kh) * w + x + kw] += src[y * ow + x];
          }
      }
  }

  void forward(const float *cols, float *out, long n) const {
    long np = n * oh * ow;
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, cout, np, patch(),
                1.0f, weight.value.data(), patch(), cols, np, 0.0f, out, np);
#pragma omp parallel for schedule(static) if (cout * np >= kParallelWork)
    for (long c = 0; c < cout; ++c) {
      Eigen::Map<Eigen::ArrayXf> row(out + c * np, np);
      row = (row + bias.value[c]).max(0.0f);
    }
  }

  /// From dout [cout, n*oh*ow] (already through the relu): the parameter
  /// gradients, and dcols = W^T dout when dcols is not null.
  void backward(const float *cols, const float *dout, float *dcols, long n) {
    long np = n * oh * ow;
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, cout, patch(), np,
                1.0f, dout, np, cols, np, 0.0f, weight.grad.data(), patch());
    RowMajor g(const_cast<float *>(dout), cout, np);
    Eigen::Map<Eigen::ArrayXf>(bias.grad.data(), cout) = g.rowwise().sum();
    if (dcols)
      cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, patch(), np, cout,
                  1.0f, weight.value.data(), patch(), dout, np, 0.0f, dcols,
                  np);
  }
};

/// 2x2 max pooling, stride 2, on planes of h x w (any layout of planes).
struct MaxPool2 {
  long planes, h, w, oh, ow;
  std::vector<uint8_t> argmax; // 0..3 within each window

  void forward(const float *in, float *out) {
    argmax.resize(planes * oh * ow);
#pragma omp parallel for schedule(static) if (planes * h * w >= kParallelWork)
    for (long p = 0; p < planes; ++p)
      for (long y = 0; y < oh; ++y)
        for (long x = 0; x < ow; ++x) {
          const float *src = in + p * h * w + 2 * y * w + 2 * x;
          float v[4] = {src[0], src[1], src[w], src[w + 1]};
          int best = 0; // the first maximum wins, as in PyTorch
          for (int i = 1; i < 4; ++i)
            if (v[i] > v[best])
              best = i;
          long o = (p * oh + y) * ow + x;
          out[o] = v[best];
          argmax[o] = (uint8_t)best;
        }
  }

  void backward(const float *dout, float *din) const {
#pragma omp parallel for schedule(static) if (planes * h * w >= kParallelWork)
    for (long p = 0; p < planes; ++p) {
      float *dst = din + p * h * w;
      std::fill(dst, dst + h * w, 0.0f);
      for (long y = 0; y < oh; ++y)
        for (long x = 0; x < ow; ++x) {
          long o = (p * oh + y) * ow + x;
          int a = argmax[o];
          dst[(2 * y + (a >> 1)) * w + 2 * x + (a & 1)] = dout[o];
        }
    }
  }
};

/// A network: optional conv front (LeNet) and a stack of dense layers with
/// relu between them, ending in softmax cross-entropy.
class Net {
public:
  virtual ~Net() = default;
  virtual std::vector<Param *> params() = 0;
  virtual float trainStep(const float *x, const int64_t *label) = 0;
  virtual void infer(const float *x, float *logits) = 0;
  float lr = 0.01f, momentum = 0.9f;

  void update() {
    for (Param *p : params())
      sgdUpdate(*p, lr, momentum);
  }

  void init(uint64_t seed) {
    std::mt19937_64 rng(seed);
    for (Param *p : params()) {
      float bound = 1.0f / std::sqrt(float(p->fanIn));
      std::uniform_real_distribution<float> dist(-bound, bound);
      for (float &v : p->value)
        v = dist(rng);
    }
  }
};

struct DenseStack {
  long rows;
  std::vector<long> widths; // in, hidden..., classes
  std::vector<Param> weights, biases;
  std::vector<Buffer> acts, grads; // acts[i]: output of layer i (after relu)

  DenseStack(long rows, std::vector<long> widths,
             const std::vector<std::string> &names)
      : rows(rows), widths(std::move(widths)) {
    size_t layers = this->widths.size() - 1;
    weights.reserve(layers);
    biases.reserve(layers);
    for (size_t i = 0; i < layers; ++i) {
      long in = this->widths[i], out = this->widths[i + 1];
      weights.emplace_back(names[i] + ".weight", in * out, in);
      biases.emplace_back(names[i] + ".bias", out, in);
      acts.emplace_back(rows * out);
      grads.emplace_back(rows * out);
    }
  }

  void params(std::vector<Param *> &out) {
    for (size_t i = 0; i < weights.size(); ++i) {
      out.push_back(&weights[i]);
      out.push_back(&biases[i]);
    }
  }

  const float *forward(const float *x) {
    size_t layers = weights.size();
    for (size_t i = 0; i < layers; ++i)
      denseForward(i ? acts[i - 1].data() : x, weights[i], biases[i],
                   acts[i].data(), rows, widths[i], widths[i + 1],
                   i + 1 < layers);
    return acts.back().data();
  }

  /// Loss and gradients; dx receives the input gradient when not null.
  float backward(const float *x, const int64_t *label, float *dx) {
    size_t layers = weights.size();
    float loss = softmaxCrossEntropy(acts.back().data(), label,
                                     grads.back().data(), rows, widths.back());
    for (size_t i = layers; i-- > 0;) {
      float *below = i ? grads[i - 1].data() : dx;
      denseBackward(i ? acts[i - 1].data() : x, grads[i].data(), weights[i],
                    biases[i], below, rows, widths[i], widths[i + 1]);
      if (i && below)
        reluBackward(below, acts[i - 1].data(), rows * widths[i]);
    }
    return loss;
  }
};

class Mlp : public Net {
  DenseStack stack;

public:
  Mlp(long rows, std::vector<long> widths, std::vector<std::string> names)
      : stack(rows, std::move(widths), names) {}
  std::vector<Param *> params() override {
    std::vector<Param *> out;
    stack.params(out);
    return out;
  }
  float trainStep(const float *x, const int64_t *label) override {
    stack.forward(x);
    float loss = stack.backward(x, label, nullptr);
    update();
    return loss;
  }
  void infer(const float *x, float *logits) override {
    const float *out = stack.forward(x);
    std::memcpy(logits, out, stack.rows * stack.widths.back() * sizeof(float));
  }
};

class LeNet : public Net {
  long n;
  ConvRelu c1{"c1", 1, 6, 5, 28, 28}, c2{"c2", 6, 16, 5, 12, 12};
  MaxPool2 p1, p2;
  DenseStack stack;
  Buffer cols1, y1, pool1, cols2, y2, pool2, flat, dflat, dpool2, dy2, dcols2,
      dpool1, dy1;

public:
  explicit LeNet(long n)
      : n(n), stack(n, {256, 120, 84, 10}, {"f1", "f2", "logits"}) {
    p1 = MaxPool2{6 * n, 24, 24, 12, 12, {}};
    p2 = MaxPool2{16 * n, 8, 8, 4, 4, {}};
    cols1.resize(c1.patch() * n * 576);
    y1.resize(6 * n * 576);
    dy1.resize(y1.size());
    pool1.resize(6 * n * 144);
    dpool1.resize(pool1.size());
    cols2.resize(c2.patch() * n * 64);
    dcols2.resize(cols2.size());
    y2.resize(16 * n * 64);
    dy2.resize(y2.size());
    pool2.resize(16 * n * 16);
    dpool2.resize(pool2.size());
    flat.resize(n * 256);
    dflat.resize(n * 256);
  }

  std::vector<Param *> params() override {
    std::vector<Param *> out{&c1.weight, &c1.bias, &c2.weight, &c2.bias};
    stack.params(out);
    return out;
  }

  const float *forward(const float *x) {
    // x is [N, 1, 28, 28], which is also [1, N, 28, 28].
    c1.im2col(x, cols1.data(), n);
    c1.forward(cols1.data(), y1.data(), n);
    p1.forward(y1.data(), pool1.data());
    c2.im2col(pool1.data(), cols2.data(), n);
    c2.forward(cols2.data(), y2.data(), n);
    p2.forward(y2.data(), pool2.data());
    // [16, N, 4, 4] -> [N, 16 * 4 * 4], PyTorch's flatten order.
    for (long b = 0; b < n; ++b)
      for (long c = 0; c < 16; ++c)
        std::memcpy(&flat[b * 256 + c * 16], &pool2[(c * n + b) * 16],
                    16 * sizeof(float));
    return stack.forward(flat.data());
  }

  float trainStep(const float *x, const int64_t *label) override {
    forward(x);
    float loss = stack.backward(flat.data(), label, dflat.data());
    for (long b = 0; b < n; ++b)
      for (long c = 0; c < 16; ++c)
        std::memcpy(&dpool2[(c * n + b) * 16], &dflat[b * 256 + c * 16],
                    16 * sizeof(float));
    p2.backward(dpool2.data(), dy2.data());
    reluBackward(dy2.data(), y2.data(), (long)dy2.size());
    c2.backward(cols2.data(), dy2.data(), dcols2.data(), n);
    c2.col2im(dcols2.data(), dpool1.data(), n);
    p1.backward(dpool1.data(), dy1.data());
    reluBackward(dy1.data(), y1.data(), (long)dy1.size());
    c1.backward(cols1.data(), dy1.data(), nullptr, n);
    update();
    return loss;
  }

  void infer(const float *x, float *logits) override {
    const float *out = forward(x);
    std::memcpy(logits, out, n * 10 * sizeof(float));
  }
};

struct CaseInfo {
  const char *name;
  long inputSize; // per sample
  float lr;
};

const CaseInfo kCases[] = {
    {"digits_mlp", 64, 0.1f},
    {"mnist_mlp", 784, 0.01f},
    {"lenet5", 784, 0.01f},
};

std::unique_ptr<Net> makeNet(const std::string &name, long batch) {
  std::unique_ptr<Net> net;
  if (name == "digits_mlp")
    net = std::make_unique<Mlp>(batch, std::vector<long>{64, 128, 10},
                                std::vector<std::string>{"h", "logits"});
  else if (name == "mnist_mlp")
    net = std::make_unique<Mlp>(batch, std::vector<long>{784, 512, 512, 10},
                                std::vector<std::string>{"h1", "h2", "logits"});
  else if (name == "lenet5")
    net = std::make_unique<LeNet>(batch);
  else
    return nullptr;
  for (const CaseInfo &c : kCases)
    if (name == c.name)
      net->lr = c.lr;
  return net;
}

long inputSize(const std::string &name) {
  for (const CaseInfo &c : kCases)
    if (name == c.name)
      return c.inputSize;
  return 0;
}

struct Timing {
  double medianMs, minMs;
  int reps;
  long iters;
};

/// Warms up, picks an iteration count so one repetition takes about
/// minRepMs, and returns the median (and minimum) time of one call.
template <typename F> Timing timeIt(F &&f, int reps, double minRepMs) {
  using Clock = std::chrono::steady_clock;
  auto ms = [](Clock::duration d) {
    return std::chrono::duration<double, std::milli>(d).count();
  };
  auto start = Clock::now();
  long warm = 0;
  while (warm < 3 || ms(Clock::now() - start) < 50.0) {
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
  return {median, samples.front(), reps, iters};
}

void fillInputs(Buffer &x, std::vector<int64_t> &label, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> dist(0.0f, 1.0f);
  for (float &v : x)
    v = dist(rng);
  for (int64_t &l : label)
    l = (int64_t)(rng() % 10);
}

void report(const std::string &name, const char *mode, long batch, int threads,
            const Timing &t, const char *extra = "") {
  std::printf("{\"case\": \"%s\", \"mode\": \"%s\", \"batch\": %ld, "
              "\"impl\": \"eigen+openblas\", \"threads\": %d, "
              "\"median_ms\": %.6f, \"min_ms\": %.6f, \"reps\": %d, "
              "\"iters\": %ld%s}\n",
              name.c_str(), mode, batch, threads, t.medianMs, t.minMs, t.reps,
              t.iters, extra);
  std::fflush(stdout);
}

/// The cases of the benchmark: every network's training step at its batch
/// size, and the MLPs' inference at batch 1 and 128.
int runBenchmark(int threads, const std::string &only, int reps,
                 double minRepMs) {
  struct Job {
    const char *name, *mode;
    long batch;
  };
  const Job jobs[] = {
      {"digits_mlp", "train", 32},  {"digits_mlp", "infer", 1},
      {"digits_mlp", "infer", 128}, {"mnist_mlp", "train", 128},
      {"mnist_mlp", "infer", 1},    {"mnist_mlp", "infer", 128},
      {"lenet5", "train", 64},
  };
  for (const Job &job : jobs) {
    if (!only.empty() && only != job.name)
      continue;
    std::unique_ptr<Net> net = makeNet(job.name, job.batch);
    net->init(1);
    Buffer x(job.batch * inputSize(job.name));
    std::vector<int64_t> label(job.batch);
    fillInputs(x, label, 2);
    Buffer logits(job.batch * 10);
    Timing t;
    char extra[64] = "";
    if (std::strcmp(job.mode, "train") == 0) {
      float loss = 0;
      t = timeIt([&] { loss = net->trainStep(x.data(), label.data()); }, reps,
                 minRepMs);
      std::snprintf(extra, sizeof extra, ", \"last_loss\": %.6g", loss);
    } else {
      t = timeIt([&] { net->infer(x.data(), logits.data()); }, reps, minRepMs);
    }
    report(job.name, job.mode, job.batch, threads, t, extra);
  }
  return 0;
}

bool readFile(const std::string &path, void *data, size_t bytes) {
  FILE *f = std::fopen(path.c_str(), "rb");
  if (!f) {
    std::fprintf(stderr, "error: cannot open %s\n", path.c_str());
    return false;
  }
  size_t got = std::fread(data, 1, bytes, f);
  char extra;
  bool more = std::fread(&extra, 1, 1, f) == 1;
  std::fclose(f);
  if (got != bytes || more) {
    std::fprintf(stderr, "error: %s: expected %zu bytes\n", path.c_str(),
                 bytes);
    return false;
  }
  return true;
}

bool writeFile(const std::string &path, const void *data, size_t bytes) {
  FILE *f = std::fopen(path.c_str(), "wb");
  if (!f || std::fwrite(data, 1, bytes, f) != bytes) {
    std::fprintf(stderr, "error: cannot write %s\n", path.c_str());
    if (f)
      std::fclose(f);
    return false;
  }
  return std::fclose(f) == 0;
}

int runCheck(const std::string &name, long batch, int steps,
             const std::string &dir) {
  std::unique_ptr<Net> net = makeNet(name, batch);
  if (!net) {
    std::fprintf(stderr, "error: unknown case '%s'\n", name.c_str());
    return 2;
  }
  for (Param *p : net->params())
    if (!readFile(dir + "/" + p->name + ".bin", p->value.data(),
                  p->value.size() * sizeof(float)))
      return 1;
  Buffer x(batch * inputSize(name));
  std::vector<int64_t> label(batch);
  if (!readFile(dir + "/x.bin", x.data(), x.size() * sizeof(float)) ||
      !readFile(dir + "/label.bin", label.data(), batch * sizeof(int64_t)))
    return 1;
  std::vector<float> losses;
  for (int s = 0; s < steps; ++s)
    losses.push_back(net->trainStep(x.data(), label.data()));
  for (Param *p : net->params())
    if (!writeFile(dir + "/out/" + p->name + ".bin", p->value.data(),
                   p->value.size() * sizeof(float)))
      return 1;
  return writeFile(dir + "/out/loss.bin", losses.data(),
                   losses.size() * sizeof(float))
             ? 0
             : 1;
}

int usage() {
  std::fprintf(stderr,
               "usage: eigen_step --threads T [--case NAME] [--reps R] "
               "[--min-rep-ms MS]\n"
               "       eigen_step --check NAME --batch B --steps S --dir DIR\n");
  return 2;
}

} // namespace

int main(int argc, char **argv) {
  int threads = 1, ompThreads = 0, reps = 15, steps = 1;
  long batch = 0;
  double minRepMs = 20.0;
  std::string only, check, dir;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (i + 1 >= argc)
      return usage();
    const char *value = argv[++i];
    if (arg == "--threads")
      threads = std::atoi(value);
    else if (arg == "--omp-threads")
      ompThreads = std::atoi(value);
    else if (arg == "--case")
      only = value;
    else if (arg == "--reps")
      reps = std::atoi(value);
    else if (arg == "--min-rep-ms")
      minRepMs = std::atof(value);
    else if (arg == "--check")
      check = value;
    else if (arg == "--batch")
      batch = std::atol(value);
    else if (arg == "--steps")
      steps = std::atoi(value);
    else if (arg == "--dir")
      dir = value;
    else
      return usage();
  }
  if (threads < 1 || reps < 1)
    return usage();
  openblas_set_num_threads(threads);
  omp_set_num_threads(ompThreads > 0 ? ompThreads : threads);
  if (!check.empty()) {
    if (batch < 1 || steps < 1 || dir.empty())
      return usage();
    return runCheck(check, batch, steps, dir);
  }
  return runBenchmark(threads, only, reps, minRepMs);
}
