//===- SvgPlotTest.cpp - Tests of the SVG writer --------------------------===//

#include "adjoint/Training/SvgPlot.h"

#include "gtest/gtest.h"

using namespace adjoint::training;

namespace {

TEST(SvgPlot, NiceTicksCoverTheRange) {
  EXPECT_EQ(getNiceTicks(0.13, 0.92, 6),
            (std::vector<double>{0, 0.2, 0.4, 0.6000000000000001,
                                 0.8, 1}));
  std::vector<double> ticks = getNiceTicks(1, 20, 8, /*integer=*/true);
  EXPECT_EQ(ticks.front(), 0);
  EXPECT_EQ(ticks.back(), 20);
  EXPECT_EQ(ticks[1] - ticks[0], 5);
  // Integer ticks never step by less than 1.
  EXPECT_EQ(getNiceTicks(1, 2, 8, true), (std::vector<double>{1, 2}));
  // An empty range is widened.
  std::vector<double> flat = getNiceTicks(0.5, 0.5, 5);
  EXPECT_LT(flat.front(), 0.5);
  EXPECT_GT(flat.back(), 0.5);
}

TEST(SvgPlot, EscapesText) {
  EXPECT_EQ(escapeXml("a<b & \"c\">'d'"),
            "a&lt;b &amp; &quot;c&quot;&gt;&apos;d&apos;");
}

TEST(SvgPlot, WritesPanelsWithAxesTicksAndLegend) {
  PlotPanel panel{"Loss <train>", "epoch", "loss", true, {}};
  panel.series.push_back({"training", "#1f77b4", false, {{1, 2.0}, {2, 1.0}}});
  panel.series.push_back({"validation", "#ff7f0e", true, {{1, 2.5}, {2, 1.5}}});
  std::string text;
  llvm::raw_string_ostream os(text);
  writeSvgPlot(os, {panel, panel});
  EXPECT_EQ(text.rfind("<?xml", 0), 0u);
  EXPECT_NE(text.find("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"960.00\""),
            std::string::npos);
  EXPECT_EQ(text.substr(text.size() - 7), "</svg>\n");
  EXPECT_NE(text.find("Loss &lt;train&gt;"), std::string::npos);
  EXPECT_EQ(text.find("<train>"), std::string::npos);
  EXPECT_NE(text.find(">epoch</text>"), std::string::npos);
  EXPECT_NE(text.find(">validation</text>"), std::string::npos);
  EXPECT_NE(text.find("stroke-dasharray"), std::string::npos);
  // Two panels of two series each.
  size_t count = 0;
  for (size_t pos = text.find("<polyline"); pos != std::string::npos;
       pos = text.find("<polyline", pos + 1))
    ++count;
  EXPECT_EQ(count, 4u);
  // y ticks 1.0 .. 2.5 step 0.5 are labeled with one decimal.
  EXPECT_NE(text.find(">1.5</text>"), std::string::npos);
}

} // namespace
