//===- Random.cpp - Seeded, counter-based random numbers ------------------===//

#include "adjoint/Runtime/Random.h"

#include "llvm/Support/MathExtras.h"

#include <cmath>

using namespace adjoint;

/// The SplitMix64 increment (the golden ratio in 64-bit fixed point).
static constexpr uint64_t kGamma = 0x9e3779b97f4a7c15ULL;

uint64_t adjoint::splitMix64(uint64_t x) {
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

uint64_t adjoint::hashStableName(llvm::StringRef text) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

RandomStream::RandomStream(uint64_t seed, llvm::StringRef name)
    : key(splitMix64(splitMix64(seed + kGamma) ^ hashStableName(name))) {}

uint64_t RandomStream::getBits(uint64_t counter) const {
  return splitMix64(key + (counter + 1) * kGamma);
}

double RandomStream::getUniform(uint64_t counter) const {
  return static_cast<double>(getBits(counter) >> 11) * 0x1.0p-53;
}

double RandomStream::getNormal(uint64_t index) const {
  uint64_t pair = index & ~uint64_t(1);
  // u1 in (0, 1] so that the logarithm is finite.
  double u1 = static_cast<double>((getBits(pair) >> 11) + 1) * 0x1.0p-53;
  double u2 = getUniform(pair + 1);
  double radius = std::sqrt(-2.0 * std::log(u1));
  double angle = 2.0 * llvm::numbers::pi * u2;
  return (index & 1) ? radius * std::sin(angle) : radius * std::cos(angle);
}
