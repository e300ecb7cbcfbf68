//===- Progress.cpp - The trainer's progress bar --------------------------===//

#include "Progress.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/Process.h"

#include <algorithm>
#include <cmath>

using namespace adjoint::training;

ProgressBar::ProgressBar(llvm::raw_ostream &os, bool enabled,
                         int64_t totalSteps)
    : os(os), enabled(enabled), totalSteps(totalSteps),
      start(std::chrono::steady_clock::now()) {}

std::string ProgressBar::formatDuration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0)
    return "?";
  int64_t total = static_cast<int64_t>(std::llround(seconds));
  int64_t h = total / 3600, m = (total / 60) % 60, s = total % 60;
  std::string result;
  llvm::raw_string_ostream os(result);
  if (h > 0)
    os << h << ":" << llvm::format("%02d", int(m));
  else
    os << m;
  os << ":" << llvm::format("%02d", int(s));
  return result;
}

std::string ProgressBar::format(int64_t epoch, int64_t epochs, int64_t step,
                                int64_t stepsPerEpoch, double loss,
                                double samplesPerSecond, double secondsLeft,
                                unsigned width) {
  std::string head, tail;
  llvm::raw_string_ostream(head) << "epoch " << epoch << "/" << epochs << " ";
  llvm::raw_string_ostream(tail)
      << " " << step << "/" << stepsPerEpoch << "  loss "
      << llvm::format("%.4f", loss) << "  "
      << llvm::format("%.0f", samplesPerSecond) << " samples/s  left "
      << formatDuration(secondsLeft);
  // The bar takes what the text leaves of the line, 10 to 30 columns.
  int64_t room = int64_t(width) - int64_t(head.size() + tail.size()) - 3;
  int64_t barWidth = std::clamp<int64_t>(room, 10, 30);
  int64_t filled = stepsPerEpoch > 0 ? barWidth * step / stepsPerEpoch : 0;
  std::string bar = "[" + std::string(size_t(filled), '#') +
                    std::string(size_t(barWidth - filled), '.') + "]";
  return head + bar + tail;
}

void ProgressBar::update(int64_t epoch, int64_t epochs, int64_t step,
                         int64_t stepsPerEpoch, double loss,
                         int64_t samplesDone) {
  ++stepsDone;
  if (!enabled)
    return;
  auto now = std::chrono::steady_clock::now();
  bool last = step == stepsPerEpoch;
  if (shown && !last && now - lastDraw < std::chrono::milliseconds(100))
    return;
  lastDraw = now;
  double elapsed = std::chrono::duration<double>(now - start).count();
  double perStep = stepsDone > 0 ? elapsed / double(stepsDone) : 0;
  double left = perStep * double(std::max<int64_t>(totalSteps - stepsDone, 0));
  double rate = elapsed > 0 ? double(samplesDone) / elapsed : 0;
  unsigned width = llvm::sys::Process::StandardErrColumns();
  if (width == 0)
    width = 80;
  os << "\r\033[K"
     << format(epoch, epochs, step, stepsPerEpoch, loss, rate, left, width - 1);
  os.flush();
  shown = true;
}

void ProgressBar::clear() {
  if (!enabled || !shown)
    return;
  os << "\r\033[K";
  os.flush();
  shown = false;
}
