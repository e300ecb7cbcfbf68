//===- Init.h - Parameter initialization -------------------------*- C++
//-*-===//
//
// The initializers of the `.nn` INIT syntax (network-format.md), with the
// semantics of PyTorch's torch.nn.init:
//   zeros, ones, constant(V)
//   normal(mean, std)       N(mean, std^2)
//   uniform(low, high)      U[low, high)
//   glorot_uniform          U(-a, a), a = sqrt(6 / (fan_in + fan_out))
//                           (xavier_uniform_ with gain 1)
//   he_normal               N(0, 2 / fan_in)
//                           (kaiming_normal_, mode fan_in, nonlinearity relu)
// Arguments are numbers, may be given by keyword (`normal(mean=0, std=0.02)`)
// and may be constant expressions with + - * / and sqrt
// (`uniform(-1/sqrt(64), 1/sqrt(64))`).
//
// Values come from a RandomStream keyed by (seed, parameter name), so each
// parameter's values depend only on the seed, its name, its shape and its
// initializer.
//
//===----------------------------------------------------------------------===//

#ifndef ADJOINT_RUNTIME_INIT_H
#define ADJOINT_RUNTIME_INIT_H

#include "adjoint/Runtime/HostTensor.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>

namespace adjoint {

/// A parsed initializer.
struct Initializer {
  enum class Kind {
    Zeros,
    Ones,
    Constant,
    Normal,
    Uniform,
    GlorotUniform,
    HeNormal
  };
  Kind kind = Kind::Zeros;
  /// Constant: the value. Normal: the mean. Uniform: the lower bound.
  double a = 0;
  /// Normal: the standard deviation. Uniform: the upper bound.
  double b = 0;

  /// The normalized INIT text: "zeros", "constant(0.5)", "normal(0, 0.02)".
  std::string str() const;
};

/// Parses an initializer in the INIT syntax. The error message quotes the
/// text and says what is wrong.
llvm::Expected<Initializer> parseInitializer(llvm::StringRef text);

/// Fan-in and fan-out as torch.nn.init._calculate_fan_in_and_fan_out computes
/// them: for a shape [out, in, k...], fan_in = in * prod(k), fan_out =
/// out * prod(k). An error for shapes of rank below 2.
struct FanInOut {
  int64_t fanIn = 0;
  int64_t fanOut = 0;
};
llvm::Expected<FanInOut> computeFanInAndFanOut(llvm::ArrayRef<int64_t> shape);

/// Fills `tensor` (f32 or f64) from `init`, with random numbers from the
/// stream (seed, name). Errors: another dtype, glorot_uniform or he_normal on
/// a shape of rank below 2 or with a zero fan.
llvm::Error fillInitializer(HostTensor &tensor, const Initializer &init,
                            uint64_t seed, llvm::StringRef name);

/// Parses `initText` and returns a new f32 tensor of `shape` filled from it.
/// Error messages start with "parameter 'NAME': ".
llvm::Expected<HostTensor> initializeParameter(llvm::StringRef initText,
                                               llvm::ArrayRef<int64_t> shape,
                                               uint64_t seed,
                                               llvm::StringRef name);

} // namespace adjoint

#endif // ADJOINT_RUNTIME_INIT_H
