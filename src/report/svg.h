// A small SVG plot writer: axes with ticks (linear or log), point, line and
// step series, error bars, shaded spans, pause ticks, labelled and ringed
// points, heat-map grids with a colour legend, and legends.
// Output is deterministic (fixed float formatting), self-contained (no
// fonts or scripts fetched), and readable without JavaScript.
//
// Everything a plot draws from data stays inside its frame (the
// <rect class="frame">): FitAxes widens the ranges to hold every value,
// bar end, span and mark with room for a point's radius, and a spread bar
// that would cross 0 on a non-negative axis is cut at 0 and ends in a
// chevron. Legends sit under the frame (<g class="legend">), so they never
// cover data. tests/report_browser_test.sh checks all of it in Chromium:
// every line, curve, point, bar, band and tick (every element but the
// frame, the <rect class="background"> and the legends).
#ifndef GCPILOT_REPORT_SVG_H_
#define GCPILOT_REPORT_SVG_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace gcpilot {

// Escapes &, <, >, " for text and attributes.
std::string XmlEscape(const std::string& s);

struct Axis {
  std::string label;
  bool log = false;         // base-10 log scale (all values > 0)
  double min = 0, max = 1;  // data range; widened to nice ticks
  // Never below 0 (latencies, sizes): no tick under 0, and spread bars
  // that would reach below it are cut at 0 and marked.
  bool nonnegative = false;
  // For the latency-percentile x axis: values are 1/(1-p) and ticks are
  // labelled as percentiles ("90%", "99%", "99.9%").
  bool percentile_ticks = false;
  // Categorical axis: values 0..n-1 labelled with these names.
  std::vector<std::string> categories;
};

struct Series {
  std::string name;   // in the legend ("" = not listed)
  std::string color;  // CSS colour
  std::vector<double> x, y;
  std::vector<double> y_err;  // optional: +- bars
  // Optional: value i holds from x[i] to x_to[i], drawn as a level
  // segment (a step); nothing joins one segment to the next.
  std::vector<double> x_to;
  bool line = true, points = false;
  bool dashed = false;
};

struct Marker {  // a tick at x on the frame's bottom edge (e.g. a stop-the-world pause)
  double x;
  std::string color;
};

struct Band {  // a shaded span of x over the frame's height, its label at the top
  double x0, x1;
  std::string color, label;
  // Named in the legend (once per name: many spans can share one entry);
  // "" = not listed.
  std::string legend = "";
  // Drawn at least this wide (pixels, kept inside the frame), so a span far
  // under a pixel (a stop-the-world phase on a seconds axis) still shows.
  double min_px = 0;
};

struct PointLabel {  // text beside the point (x, y), placed clear of other labels and points
  double x, y;
  std::string text;
};

struct Ring {  // a ring around the point (x, y), named in the legend
  double x, y;
  std::string color, name;
};

class XyPlot {
 public:
  XyPlot(std::string title, int width, int height) : title_(std::move(title)), w_(width), h_(height) {}
  Axis& x() { return x_; }
  Axis& y() { return y_; }
  void Add(Series s) { series_.push_back(std::move(s)); }
  void AddMarker(Marker m) { markers_.push_back(m); }
  // The legend's name for the markers ("" = not listed).
  void NameMarkers(std::string name) { marker_name_ = std::move(name); }
  void AddBand(Band b) { bands_.push_back(std::move(b)); }
  void AddLabel(PointLabel l) { labels_.push_back(std::move(l)); }
  void AddRing(Ring r) { rings_.push_back(std::move(r)); }
  // Fits both axes to everything added (values, bars, spans, marks, rings),
  // with room for a point's radius inside the frame.
  void FitAxes();
  // The SVG: `width` x `height` plus the legend's rows under the frame.
  std::string Render() const;

 private:
  struct Frame;  // pixel geometry of the frame and the axes' scales
  std::string RenderTicks(const Frame& f) const;
  std::string RenderBands(const Frame& f) const;
  std::string RenderBandLabels(const Frame& f) const;
  std::string RenderSeries(const Frame& f) const;
  std::string RenderMarks(const Frame& f) const;
  std::string RenderLabels(const Frame& f) const;
  std::string RenderLegend(const Frame& f, double top) const;
  struct LegendEntry {
    enum class Swatch { kLine, kPoint, kRing, kTick, kBand };  // what its sample looks like
    std::string name, color;
    Swatch swatch;
  };
  std::vector<LegendEntry> LegendEntries() const;  // series, bands, markers, then rings
  int LegendRows() const;

  std::string title_;
  int w_, h_;
  Axis x_, y_;
  std::vector<Series> series_;
  std::vector<Marker> markers_;
  std::string marker_name_;
  std::vector<Band> bands_;
  std::vector<PointLabel> labels_;
  std::vector<Ring> rings_;
};

// A heat map: rows x columns of values (NaN: no data), cells coloured from
// the lowest (green) to the highest (red) with the value written in, and a
// colour legend. `marked` (row, column), if given, is outlined and named
// under the grid with `marked_note`.
std::string HeatMap(const std::string& title, const std::string& row_label, const std::vector<std::string>& rows,
                    const std::string& col_label, const std::vector<std::string>& cols,
                    const std::vector<std::vector<double>>& v, const std::string& unit,
                    std::optional<std::pair<size_t, size_t>> marked = std::nullopt,
                    const std::string& marked_note = "");

// Tick positions for a linear axis over [lo, hi]: 1, 2 or 5 x 10^k steps.
std::vector<double> NiceTicks(double lo, double hi, int target = 6);

// The width in pixels a line of `text` takes at `font_px`, estimated on
// the wide side (capitals and digits of a sans-serif font), for layout.
double TextWidthPx(const std::string& text, double font_px);

}  // namespace gcpilot

#endif  // GCPILOT_REPORT_SVG_H_
