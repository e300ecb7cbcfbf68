//===- OptimizerSpec.h - The optimizer statement of .nn files ---*- C++ -*-===//
//
// The update rule of a training step, as the `.nn` optimizer statement and
// adjoint-run's `--optimizer=SPEC` write it:
//   sgd(lr=0.1, momentum=0.9, weight_decay=1e-4)
//   adam(lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0)
// The semantics are those of torch.optim.SGD (dampening 0, no Nesterov) and
// torch.optim.Adam (no AMSGrad); see docs/training.md.
//
//===----------------------------------------------------------------------===//

#ifndef ADJOINT_TRAINING_OPTIMIZERSPEC_H
#define ADJOINT_TRAINING_OPTIMIZERSPEC_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>

namespace adjoint::training {

/// A parsed optimizer statement.
struct OptimizerSpec {
  enum class Kind { SGD, Adam };
  Kind kind = Kind::SGD;
  /// Required for both optimizers; must be >= 0.
  double lr = 0;
  /// L2 penalty added to every gradient: g += weight_decay * p.
  double weightDecay = 0;
  /// SGD only; 0 means plain SGD without a momentum buffer.
  double momentum = 0;
  /// Adam only.
  double beta1 = 0.9;
  double beta2 = 0.999;
  double eps = 1e-8;

  /// The normalized text, with every keyword spelled out in a fixed order
  /// ("sgd(lr=0.1, momentum=0.9, weight_decay=0)"); parseOptimizerSpec of it
  /// gives back the same spec.
  std::string str() const;
};

/// Parses an optimizer spec. The error message quotes the text and says what
/// is wrong: an unknown optimizer or keyword, a repeated keyword, a missing
/// `lr`, a malformed number, or a value out of range (negative lr, momentum,
/// weight decay or eps; beta outside [0, 1)).
llvm::Expected<OptimizerSpec> parseOptimizerSpec(llvm::StringRef text);

} // namespace adjoint::training

#endif // ADJOINT_TRAINING_OPTIMIZERSPEC_H
