//===- Random.h - Seeded, counter-based random numbers ----------*- C++ -*-===//
//
// A stateless generator: the i-th number of the stream named (seed, name) is
// a pure function of (seed, name, i). Each parameter, dropout mask or shuffle
// gets its own stream, so that its values depend neither on the order in
// which streams are used nor on how the work is split across threads, and the
// numbers are the same on every platform.
//
//===----------------------------------------------------------------------===//

#ifndef ADJOINT_RUNTIME_RANDOM_H
#define ADJOINT_RUNTIME_RANDOM_H

#include "llvm/ADT/StringRef.h"

#include <cstdint>

namespace adjoint {

/// The SplitMix64 output function (a bijective 64-bit mixer).
uint64_t splitMix64(uint64_t x);

/// A 64-bit FNV-1a hash of `text`: stable across runs and platforms, unlike
/// std::hash.
uint64_t hashStableName(llvm::StringRef text);

/// The random stream named by (seed, name). Number i is the i-th output of a
/// SplitMix64 generator whose state starts at a key derived from seed and
/// name, computed directly from i.
class RandomStream {
public:
  RandomStream(uint64_t seed, llvm::StringRef name);

  /// 64 random bits at position `counter`.
  uint64_t getBits(uint64_t counter) const;

  /// A double in [0, 1) with 53 random bits, from position `counter`.
  double getUniform(uint64_t counter) const;

  /// A standard normal sample. Positions 2k and 2k+1 share the Box-Muller
  /// pair made from bits at positions 2k and 2k+1 (cosine and sine branch).
  double getNormal(uint64_t index) const;

  uint64_t getKey() const { return key; }

private:
  uint64_t key;
};

} // namespace adjoint

#endif // ADJOINT_RUNTIME_RANDOM_H
