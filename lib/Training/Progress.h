//===- Progress.h - The trainer's progress bar ------------------*- C++ -*-===//
//
// A one-line progress display on a terminal, redrawn in place (at most ten
// times a second): epoch, a bar, step, running loss, samples per second and
// the time left for the whole run.
//
//===----------------------------------------------------------------------===//

#ifndef ADJOINT_LIB_TRAINING_PROGRESS_H
#define ADJOINT_LIB_TRAINING_PROGRESS_H

#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <cstdint>
#include <string>

namespace adjoint::training {

class ProgressBar {
public:
  /// `enabled` false makes every call a no-op. `totalSteps` counts the steps
  /// of the whole run (for the time left).
  ProgressBar(llvm::raw_ostream &os, bool enabled, int64_t totalSteps);

  /// Reports that `step` of `stepsPerEpoch` steps of `epoch` (1-based) of
  /// `epochs` is done, with the epoch's running mean loss and the number of
  /// samples the whole run has processed.
  void update(int64_t epoch, int64_t epochs, int64_t step,
              int64_t stepsPerEpoch, double loss, int64_t samplesDone);

  /// Erases the bar, so that a plain line can be printed.
  void clear();

  /// The text of one bar, without the carriage return (for tests).
  static std::string format(int64_t epoch, int64_t epochs, int64_t step,
                            int64_t stepsPerEpoch, double loss,
                            double samplesPerSecond, double secondsLeft,
                            unsigned width);

  /// "1:05:09", "4:07", "0:03".
  static std::string formatDuration(double seconds);

private:
  llvm::raw_ostream &os;
  bool enabled;
  bool shown = false;
  int64_t totalSteps;
  int64_t stepsDone = 0;
  std::chrono::steady_clock::time_point start, lastDraw;
};

} // namespace adjoint::training

#endif // ADJOINT_LIB_TRAINING_PROGRESS_H
