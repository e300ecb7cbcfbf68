//===- ProgressTest.cpp - Tests of the progress bar -----------------------===//

#include "Progress.h"

#include "gtest/gtest.h"

using namespace adjoint::training;

namespace {

TEST(Progress, Durations) {
  EXPECT_EQ(ProgressBar::formatDuration(3.4), "0:03");
  EXPECT_EQ(ProgressBar::formatDuration(247), "4:07");
  EXPECT_EQ(ProgressBar::formatDuration(3 * 3600 + 5 * 60 + 9), "3:05:09");
  EXPECT_EQ(ProgressBar::formatDuration(-1), "?");
}

TEST(Progress, BarShowsEpochStepLossRateAndTimeLeft) {
  std::string bar = ProgressBar::format(3, 20, 12, 48, 0.23456, 1234.4, 65, 100);
  EXPECT_EQ(bar, "epoch 3/20 [#######.......................] 12/48  loss "
                 "0.2346  1234 samples/s  left 1:05");
  // A narrow terminal gets the shortest bar.
  std::string narrow = ProgressBar::format(1, 1, 1, 2, 1, 1, 1, 20);
  EXPECT_NE(narrow.find("[#####.....]"), std::string::npos) << narrow;
}

TEST(Progress, DisabledBarWritesNothing) {
  std::string text;
  llvm::raw_string_ostream os(text);
  ProgressBar bar(os, /*enabled=*/false, 10);
  bar.update(1, 1, 1, 10, 0.5, 8);
  bar.clear();
  EXPECT_EQ(text, "");
}

TEST(Progress, EnabledBarRedrawsInPlaceAndClears) {
  std::string text;
  llvm::raw_string_ostream os(text);
  ProgressBar bar(os, /*enabled=*/true, 2);
  bar.update(1, 1, 1, 2, 0.5, 8);
  EXPECT_EQ(text.substr(0, 4), "\r\033[K");
  EXPECT_NE(text.find("epoch 1/1"), std::string::npos);
  bar.clear();
  EXPECT_EQ(text.substr(text.size() - 4), "\r\033[K");
}

} // namespace
