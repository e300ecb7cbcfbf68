//===- SvgPlot.h - Line charts as SVG ---------------------------*- C++ -*-===//
//
// A small SVG writer for training curves: one or more panels side by side,
// each a line chart with axes, "nice" ticks (1, 2, 5 x 10^k), tick labels,
// axis labels, a title and a legend.
//
//===----------------------------------------------------------------------===//

#ifndef ADJOINT_TRAINING_SVGPLOT_H
#define ADJOINT_TRAINING_SVGPLOT_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <string>
#include <utility>
#include <vector>

namespace adjoint::training {

struct PlotSeries {
  std::string name;
  /// An SVG color ("#1f77b4").
  std::string color;
  bool dashed = false;
  /// (x, y) points; non-finite y values are left out.
  std::vector<std::pair<double, double>> points;
};

struct PlotPanel {
  std::string title;
  std::string xLabel;
  std::string yLabel;
  /// Ticks on the x axis at integers only (epochs).
  bool integerX = true;
  std::vector<PlotSeries> series;
};

/// Tick positions covering [lo, hi] with at most about `maxTicks` ticks,
/// spaced by 1, 2 or 5 times a power of ten (at least 1 with `integer`). The
/// first tick is <= lo and the last >= hi; an empty range is widened.
std::vector<double> getNiceTicks(double lo, double hi, int maxTicks,
                                 bool integer = false);

/// Writes a standalone SVG document with `panels` side by side.
void writeSvgPlot(llvm::raw_ostream &os, llvm::ArrayRef<PlotPanel> panels);

/// Escapes &, <, >, " and ' for SVG text and attributes.
std::string escapeXml(llvm::StringRef text);

} // namespace adjoint::training

#endif // ADJOINT_TRAINING_SVGPLOT_H
