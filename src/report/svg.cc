#include "report/svg.h"

#include <algorithm>
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

void XyPlot::FitAxes() {
  auto fit = [](Axis& a, bool is_x, const std::vector<Series>& ss, const std::vector<Marker>& ms) {
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (const Series& s : ss) {
      const auto& v = is_x ? s.x : s.y;
      for (size_t i = 0; i < v.size(); ++i) {
        const double e = (!is_x && i < s.y_err.size()) ? s.y_err[i] : 0;
        if (a.log && v[i] - e <= 0) {
          if (v[i] > 0) lo = std::min(lo, v[i]);
        } else {
          lo = std::min(lo, v[i] - e);
        }
        hi = std::max(hi, v[i] + e);
      }
    }
    if (is_x) {
      for (const Marker& m : ms) {
        lo = std::min(lo, m.x);
        hi = std::max(hi, m.x);
      }
    }
    if (!std::isfinite(lo)) lo = a.log ? 1 : 0, hi = a.log ? 10 : 1;
    if (a.log) {
      a.min = std::pow(10, std::floor(std::log10(lo)));
      a.max = std::pow(10, std::ceil(std::log10(hi)));
      if (a.max <= a.min) a.max = a.min * 10;
    } else {
      if (hi == lo) hi = lo + 1;
      const auto t = NiceTicks(lo, hi);
      a.min = std::min(lo, t.front());
      a.max = std::max(hi, t.back());
      if (!is_x && lo >= 0) a.min = std::min(a.min, 0.0);
    }
  };
  fit(x_, true, series_, markers_);
  fit(y_, false, series_, markers_);
  if (!x_.categories.empty()) {
    x_.min = -0.5;
    x_.max = static_cast<double>(x_.categories.size()) - 0.5;
  }
}

std::string XyPlot::Render() const {
  const double pw = w_ - kLeft - kRight, ph = h_ - kTop - kBottom;
  auto sx = [&](double v) {
    const double t = x_.log ? (std::log10(v) - std::log10(x_.min)) / (std::log10(x_.max) - std::log10(x_.min))
                            : (v - x_.min) / (x_.max - x_.min);
    return kLeft + t * pw;
  };
  auto sy = [&](double v) {
    const double t =
        y_.log ? (std::log10(std::max(v, y_.min)) - std::log10(y_.min)) / (std::log10(y_.max) - std::log10(y_.min))
               : (v - y_.min) / (y_.max - y_.min);
    return kTop + (1 - t) * ph;
  };
  std::string s = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" "
      "font-family=\"sans-serif\" font-size=\"11\">\n",
      w_, h_, w_, h_);
  s += fmt::format("<rect x=\"0\" y=\"0\" width=\"{}\" height=\"{}\" fill=\"#fff\"/>\n", w_, h_);
  s += fmt::format("<text x=\"{}\" y=\"18\" font-size=\"13\" font-weight=\"bold\">{}</text>\n", kLeft,
                   XmlEscape(title_));
  // Ticks and grid.
  auto ticks = [](const Axis& a) {
    std::vector<double> t;
    if (!a.categories.empty()) {
      for (size_t i = 0; i < a.categories.size(); ++i) t.push_back(static_cast<double>(i));
    } else if (a.log) {
      for (double v = a.min; v <= a.max * 1.0001; v *= 10) t.push_back(v);
    } else {
      for (double v : NiceTicks(a.min, a.max)) {
        if (v >= a.min - 1e-12 && v <= a.max + 1e-12) t.push_back(v);
      }
    }
    return t;
  };
  for (double v : ticks(x_)) {
    const double px = sx(v);
    s += fmt::format("<line x1=\"{:.1f}\" y1=\"{}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#e3e3e3\"/>\n", px, kTop, px,
                     kTop + ph);
    s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{}</text>\n", px, kTop + ph + 14,
                     !x_.categories.empty() ? XmlEscape(x_.categories[static_cast<size_t>(v)])
                     : x_.percentile_ticks  ? Pct(v)
                                            : Num(v));
  }
  for (double v : ticks(y_)) {
    const double py = sy(v);
    s += fmt::format("<line x1=\"{}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#e3e3e3\"/>\n", kLeft, py,
                     kLeft + pw, py);
    s += fmt::format("<text x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>\n", kLeft - 4, py + 4, Num(v));
  }
  s += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"none\" stroke=\"#555\"/>\n",
                   kLeft, kTop, pw, ph);
  s += fmt::format("<text x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n", kLeft + pw / 2, h_ - 8,
                   XmlEscape(x_.label));
  s += fmt::format("<text x=\"12\" y=\"{:.1f}\" text-anchor=\"middle\" transform=\"rotate(-90 12 {:.1f})\">{}</text>\n",
                   kTop + ph / 2, kTop + ph / 2, XmlEscape(y_.label));
  for (const Marker& m : markers_) {
    s += fmt::format("<line x1=\"{:.1f}\" y1=\"{}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"{}\" stroke-width=\"1\"/>\n",
                     sx(m.x), kTop, sx(m.x), kTop + 8.0, m.color);
  }
  // Series.
  for (const Series& se : series_) {
    if (se.line && se.x.size() > 1) {
      std::string pts;
      for (size_t i = 0; i < se.x.size(); ++i) {
        if (x_.log && se.x[i] <= 0) continue;
        pts += fmt::format("{}{:.1f},{:.1f}", pts.empty() ? "" : " ", sx(se.x[i]), sy(se.y[i]));
      }
      s += fmt::format("<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"{}/>\n", pts, se.color,
                       se.dashed ? " stroke-dasharray=\"5,3\"" : "");
    }
    for (size_t i = 0; i < se.x.size(); ++i) {
      if (i < se.y_err.size() && se.y_err[i] > 0) {
        s += fmt::format("<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\" stroke=\"{3}\"/>\n",
                         sx(se.x[i]), sy(se.y[i] - se.y_err[i]), sy(se.y[i] + se.y_err[i]), se.color);
      }
      if (se.points) {
        s += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"4\" fill=\"{}\"/>\n", sx(se.x[i]), sy(se.y[i]),
                         se.color);
      }
    }
  }
  // Legend, top right inside the plot.
  double ly = kTop + 14;
  for (const Series& se : series_) {
    if (se.name.empty()) continue;
    const double lx = kLeft + pw - 170;
    s += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"12\" height=\"4\" fill=\"{}\"/>\n", lx, ly - 5, se.color);
    s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\">{}</text>\n", lx + 16, ly, XmlEscape(se.name));
    ly += 15;
  }
  s += "</svg>\n";
  return s;
}

std::string HeatMap(const std::string& title, const std::string& row_label, const std::vector<std::string>& rows,
                    const std::string& col_label, const std::vector<std::string>& cols,
                    const std::vector<std::vector<double>>& v, const std::string& unit) {
  constexpr int kCellW = 90, kCellH = 34, kX0 = 110, kY0 = 58;
  const int w = kX0 + kCellW * static_cast<int>(cols.size()) + 110;
  const int h = kY0 + kCellH * static_cast<int>(rows.size()) + 30;
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
      "font-family=\"sans-serif\" font-size=\"11\">\n<rect x=\"0\" y=\"0\" width=\"{}\" height=\"{}\" "
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
