//===- ConvPool.cpp - Convolution and pooling, NCHW -----------------------===//
//
// Direct loops over every output element (or, for the transposed ops, every
// contribution), accumulated in double.
//
//===----------------------------------------------------------------------===//

#include "Kernels.h"

#include "adjoint/Dialect/NN/IR/NNOps.h"
#include "adjoint/Dialect/NN/IR/NNShapes.h"

#include <cmath>
#include <vector>

using namespace mlir;
using namespace adjoint;
using namespace adjoint::interp;

namespace {

/// The geometry of one conv2d or pooling: input [N, C, H, W], output
/// [N, O, Ho, Wo], window kh x kw, strides and paddings.
struct Window {
  int64_t n, c, h, w;
  int64_t o, ho, wo;
  int64_t kh, kw;
  int64_t sh, sw;
  int64_t ph = 0, pw = 0;

  int64_t inputAt(int64_t b, int64_t ch, int64_t y, int64_t x) const {
    return ((b * c + ch) * h + y) * w + x;
  }
  int64_t outputAt(int64_t b, int64_t ch, int64_t y, int64_t x) const {
    return ((b * o + ch) * ho + y) * wo + x;
  }
  int64_t filterAt(int64_t oc, int64_t ch, int64_t i, int64_t j) const {
    return ((oc * c + ch) * kh + i) * kw + j;
  }
};

std::vector<double> toDoubles(const HostTensor &tensor) {
  std::vector<double> values(tensor.getNumElements());
  for (int64_t i = 0; i < tensor.getNumElements(); ++i)
    values[i] = tensor.getElementAsDouble(i);
  return values;
}

llvm::Expected<HostTensor> makeResult(const OpEnv &env, DType dtype,
                                      llvm::ArrayRef<int64_t> shape,
                                      llvm::ArrayRef<double> values) {
  llvm::Expected<HostTensor> result = env.allocate(dtype, shape);
  if (!result)
    return result.takeError();
  dispatchFloat(dtype, [&](auto tag) {
    using T = decltype(tag);
    llvm::MutableArrayRef<T> out = result->getMutableValues<T>();
    for (size_t i = 0; i < values.size(); ++i)
      out[i] = static_cast<T>(values[i]);
  });
  return result;
}

/// A run-time check of the output size of a window over `size` elements.
llvm::Expected<int64_t> windowOutput(const OpEnv &env, int64_t size,
                                     int64_t kernel, int64_t stride,
                                     int64_t pad, llvm::ArrayRef<int64_t> input) {
  int64_t out = nn::windowOutputSize(size, kernel, stride, pad);
  if (out <= 0)
    return env.error("a window of " + Twine(kernel) + " does not fit the input " +
                     formatShape(input));
  return out;
}

/// The position (row-major within the window) of the maximum of the window
/// at output (y, x) of channel plane `plane` of `x`: the first maximum wins,
/// and a NaN counts as the maximum.
int64_t argmaxInWindow(llvm::ArrayRef<double> x, const Window &g,
                       int64_t plane, int64_t y, int64_t xo) {
  int64_t best = 0;
  double bestValue = 0;
  for (int64_t i = 0; i < g.kh; ++i) {
    for (int64_t j = 0; j < g.kw; ++j) {
      double v = x[(plane * g.h + y * g.sh + i) * g.w + xo * g.sw + j];
      bool first = i == 0 && j == 0;
      if (first || (!std::isnan(bestValue) && (v > bestValue || std::isnan(v)))) {
        best = i * g.kw + j;
        bestValue = v;
      }
    }
  }
  return best;
}

/// The window of a pooling op with attributes kernel/stride over `input`.
llvm::Expected<Window> poolWindow(const OpEnv &env,
                                  llvm::ArrayRef<int64_t> input,
                                  llvm::ArrayRef<int64_t> kernel,
                                  llvm::ArrayRef<int64_t> stride) {
  Window g;
  g.n = input[0];
  g.c = g.o = input[1];
  g.h = input[2];
  g.w = input[3];
  g.kh = kernel[0];
  g.kw = kernel[1];
  g.sh = stride[0];
  g.sw = stride[1];
  llvm::Expected<int64_t> ho = windowOutput(env, g.h, g.kh, g.sh, 0, input);
  if (!ho)
    return ho.takeError();
  llvm::Expected<int64_t> wo = windowOutput(env, g.w, g.kw, g.sw, 0, input);
  if (!wo)
    return wo.takeError();
  g.ho = *ho;
  g.wo = *wo;
  return g;
}

/// Checks that `shape` (an output gradient or pooled tensor) is [N, O, Ho, Wo]
/// of window `g`.
llvm::Error checkOutputShape(const OpEnv &env, const Window &g,
                             llvm::StringRef what,
                             llvm::ArrayRef<int64_t> shape) {
  Shape expected = {g.n, g.o, g.ho, g.wo};
  if (llvm::ArrayRef<int64_t>(expected) == shape)
    return llvm::Error::success();
  return env.error(what + " " + formatShape(shape) + " does not match " +
                   formatShape(expected) + ", the output for the input [" +
                   Twine(g.n) + ", " + Twine(g.c) + ", " + Twine(g.h) + ", " +
                   Twine(g.w) + "]");
}

/// The size of dim `i` of the result: static from its type, or `fallback`.
int64_t resultDim(const OpEnv &env, unsigned i, int64_t fallback) {
  int64_t dim = env.getResultType().getDimSize(i);
  return ShapedType::isDynamic(dim) ? fallback : dim;
}

} // namespace

/// The window of a conv2d with input `x` [N, C, H, W] and filter [O, C, kh,
/// kw].
static llvm::Expected<Window> convWindow(const OpEnv &env,
                                         llvm::ArrayRef<int64_t> x,
                                         llvm::ArrayRef<int64_t> filter,
                                         llvm::ArrayRef<int64_t> stride,
                                         llvm::ArrayRef<int64_t> padding) {
  if (x[1] != filter[1])
    return env.error("input " + formatShape(x) + " has " + Twine(x[1]) +
                     " channels but the filter " + formatShape(filter) +
                     " expects " + Twine(filter[1]));
  Window g;
  g.n = x[0];
  g.c = x[1];
  g.h = x[2];
  g.w = x[3];
  g.o = filter[0];
  g.kh = filter[2];
  g.kw = filter[3];
  g.sh = stride[0];
  g.sw = stride[1];
  g.ph = padding[0];
  g.pw = padding[1];
  llvm::Expected<int64_t> ho = windowOutput(env, g.h, g.kh, g.sh, g.ph, x);
  if (!ho)
    return ho.takeError();
  llvm::Expected<int64_t> wo = windowOutput(env, g.w, g.kw, g.sw, g.pw, x);
  if (!wo)
    return wo.takeError();
  g.ho = *ho;
  g.wo = *wo;
  return g;
}

/// Calls fn(b, oc, ch, y, x, i, j, inY, inX) for every (output element,
/// filter tap) pair of `g` whose input position lies inside the input.
template <typename Fn>
static void forEachConvTap(const Window &g, Fn &&fn) {
  for (int64_t b = 0; b < g.n; ++b)
    for (int64_t oc = 0; oc < g.o; ++oc)
      for (int64_t y = 0; y < g.ho; ++y)
        for (int64_t x = 0; x < g.wo; ++x)
          for (int64_t ch = 0; ch < g.c; ++ch)
            for (int64_t i = 0; i < g.kh; ++i)
              for (int64_t j = 0; j < g.kw; ++j) {
                int64_t inY = y * g.sh - g.ph + i, inX = x * g.sw - g.pw + j;
                if (inY >= 0 && inY < g.h && inX >= 0 && inX < g.w)
                  fn(b, oc, ch, y, x, i, j, inY, inX);
              }
}

llvm::Expected<HostTensor> interp::evalConv2D(const OpEnv &env) {
  auto op = llvm::cast<nn::Conv2DOp>(env.getOp());
  const HostTensor &input = env.operand(0), &filter = env.operand(1);
  llvm::Expected<Window> g = convWindow(env, input.getShape(),
                                        filter.getShape(), op.getStride(),
                                        op.getPadding());
  if (!g)
    return g.takeError();
  std::vector<double> x = toDoubles(input), w = toDoubles(filter);
  std::vector<double> y(g->n * g->o * g->ho * g->wo, 0.0);
  forEachConvTap(*g, [&](int64_t b, int64_t oc, int64_t ch, int64_t oy,
                         int64_t ox, int64_t i, int64_t j, int64_t iy,
                         int64_t ix) {
    y[g->outputAt(b, oc, oy, ox)] +=
        x[g->inputAt(b, ch, iy, ix)] * w[g->filterAt(oc, ch, i, j)];
  });
  return makeResult(env, input.getDType(), {g->n, g->o, g->ho, g->wo}, y);
}

llvm::Expected<HostTensor> interp::evalConv2DBackwardInput(const OpEnv &env) {
  auto op = llvm::cast<nn::Conv2DBackwardInputOp>(env.getOp());
  const HostTensor &grad = env.operand(0), &filter = env.operand(1);
  llvm::ArrayRef<int64_t> dy = grad.getShape(), f = filter.getShape();
  llvm::ArrayRef<int64_t> stride = op.getStride(), padding = op.getPadding();
  // A dynamic H or W of the result is taken as the smallest input that gives
  // the output gradient's size.
  Shape x = {dy[0], f[1],
             resultDim(env, 2, (dy[2] - 1) * stride[0] + f[2] - 2 * padding[0]),
             resultDim(env, 3, (dy[3] - 1) * stride[1] + f[3] - 2 * padding[1])};
  llvm::Expected<Window> g = convWindow(env, x, f, stride, padding);
  if (!g)
    return g.takeError();
  if (llvm::Error err = checkOutputShape(env, *g, "output gradient", dy))
    return std::move(err);
  std::vector<double> dyv = toDoubles(grad), w = toDoubles(filter);
  std::vector<double> dx(g->n * g->c * g->h * g->w, 0.0);
  forEachConvTap(*g, [&](int64_t b, int64_t oc, int64_t ch, int64_t oy,
                         int64_t ox, int64_t i, int64_t j, int64_t iy,
                         int64_t ix) {
    dx[g->inputAt(b, ch, iy, ix)] +=
        dyv[g->outputAt(b, oc, oy, ox)] * w[g->filterAt(oc, ch, i, j)];
  });
  return makeResult(env, grad.getDType(), x, dx);
}

llvm::Expected<HostTensor> interp::evalConv2DBackwardFilter(const OpEnv &env) {
  auto op = llvm::cast<nn::Conv2DBackwardFilterOp>(env.getOp());
  const HostTensor &input = env.operand(0), &grad = env.operand(1);
  llvm::ArrayRef<int64_t> x = input.getShape(), dy = grad.getShape();
  RankedTensorType type = env.getResultType();
  if (type.isDynamicDim(2) || type.isDynamicDim(3))
    return env.error("the filter's kernel dims must be static, got " +
                     nn::formatShape(type.getShape()));
  Shape f = {dy[1], x[1], type.getDimSize(2), type.getDimSize(3)};
  llvm::Expected<Window> g =
      convWindow(env, x, f, op.getStride(), op.getPadding());
  if (!g)
    return g.takeError();
  if (llvm::Error err = checkOutputShape(env, *g, "output gradient", dy))
    return std::move(err);
  std::vector<double> xv = toDoubles(input), dyv = toDoubles(grad);
  std::vector<double> dw(g->o * g->c * g->kh * g->kw, 0.0);
  forEachConvTap(*g, [&](int64_t b, int64_t oc, int64_t ch, int64_t oy,
                         int64_t ox, int64_t i, int64_t j, int64_t iy,
                         int64_t ix) {
    dw[g->filterAt(oc, ch, i, j)] +=
        xv[g->inputAt(b, ch, iy, ix)] * dyv[g->outputAt(b, oc, oy, ox)];
  });
  return makeResult(env, input.getDType(), f, dw);
}

/// kernel and stride of any pooling op.
static std::pair<llvm::ArrayRef<int64_t>, llvm::ArrayRef<int64_t>>
getPoolAttrs(Operation *op) {
  auto kernel = llvm::cast<DenseI64ArrayAttr>(op->getAttr("kernel"));
  auto stride = llvm::cast<DenseI64ArrayAttr>(op->getAttr("stride"));
  return {kernel.asArrayRef(), stride.asArrayRef()};
}

llvm::Expected<HostTensor> interp::evalPool2D(const OpEnv &env) {
  bool isMax = llvm::isa<nn::MaxPool2DOp>(env.getOp());
  auto [kernel, stride] = getPoolAttrs(env.getOp());
  const HostTensor &input = env.operand(0);
  llvm::Expected<Window> g = poolWindow(env, input.getShape(), kernel, stride);
  if (!g)
    return g.takeError();
  std::vector<double> x = toDoubles(input);
  std::vector<double> y(g->n * g->c * g->ho * g->wo, 0.0);
  for (int64_t plane = 0; plane < g->n * g->c; ++plane)
    for (int64_t oy = 0; oy < g->ho; ++oy)
      for (int64_t ox = 0; ox < g->wo; ++ox) {
        double value = 0;
        if (isMax) {
          int64_t k = argmaxInWindow(x, *g, plane, oy, ox);
          value = x[(plane * g->h + oy * g->sh + k / g->kw) * g->w +
                    ox * g->sw + k % g->kw];
        } else {
          for (int64_t i = 0; i < g->kh; ++i)
            for (int64_t j = 0; j < g->kw; ++j)
              value += x[(plane * g->h + oy * g->sh + i) * g->w +
                         ox * g->sw + j];
          value /= static_cast<double>(g->kh * g->kw);
        }
        y[(plane * g->ho + oy) * g->wo + ox] = value;
      }
  return makeResult(env, input.getDType(), {g->n, g->c, g->ho, g->wo}, y);
}

llvm::Expected<HostTensor> interp::evalAvgPool2DBackward(const OpEnv &env) {
  auto [kernel, stride] = getPoolAttrs(env.getOp());
  const HostTensor &grad = env.operand(0);
  llvm::ArrayRef<int64_t> dy = grad.getShape();
  // A dynamic H or W of the result is taken as the smallest that fits.
  Shape x = {dy[0], dy[1], resultDim(env, 2, (dy[2] - 1) * stride[0] + kernel[0]),
             resultDim(env, 3, (dy[3] - 1) * stride[1] + kernel[1])};
  llvm::Expected<Window> g = poolWindow(env, x, kernel, stride);
  if (!g)
    return g.takeError();
  if (llvm::Error err = checkOutputShape(env, *g, "output gradient", dy))
    return std::move(err);
  std::vector<double> dyv = toDoubles(grad);
  std::vector<double> dx(g->n * g->c * g->h * g->w, 0.0);
  double scale = 1.0 / static_cast<double>(g->kh * g->kw);
  for (int64_t plane = 0; plane < g->n * g->c; ++plane)
    for (int64_t oy = 0; oy < g->ho; ++oy)
      for (int64_t ox = 0; ox < g->wo; ++ox)
        for (int64_t i = 0; i < g->kh; ++i)
          for (int64_t j = 0; j < g->kw; ++j)
            dx[(plane * g->h + oy * g->sh + i) * g->w + ox * g->sw + j] +=
                dyv[(plane * g->ho + oy) * g->wo + ox] * scale;
  return makeResult(env, grad.getDType(), x, dx);
}

llvm::Expected<HostTensor> interp::evalMaxPool2DJvp(const OpEnv &env) {
  auto [kernel, stride] = getPoolAttrs(env.getOp());
  const HostTensor &input = env.operand(0), &tangent = env.operand(1);
  if (input.getShape() != tangent.getShape())
    return env.error("tangent " + formatShape(tangent.getShape()) +
                     " differs from the input " +
                     formatShape(input.getShape()));
  llvm::Expected<Window> g = poolWindow(env, input.getShape(), kernel, stride);
  if (!g)
    return g.takeError();
  std::vector<double> x = toDoubles(input), t = toDoubles(tangent);
  std::vector<double> y(g->n * g->c * g->ho * g->wo, 0.0);
  for (int64_t plane = 0; plane < g->n * g->c; ++plane)
    for (int64_t oy = 0; oy < g->ho; ++oy)
      for (int64_t ox = 0; ox < g->wo; ++ox) {
        int64_t k = argmaxInWindow(x, *g, plane, oy, ox);
        y[(plane * g->ho + oy) * g->wo + ox] =
            t[(plane * g->h + oy * g->sh + k / g->kw) * g->w + ox * g->sw +
              k % g->kw];
      }
  return makeResult(env, tangent.getDType(), {g->n, g->c, g->ho, g->wo}, y);
}

llvm::Expected<HostTensor> interp::evalMaxPool2DVjp(const OpEnv &env) {
  auto [kernel, stride] = getPoolAttrs(env.getOp());
  const HostTensor &input = env.operand(0), &grad = env.operand(1);
  llvm::Expected<Window> g = poolWindow(env, input.getShape(), kernel, stride);
  if (!g)
    return g.takeError();
  if (llvm::Error err =
          checkOutputShape(env, *g, "output gradient", grad.getShape()))
    return std::move(err);
  std::vector<double> x = toDoubles(input), dyv = toDoubles(grad);
  std::vector<double> dx(x.size(), 0.0);
  for (int64_t plane = 0; plane < g->n * g->c; ++plane)
    for (int64_t oy = 0; oy < g->ho; ++oy)
      for (int64_t ox = 0; ox < g->wo; ++ox) {
        int64_t k = argmaxInWindow(x, *g, plane, oy, ox);
        dx[(plane * g->h + oy * g->sh + k / g->kw) * g->w + ox * g->sw +
           k % g->kw] += dyv[(plane * g->ho + oy) * g->wo + ox];
      }
  return makeResult(env, grad.getDType(), input.getShape(), dx);
}
