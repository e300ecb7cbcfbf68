//===- SvgPlot.cpp - Line charts as SVG -----------------------------------===//

#include "adjoint/Training/SvgPlot.h"

#include "llvm/Support/Format.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

using namespace adjoint::training;

std::string adjoint::training::escapeXml(llvm::StringRef text) {
  std::string out;
  for (char c : text) {
    switch (c) {
    case '&': out += "&amp;"; break;
    case '<': out += "&lt;"; break;
    case '>': out += "&gt;"; break;
    case '"': out += "&quot;"; break;
    case '\'': out += "&apos;"; break;
    default: out += c;
    }
  }
  return out;
}

/// The tick spacing: `rough` rounded up to 1, 2 or 5 times a power of ten.
static double getNiceStep(double rough) {
  double power = std::pow(10.0, std::floor(std::log10(rough)));
  double fraction = rough / power;
  double nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return nice * power;
}

std::vector<double> adjoint::training::getNiceTicks(double lo, double hi,
                                                    int maxTicks,
                                                    bool integer) {
  if (!std::isfinite(lo) || !std::isfinite(hi)) {
    lo = 0;
    hi = 1;
  }
  if (hi < lo)
    std::swap(lo, hi);
  if (hi - lo < 1e-12 * std::max(1.0, std::fabs(lo))) {
    double pad = lo == 0 ? 1 : std::fabs(lo) * 0.1;
    lo -= pad;
    hi += pad;
  }
  maxTicks = std::max(maxTicks, 2);
  double step = getNiceStep((hi - lo) / (maxTicks - 1));
  if (integer)
    step = std::max(1.0, std::round(step));
  double first = std::floor(lo / step + 1e-9) * step;
  double last = std::ceil(hi / step - 1e-9) * step;
  std::vector<double> ticks;
  int64_t count = static_cast<int64_t>(std::llround((last - first) / step));
  for (int64_t i = 0; i <= count; ++i) {
    double tick = first + static_cast<double>(i) * step;
    // Avoid "-0" and 0.30000000000000004 in labels.
    if (std::fabs(tick) < step * 1e-9)
      tick = 0;
    ticks.push_back(tick);
  }
  return ticks;
}

/// A tick label with as many decimals as the spacing needs.
static std::string formatTick(double value, double step) {
  int decimals = step >= 1 ? 0 : static_cast<int>(std::ceil(-std::log10(step) - 1e-9));
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%.*f", std::min(decimals, 12), value);
  return buffer;
}

namespace {
/// Numbers written into the SVG, with two decimals.
struct Coord {
  double value;
};
llvm::raw_ostream &operator<<(llvm::raw_ostream &os, Coord c) {
  return os << llvm::format("%.2f", c.value);
}
} // namespace

static void writePanel(llvm::raw_ostream &os, const PlotPanel &panel,
                       double originX) {
  constexpr double width = 480, height = 320;
  constexpr double left = 64, right = 16, top = 34, bottom = 48;
  double plotW = width - left - right, plotH = height - top - bottom;
  double x0 = originX + left, y0 = top + plotH; // bottom-left corner

  // Data ranges over the finite points.
  double xMin = std::numeric_limits<double>::infinity(), xMax = -xMin;
  double yMin = xMin, yMax = -xMin;
  for (const PlotSeries &s : panel.series)
    for (auto [x, y] : s.points) {
      if (!std::isfinite(x) || !std::isfinite(y))
        continue;
      xMin = std::min(xMin, x);
      xMax = std::max(xMax, x);
      yMin = std::min(yMin, y);
      yMax = std::max(yMax, y);
    }
  std::vector<double> xTicks = getNiceTicks(xMin, xMax, 8, panel.integerX);
  std::vector<double> yTicks = getNiceTicks(yMin, yMax, 6);
  double xLo = xTicks.front(), xHi = xTicks.back();
  double yLo = yTicks.front(), yHi = yTicks.back();
  auto px = [&](double x) { return Coord{x0 + (x - xLo) / (xHi - xLo) * plotW}; };
  auto py = [&](double y) { return Coord{y0 - (y - yLo) / (yHi - yLo) * plotH}; };

  os << "<g class=\"panel\">\n";
  os << "<text x=\"" << Coord{originX + left + plotW / 2} << "\" y=\"20\" "
     << "text-anchor=\"middle\" font-size=\"15\">" << escapeXml(panel.title)
     << "</text>\n";
  // Grid, ticks and tick labels.
  double xStep = xTicks.size() > 1 ? xTicks[1] - xTicks[0] : 1;
  double yStep = yTicks.size() > 1 ? yTicks[1] - yTicks[0] : 1;
  for (double t : xTicks) {
    os << "<line x1=\"" << px(t) << "\" y1=\"" << Coord{top} << "\" x2=\""
       << px(t) << "\" y2=\"" << Coord{y0 + 5}
       << "\" stroke=\"#dddddd\" stroke-width=\"1\"/>\n";
    os << "<text x=\"" << px(t) << "\" y=\"" << Coord{y0 + 19}
       << "\" text-anchor=\"middle\" font-size=\"11\">"
       << formatTick(t, xStep) << "</text>\n";
  }
  for (double t : yTicks) {
    os << "<line x1=\"" << Coord{x0 - 5} << "\" y1=\"" << py(t) << "\" x2=\""
       << Coord{x0 + plotW} << "\" y2=\"" << py(t)
       << "\" stroke=\"#dddddd\" stroke-width=\"1\"/>\n";
    os << "<text x=\"" << Coord{x0 - 8} << "\" y=\"" << Coord{py(t).value + 4}
       << "\" text-anchor=\"end\" font-size=\"11\">" << formatTick(t, yStep)
       << "</text>\n";
  }
  // Axes and their labels.
  os << "<line x1=\"" << Coord{x0} << "\" y1=\"" << Coord{y0} << "\" x2=\""
     << Coord{x0 + plotW} << "\" y2=\"" << Coord{y0}
     << "\" stroke=\"black\" stroke-width=\"1.2\"/>\n";
  os << "<line x1=\"" << Coord{x0} << "\" y1=\"" << Coord{y0} << "\" x2=\""
     << Coord{x0} << "\" y2=\"" << Coord{top}
     << "\" stroke=\"black\" stroke-width=\"1.2\"/>\n";
  os << "<text x=\"" << Coord{x0 + plotW / 2} << "\" y=\""
     << Coord{height - 8} << "\" text-anchor=\"middle\" font-size=\"12\">"
     << escapeXml(panel.xLabel) << "</text>\n";
  double labelY = top + plotH / 2;
  os << "<text x=\"" << Coord{originX + 16} << "\" y=\"" << Coord{labelY}
     << "\" text-anchor=\"middle\" font-size=\"12\" transform=\"rotate(-90 "
     << Coord{originX + 16} << " " << Coord{labelY} << ")\">"
     << escapeXml(panel.yLabel) << "</text>\n";

  // The curves, each a polyline with a dot per point.
  for (const PlotSeries &s : panel.series) {
    std::string color = escapeXml(s.color);
    os << "<polyline class=\"series\" fill=\"none\" stroke=\"" << color
       << "\" stroke-width=\"2\"" << (s.dashed ? " stroke-dasharray=\"6 4\"" : "")
       << " points=\"";
    bool firstPoint = true;
    for (auto [x, y] : s.points) {
      if (!std::isfinite(x) || !std::isfinite(y))
        continue;
      os << (firstPoint ? "" : " ") << px(x) << "," << py(y);
      firstPoint = false;
    }
    os << "\"/>\n";
    for (auto [x, y] : s.points)
      if (std::isfinite(x) && std::isfinite(y))
        os << "<circle cx=\"" << px(x) << "\" cy=\"" << py(y)
           << "\" r=\"2.5\" fill=\"" << color << "\"/>\n";
  }
  // Legend, top right inside the plot area.
  double legendY = top + 14;
  for (const PlotSeries &s : panel.series) {
    double lx = x0 + plotW - 120;
    os << "<line x1=\"" << Coord{lx} << "\" y1=\"" << Coord{legendY - 4}
       << "\" x2=\"" << Coord{lx + 22} << "\" y2=\"" << Coord{legendY - 4}
       << "\" stroke=\"" << escapeXml(s.color) << "\" stroke-width=\"2\""
       << (s.dashed ? " stroke-dasharray=\"6 4\"" : "") << "/>\n";
    os << "<text x=\"" << Coord{lx + 28} << "\" y=\"" << Coord{legendY}
       << "\" font-size=\"11\">" << escapeXml(s.name) << "</text>\n";
    legendY += 16;
  }
  os << "</g>\n";
}

void adjoint::training::writeSvgPlot(llvm::raw_ostream &os,
                                     llvm::ArrayRef<PlotPanel> panels) {
  constexpr double panelWidth = 480, height = 320;
  double width = panelWidth * std::max<size_t>(panels.size(), 1);
  os << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  os << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << Coord{width}
     << "\" height=\"" << Coord{height} << "\" viewBox=\"0 0 " << Coord{width}
     << " " << Coord{height} << "\" font-family=\"sans-serif\">\n";
  os << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  for (auto [i, panel] : llvm::enumerate(panels))
    writePanel(os, panel, panelWidth * static_cast<double>(i));
  os << "</svg>\n";
}
