// A small SVG plot writer: axes with ticks (linear or log), line and point
// series, error bars, heat-map grids with a colour legend, and legends.
// Output is deterministic (fixed float formatting), self-contained (no
// fonts or scripts fetched), and readable without JavaScript.
#ifndef GCPILOT_REPORT_SVG_H_
#define GCPILOT_REPORT_SVG_H_

#include <string>
#include <vector>

namespace gcpilot {

// Escapes &, <, >, " for text and attributes.
std::string XmlEscape(const std::string& s);

struct Axis {
  std::string label;
  bool log = false;         // base-10 log scale (all values > 0)
  double min = 0, max = 1;  // data range; widened to nice ticks
  // For the latency-percentile x axis: values are 1/(1-p) and ticks are
  // labelled as percentiles ("90%", "99%", "99.9%").
  bool percentile_ticks = false;
  // Categorical axis: values 0..n-1 labelled with these names.
  std::vector<std::string> categories;
};

struct Series {
  std::string name;
  std::string color;  // CSS colour
  std::vector<double> x, y;
  std::vector<double> y_err;  // optional: +- bars
  bool line = true, points = false;
  bool dashed = false;
};

struct Marker {  // a vertical line at x (e.g. a stop-the-world pause)
  double x;
  std::string color;
};

class XyPlot {
 public:
  XyPlot(std::string title, int width, int height) : title_(std::move(title)), w_(width), h_(height) {}
  Axis& x() { return x_; }
  Axis& y() { return y_; }
  void Add(Series s) { series_.push_back(std::move(s)); }
  void AddMarker(Marker m) { markers_.push_back(m); }
  // Fits both axes to the data (with a margin on linear axes).
  void FitAxes();
  std::string Render() const;

 private:
  std::string title_;
  int w_, h_;
  Axis x_, y_;
  std::vector<Series> series_;
  std::vector<Marker> markers_;
};

// A heat map: rows x columns of values (NaN: no data), cells coloured from
// the lowest (green) to the highest (red) with the value written in, and a
// colour legend.
std::string HeatMap(const std::string& title, const std::string& row_label, const std::vector<std::string>& rows,
                    const std::string& col_label, const std::vector<std::string>& cols,
                    const std::vector<std::vector<double>>& v, const std::string& unit);

// Tick positions for a linear axis over [lo, hi]: 1, 2 or 5 x 10^k steps.
std::vector<double> NiceTicks(double lo, double hi, int target = 6);

}  // namespace gcpilot

#endif  // GCPILOT_REPORT_SVG_H_
