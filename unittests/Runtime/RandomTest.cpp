//===- RandomTest.cpp - Tests of the counter-based generator --------------===//

#include "adjoint/Runtime/Random.h"

#include "gtest/gtest.h"

#include <cmath>

using namespace adjoint;

namespace {

TEST(RandomTest, StableHash) {
  // FNV-1a 64 reference values.
  EXPECT_EQ(hashStableName(""), 0xcbf29ce484222325ULL);
  EXPECT_EQ(hashStableName("a"), 0xaf63dc4c8601ec8cULL);
  // SplitMix64 is a bijection with no fixed point at these values.
  EXPECT_NE(splitMix64(0), splitMix64(1));
}

// The first outputs of SplitMix64 seeded with 1234567, from the reference
// implementation (Vigna's splitmix64.c): the stream is SplitMix64 started at
// the key.
TEST(RandomTest, MatchesSplitMix64Reference) {
  uint64_t state = 1234567;
  auto next = [&] {
    uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  };
  EXPECT_EQ(next(), 6457827717110365317ULL);
  EXPECT_EQ(next(), 3203168211198807973ULL);
  RandomStream stream(0, "w");
  state = stream.getKey();
  for (uint64_t i = 0; i < 10; ++i)
    EXPECT_EQ(stream.getBits(i), next());
}

TEST(RandomTest, DeterministicPerSeedAndName) {
  RandomStream a(7, "h.weight"), b(7, "h.weight"), c(7, "h.bias"),
      d(8, "h.weight");
  EXPECT_EQ(a.getKey(), b.getKey());
  EXPECT_NE(a.getKey(), c.getKey());
  EXPECT_NE(a.getKey(), d.getKey());
  int same = 0;
  for (uint64_t i = 0; i < 1000; ++i) {
    EXPECT_EQ(a.getBits(i), b.getBits(i));
    same += a.getBits(i) == c.getBits(i);
    same += a.getBits(i) == d.getBits(i);
  }
  EXPECT_EQ(same, 0);
}

TEST(RandomTest, UniformAndNormalStatistics) {
  RandomStream stream(42, "stats");
  const int n = 200000;
  double sum = 0, sumSq = 0, min = 1, max = 0;
  for (int i = 0; i < n; ++i) {
    double u = stream.getUniform(i);
    sum += u;
    sumSq += u * u;
    min = std::min(min, u);
    max = std::max(max, u);
  }
  EXPECT_GE(min, 0.0);
  EXPECT_LT(max, 1.0);
  double mean = sum / n;
  // Standard error of the mean: sqrt(1/12/n) ~ 0.00065.
  EXPECT_NEAR(mean, 0.5, 0.003);
  EXPECT_NEAR(sumSq / n - mean * mean, 1.0 / 12, 0.002);

  sum = sumSq = 0;
  double sumCos = 0, sumSin = 0, cross = 0;
  int withinOne = 0;
  for (int i = 0; i < n; ++i) {
    double z = stream.getNormal(i);
    sum += z;
    sumSq += z * z;
    withinOne += std::abs(z) < 1;
    (i % 2 ? sumSin : sumCos) += z * z;
    if (i % 2)
      cross += z * stream.getNormal(i - 1);
  }
  mean = sum / n;
  EXPECT_NEAR(mean, 0.0, 0.01);
  EXPECT_NEAR(sumSq / n - mean * mean, 1.0, 0.01);
  EXPECT_NEAR(double(withinOne) / n, 0.682689, 0.005);
  // Both Box-Muller branches have unit variance and are uncorrelated.
  EXPECT_NEAR(sumCos / (n / 2), 1.0, 0.015);
  EXPECT_NEAR(sumSin / (n / 2), 1.0, 0.015);
  EXPECT_NEAR(cross / (n / 2), 0.0, 0.015);
}

} // namespace
