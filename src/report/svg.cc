#include "report/svg.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>

#include <fmt/format.h>

namespace gcpilot {
namespace {

constexpr int kLeft = 64, kRight = 34, kTop = 30, kBottom = 46;

std::string Num(double v) {  // compact, deterministic tick labels
  if (v == 0) return "0";
  const double a = std::fabs(v);
  if (a >= 1e6 || a < 1e-3) return fmt::format("{:.0e}", v);
  if (a >= 100) return fmt::format("{:.0f}", v);
  if (a >= 10) return fmt::format("{:.1f}", v).ends_with(".0") ? fmt::format("{:.0f}", v) : fmt::format("{:.1f}", v);
  std::string s = fmt::format("{:.3f}", v);
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

std::string Pct(double one_over) {  // 1/(1-p) -> "99.9%"
  const double p = 100 * (1 - 1 / one_over);
  std::string s = fmt::format("{:.4f}", p);
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s + "%";
}

// Green (low) to yellow to red (high), t in [0, 1].
std::string Ramp(double t) {
  t = std::clamp(t, 0.0, 1.0);
  const int r = t < 0.5 ? static_cast<int>(80 + 350 * t) : 235;
  const int g = t < 0.5 ? 190 : static_cast<int>(190 - 300 * (t - 0.5));
  return fmt::format("rgb({},{},90)", std::min(r, 235), std::max(g, 40));
}

}  // namespace

std::string XmlEscape(const std::string& s) {
  std::string o;
  for (char c : s) {
    switch (c) {
      case '&':
        o += "&amp;";
        break;
      case '<':
        o += "&lt;";
        break;
      case '>':
        o += "&gt;";
        break;
      case '"':
        o += "&quot;";
        break;
      default:
        o += c;
    }
  }
  return o;
}

std::vector<double> NiceTicks(double lo, double hi, int target) {
  if (!(hi > lo)) hi = lo + 1;
  const double raw = (hi - lo) / target;
  const double mag = std::pow(10, std::floor(std::log10(raw)));
  double step = mag;
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    if (m * mag >= raw) {
      step = m * mag;
      break;
    }
  }
  std::vector<double> t;
  const double k0 = std::ceil(lo / step - 1e-9);
  for (int i = 0;; ++i) {
    // Rounded to the step's decimals, so labels and goldens stay exact.
    const double v = std::round((k0 + i) * step / mag * 1e6) * mag / 1e6;
    if (v > hi + step * 1e-9) break;
    t.push_back(std::fabs(v) < step * 1e-9 ? 0 : v);
  }
  return t;
}

namespace {

constexpr double kPointR = 4, kRingR = 7;
// Room inside the frame around the outermost values, so a ring (the
// largest mark) around an extreme point stays inside.
constexpr double kPadPx = kRingR + 2;
constexpr double kLegendRowPx = 16;

struct Range {
  double lo = std::numeric_limits<double>::infinity(), hi = -std::numeric_limits<double>::infinity();
  void Add(double v) {
    if (!std::isfinite(v)) return;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
};

// Widens `r` to nice bounds on `a`, with `low_px` and `high_px` of the
// frame's `span_px` to spare at either end of a linear axis; a y axis (or
// a non-negative one) of values >= 0 starts at 0.
void FitAxis(Axis& a, Range r, bool is_y, double span_px, double low_px = kPadPx, double high_px = kPadPx) {
  if (!std::isfinite(r.lo)) r = a.log ? Range{1, 10} : Range{0, 1};
  if (a.log) {
    a.min = std::pow(10, std::floor(std::log10(r.lo)));
    a.max = std::pow(10, std::ceil(std::log10(r.hi)));
    if (a.max <= a.min) a.max = a.min * 10;
    return;
  }
  if (r.hi == r.lo) r.hi = r.lo + 1;
  const auto t = NiceTicks(r.lo, r.hi);
  a.min = std::min(r.lo, t.front());
  a.max = std::max(r.hi, t.back());
  if ((is_y || a.nonnegative) && r.lo >= 0) a.min = std::min(a.min, 0.0);
  const double per_px = (a.max - a.min) / std::max(1.0, span_px - low_px - high_px);
  a.min -= low_px * per_px;
  a.max += high_px * per_px;
}

// Each entry's (x, row) under the frame, wrapping at the plot's width.
template <typename Entry>
std::vector<std::pair<double, int>> LegendLayout(const std::vector<Entry>& es, double left, double width) {
  std::vector<std::pair<double, int>> at;
  double x = left;
  int row = 0;
  for (const Entry& e : es) {
    const double w = 16 + TextWidthPx(e.name, 11) + 14;
    if (x > left && x + w > width - 6) x = left, ++row;
    at.push_back({x, row});
    x += w;
  }
  return at;
}

}  // namespace

struct XyPlot::Frame {
  double left, top, pw, ph;
  const Axis *xa, *ya;
  double X(double v) const { return left + Unit(*xa, v) * pw; }
  double Y(double v) const { return top + (1 - Unit(*ya, v)) * ph; }
  double bottom() const { return top + ph; }
  double right() const { return left + pw; }
  static double Unit(const Axis& a, double v) {
    if (a.log) return (std::log10(std::max(v, a.min)) - std::log10(a.min)) / (std::log10(a.max) - std::log10(a.min));
    return (v - a.min) / (a.max - a.min);
  }
};

void XyPlot::FitAxes() {
  Range xr, yr;
  for (const Series& s : series_) {
    for (size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
      xr.Add(s.x[i]);
      if (i < s.x_to.size()) xr.Add(s.x_to[i]);
      const double e = i < s.y_err.size() ? s.y_err[i] : 0;
      yr.Add(s.y[i] + e);
      const double low = s.y[i] - e;
      if (y_.log && low <= 0) {
        yr.Add(s.y[i]);
      } else {
        yr.Add(y_.nonnegative ? std::max(low, 0.0) : low);
      }
    }
  }
  for (const Marker& m : markers_) xr.Add(m.x);
  for (const Band& b : bands_) xr.Add(b.x0), xr.Add(b.x1);
  for (const Ring& r : rings_) xr.Add(r.x), yr.Add(r.y);
  // Room over the data for the spans' labels, under it for the pause ticks.
  bool band_labels = false;
  for (const Band& b : bands_) band_labels = band_labels || !b.label.empty();
  FitAxis(x_, xr, false, w_ - kLeft - kRight);
  FitAxis(y_, yr, true, h_ - kTop - kBottom, markers_.empty() ? kPadPx : 16, band_labels ? 18 : kPadPx);
  if (!x_.categories.empty()) {
    x_.min = -0.5;
    x_.max = static_cast<double>(x_.categories.size()) - 0.5;
  }
}

std::vector<XyPlot::LegendEntry> XyPlot::LegendEntries() const {
  using Swatch = LegendEntry::Swatch;
  std::vector<LegendEntry> es;
  for (const Series& se : series_) {
    if (se.name.empty()) continue;
    es.push_back({se.name, se.color, se.line || !se.x_to.empty() ? Swatch::kLine : Swatch::kPoint});
  }
  for (const Band& b : bands_) {
    const bool listed = std::any_of(es.begin(), es.end(), [&](const LegendEntry& e) { return e.name == b.legend; });
    if (!b.legend.empty() && !listed) es.push_back({b.legend, b.color, Swatch::kBand});
  }
  if (!marker_name_.empty() && !markers_.empty()) es.push_back({marker_name_, markers_.front().color, Swatch::kTick});
  for (const Ring& r : rings_) {
    if (!r.name.empty()) es.push_back({r.name, r.color, Swatch::kRing});
  }
  return es;
}

int XyPlot::LegendRows() const {
  const auto at = LegendLayout(LegendEntries(), kLeft, w_);
  return at.empty() ? 0 : at.back().second + 1;
}

std::string XyPlot::RenderTicks(const Frame& f) const {
  auto ticks = [](const Axis& a) {
    std::vector<double> t;
    if (!a.categories.empty()) {
      for (size_t i = 0; i < a.categories.size(); ++i) t.push_back(static_cast<double>(i));
    } else if (a.log) {
      for (double v = a.min; v <= a.max * 1.0001; v *= 10) t.push_back(v);
    } else {
      for (double v : NiceTicks(a.min, a.max)) {
        if (v >= a.min - 1e-12 && v <= a.max + 1e-12 && !(a.nonnegative && v < 0)) t.push_back(v);
      }
    }
    return t;
  };
  std::string s;
  for (double v : ticks(x_)) {
    const double px = f.X(v);
    s += fmt::format("<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#e3e3e3\"/>\n", px, f.top,
                     px, f.bottom());
    s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{}</text>\n", px, f.bottom() + 14,
                     !x_.categories.empty() ? XmlEscape(x_.categories[static_cast<size_t>(v)])
                     : x_.percentile_ticks  ? Pct(v)
                                            : Num(v));
  }
  for (double v : ticks(y_)) {
    const double py = f.Y(v);
    s += fmt::format("<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#e3e3e3\"/>\n", f.left, py,
                     f.right(), py);
    s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>\n", f.left - 4, py + 4, Num(v));
  }
  return s;
}

std::string XyPlot::RenderBands(const Frame& f) const {
  std::string s;
  for (const Band& b : bands_) {
    const double w = std::min(std::max(f.X(b.x1) - f.X(b.x0), b.min_px), f.pw);
    const double x0 = std::clamp(f.X(b.x0), f.left, f.right() - w);
    s += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"{}\"/>\n", x0, f.top, w,
                     f.ph, b.color);
  }
  return s;
}

// Drawn over the gridlines, each on a patch of its band's colour, so no
// gridline strikes through it (FitAxes leaves room for it over the data).
std::string XyPlot::RenderBandLabels(const Frame& f) const {
  std::string s;
  for (const Band& b : bands_) {
    const double x0 = f.X(b.x0), x1 = f.X(b.x1), w = TextWidthPx(b.label, 10);
    if (b.label.empty() || w + 6 > x1 - x0) continue;
    s += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"13\" fill=\"{}\"/>\n", x0 + 1,
                     f.top + 1, w + 4, b.color);
    s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"10\" fill=\"#666\">{}</text>\n", x0 + 3, f.top + 12,
                     XmlEscape(b.label));
  }
  return s;
}

std::string XyPlot::RenderSeries(const Frame& f) const {
  std::string s;
  for (const Series& se : series_) {
    const size_t n = std::min(se.x.size(), se.y.size());
    const std::string dash = se.dashed ? " stroke-dasharray=\"5,3\"" : "";
    if (!se.x_to.empty()) {
      for (size_t i = 0; i < n && i < se.x_to.size(); ++i) {
        // 1 px short of the next step: one level per span, not a line.
        const double x0 = f.X(se.x[i]), x1 = std::max(x0, f.X(se.x_to[i]) - 1);
        s += fmt::format(
            "<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"{}\" stroke-width=\"2.5\"{}/>\n",
            x0, f.Y(se.y[i]), x1, f.Y(se.y[i]), se.color, dash);
      }
    } else if (se.line && n > 1) {
      std::string pts;
      for (size_t i = 0; i < n; ++i) {
        if (x_.log && se.x[i] <= 0) continue;
        pts += fmt::format("{}{:.1f},{:.1f}", pts.empty() ? "" : " ", f.X(se.x[i]), f.Y(se.y[i]));
      }
      s += fmt::format("<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"{}/>\n", pts, se.color,
                       dash);
    }
    for (size_t i = 0; i < n; ++i) {
      const double px = f.X(se.x[i]);
      if (i < se.y_err.size() && se.y_err[i] > 0) {
        const double low = se.y[i] - se.y_err[i];
        const bool cut = y_.nonnegative && low < 0;
        const double top = f.Y(se.y[i] + se.y_err[i]), bottom = f.Y(cut ? 0 : low);
        s += fmt::format("<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\" stroke=\"{3}\"/>\n", px,
                         top, bottom, se.color);
        s += fmt::format("<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"{}\"/>\n", px - 4, top,
                         px + 4, top, se.color);
        if (cut) {  // a chevron pointing down: the bar goes on below 0, not drawn
          s += fmt::format(
              "<polyline points=\"{:.1f},{:.1f} {:.1f},{:.1f} {:.1f},{:.1f}\" fill=\"none\" stroke=\"{}\" "
              "stroke-width=\"1.5\"><title>spread bar cut at 0 (mean - sd = {})</title></polyline>\n",
              px - 4, bottom - 6, px, bottom - 1, px + 4, bottom - 6, se.color, Num(low));
        } else {
          s += fmt::format("<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"{}\"/>\n", px - 4,
                           bottom, px + 4, bottom, se.color);
        }
      }
      if (se.points) {
        s += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"{}\" fill=\"{}\"/>\n", px, f.Y(se.y[i]), kPointR,
                         se.color);
      }
    }
  }
  return s;
}

std::string XyPlot::RenderMarks(const Frame& f) const {
  std::string s;
  for (const Marker& m : markers_) {  // 3 px wide whatever the pause: a real one is far under a pixel
    s += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"3\" height=\"12\" fill=\"{}\"/>\n", f.X(m.x) - 1.5,
                     f.bottom() - 12, m.color);
  }
  for (const Ring& r : rings_) {
    s += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"/>\n",
                     f.X(r.x), f.Y(r.y), kRingR, r.color);
  }
  return s;
}

// Each label goes beside its point: right, then left, then further up or
// down (joined by a leader line), at the first place inside the frame that
// covers no label placed before it and no point.
std::string XyPlot::RenderLabels(const Frame& f) const {
  struct Box {
    double x0, y0, x1, y1;
    bool Hits(const Box& o) const { return x0 < o.x1 && o.x0 < x1 && y0 < o.y1 && o.y0 < y1; }
  };
  std::vector<Box> taken;
  for (const Series& se : series_) {
    if (!se.points) continue;
    for (size_t i = 0; i < se.x.size() && i < se.y.size(); ++i) {
      const double px = f.X(se.x[i]), py = f.Y(se.y[i]);
      taken.push_back({px - kPointR, py - kPointR, px + kPointR, py + kPointR});
    }
  }
  std::string s;
  for (const PointLabel& l : labels_) {
    const double px = f.X(l.x), py = f.Y(l.y), w = TextWidthPx(l.text, 10);
    std::optional<Box> pick, fallback;
    double base_y = 0;
    for (int k = 0; k < 24 && !pick; ++k) {
      const double dy = k / 2 == 0 ? 4 : (k / 2 % 2 ? -1 : 1) * 12.0 * ((k / 2 + 1) / 2) + 4;
      const double x0 = k % 2 == 0 ? px + 9 : px - 9 - w;
      const Box b{x0, py + dy - 9, x0 + w, py + dy + 3};
      if (b.x0 < f.left + 1 || b.x1 > f.right() - 1 || b.y0 < f.top + 1 || b.y1 > f.bottom() - 1) continue;
      if (!fallback) fallback = b;
      bool clear = true;
      for (const Box& t : taken) clear = clear && !b.Hits(t);
      if (clear) pick = b;
    }
    if (!pick) pick = fallback ? fallback : Box{px + 9, py - 5, px + 9 + w, py + 7};
    base_y = pick->y1 - 3;
    taken.push_back(*pick);
    if (std::fabs(base_y - 4 - py) > 6) {  // moved off its point: a leader line back to it
      const double lx = pick->x0 > px ? pick->x0 - 1 : pick->x1 + 1;
      s += fmt::format("<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#aaa\"/>\n", px, py, lx,
                       base_y - 4);
    }
    s += fmt::format("<text class=\"point-label\" x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"10\">{}</text>\n", pick->x0,
                     base_y, XmlEscape(l.text));
  }
  return s;
}

std::string XyPlot::RenderLegend(const Frame& f, double top) const {
  using Swatch = LegendEntry::Swatch;
  const std::vector<LegendEntry> es = LegendEntries();
  if (es.empty()) return "";
  const auto at = LegendLayout(es, f.left, w_);
  std::string s = "<g class=\"legend\">\n";
  for (size_t i = 0; i < es.size(); ++i) {
    const double x = at[i].first, y = top + kLegendRowPx * at[i].second + 11;
    const LegendEntry& e = es[i];
    switch (e.swatch) {
      case Swatch::kLine:
        s +=
            fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"12\" height=\"4\" fill=\"{}\"/>\n", x, y - 5, e.color);
        break;
      case Swatch::kPoint:
        s +=
            fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"{}\" fill=\"{}\"/>\n", x + 6, y - 4, kPointR, e.color);
        break;
      case Swatch::kRing:
        s += fmt::format(
            "<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"5\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"/>\n", x + 6,
            y - 4, e.color);
        break;
      case Swatch::kBand:
        s += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"12\" height=\"10\" fill=\"{}\"/>\n", x, y - 8,
                         e.color);
        break;
      case Swatch::kTick:
        s += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"3\" height=\"12\" fill=\"{}\"/>\n", x + 4, y - 10,
                         e.color);
        break;
    }
    s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\">{}</text>\n", x + 16, y, XmlEscape(e.name));
  }
  return s + "</g>\n";
}

std::string XyPlot::Render() const {
  const Frame f{kLeft, kTop, static_cast<double>(w_ - kLeft - kRight), static_cast<double>(h_ - kTop - kBottom),
                &x_,   &y_};
  const int rows = LegendRows();
  const int h = h_ + (rows ? static_cast<int>(kLegendRowPx * rows) + 4 : 0);
  std::string s = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" "
      "font-family=\"sans-serif\" font-size=\"11\">\n",
      w_, h, w_, h);
  s += fmt::format("<rect class=\"background\" x=\"0\" y=\"0\" width=\"{}\" height=\"{}\" fill=\"#fff\"/>\n", w_, h);
  s += fmt::format("<text x=\"{}\" y=\"18\" font-size=\"13\" font-weight=\"bold\">{}</text>\n", kLeft,
                   XmlEscape(title_));
  s += RenderBands(f);
  s += RenderTicks(f);
  s += RenderBandLabels(f);
  s += fmt::format(
      "<rect class=\"frame\" x=\"{}\" y=\"{}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"none\" stroke=\"#555\"/>\n",
      kLeft, kTop, f.pw, f.ph);
  s += fmt::format("<text x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n", f.left + f.pw / 2, h_ - 8,
                   XmlEscape(x_.label));
  s += fmt::format("<text x=\"12\" y=\"{:.1f}\" text-anchor=\"middle\" transform=\"rotate(-90 12 {:.1f})\">{}</text>\n",
                   f.top + f.ph / 2, f.top + f.ph / 2, XmlEscape(y_.label));
  s += RenderSeries(f);
  s += RenderMarks(f);
  s += RenderLabels(f);
  s += RenderLegend(f, h_);
  s += "</svg>\n";
  return s;
}

double TextWidthPx(const std::string& text, double font_px) {
  double em = 0;
  for (unsigned char c : text) {
    if (c >= 0x80 && c < 0xc0) continue;  // a UTF-8 continuation byte: counted with its lead byte
    if (c == 'M' || c == 'W' || c == 'm' || c == 'w') {
      em += 0.86;
    } else if (std::isupper(c)) {
      em += 0.72;
    } else if (std::isdigit(c) || c == '=' || c == '_' || c >= 0x80) {
      em += 0.6;
    } else if (std::islower(c)) {
      em += 0.56;
    } else {
      em += 0.36;  // space and punctuation
    }
  }
  return em * font_px;
}

std::string HeatMap(const std::string& title, const std::string& row_label, const std::vector<std::string>& rows,
                    const std::string& col_label, const std::vector<std::string>& cols,
                    const std::vector<std::vector<double>>& v, const std::string& unit,
                    std::optional<std::pair<size_t, size_t>> marked, const std::string& marked_note) {
  constexpr int kCellW = 90, kCellH = 34, kX0 = 110, kY0 = 58;
  const int w = kX0 + kCellW * static_cast<int>(cols.size()) + 110;
  const int grid_bottom = kY0 + kCellH * static_cast<int>(rows.size());
  const int h = grid_bottom + (marked ? 40 : 30);
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (const auto& r : v) {
    for (double x : r) {
      if (!std::isnan(x)) lo = std::min(lo, x), hi = std::max(hi, x);
    }
  }
  if (!std::isfinite(lo)) lo = 0, hi = 1;
  const double span = hi > lo ? hi - lo : 1;
  std::string s = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" "
      "font-family=\"sans-serif\" font-size=\"11\">\n<rect class=\"background\" x=\"0\" y=\"0\" width=\"{}\" "
      "height=\"{}\" "
      "fill=\"#fff\"/>\n",
      w, h, w, h, w, h);
  s += fmt::format("<text x=\"8\" y=\"18\" font-size=\"13\" font-weight=\"bold\">{}</text>\n", XmlEscape(title));
  s += fmt::format("<text x=\"{}\" y=\"40\" text-anchor=\"middle\">{}</text>\n",
                   kX0 + kCellW * static_cast<int>(cols.size()) / 2, XmlEscape(col_label));
  s += fmt::format("<text x=\"8\" y=\"{}\">{}</text>\n", kY0 - 6, XmlEscape(row_label));
  for (size_t c = 0; c < cols.size(); ++c) {
    s += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n", kX0 + kCellW * c + kCellW / 2,
                     kY0 - 6, XmlEscape(cols[c]));
  }
  for (size_t r = 0; r < rows.size(); ++r) {
    const int y = kY0 + kCellH * static_cast<int>(r);
    s += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\n", kX0 - 6, y + kCellH / 2 + 4,
                     XmlEscape(rows[r]));
    for (size_t c = 0; c < cols.size(); ++c) {
      const int x = kX0 + kCellW * static_cast<int>(c);
      const double val = r < v.size() && c < v[r].size() ? v[r][c] : std::nan("");
      const std::string fill = std::isnan(val) ? "#eee" : Ramp((val - lo) / span);
      s += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\" stroke=\"#fff\"/>\n", x, y,
                       kCellW, kCellH, fill);
      s += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n", x + kCellW / 2, y + kCellH / 2 + 4,
                       std::isnan(val) ? "-" : fmt::format("{:.3f}", val));
    }
  }
  if (marked && marked->first < rows.size() && marked->second < cols.size()) {
    s += fmt::format(
        "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"#111\" "
        "stroke-width=\"3\"/>\n",
        kX0 + kCellW * static_cast<double>(marked->second) + 1.5,
        kY0 + kCellH * static_cast<double>(marked->first) + 1.5, kCellW - 3, kCellH - 3);
    s += fmt::format("<text x=\"8\" y=\"{}\">{}</text>\n", grid_bottom + 22, XmlEscape(marked_note));
  }
  // Colour legend: a vertical ramp with the low and high values.
  const int lx = kX0 + kCellW * static_cast<int>(cols.size()) + 24, lh = kCellH * static_cast<int>(rows.size());
  for (int i = 0; i < 10; ++i) {
    s += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"14\" height=\"{:.1f}\" fill=\"{}\"/>\n", lx,
                     kY0 + lh * (9 - i) / 10.0, lh / 10.0 + 0.5, Ramp(i / 9.0));
  }
  s += fmt::format("<text x=\"{}\" y=\"{}\">{:.3f} {}</text>\n", lx + 18, kY0 + 10, hi, XmlEscape(unit));
  s += fmt::format("<text x=\"{}\" y=\"{}\">{:.3f} {}</text>\n", lx + 18, kY0 + lh, lo, XmlEscape(unit));
  s += "</svg>\n";
  return s;
}

}  // namespace gcpilot
