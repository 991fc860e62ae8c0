#include "exectrace/mmu_svg.h"

#include <cmath>

#include <fmt/format.h>

namespace gcpilot {
namespace {

constexpr double kLeft = 60, kTop = 40, kWidth = 520, kHeight = 240;

std::string Escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '&') out += "&amp;";
    else if (c == '"') out += "&quot;";
    else out += c;
  }
  return out;
}

std::string Label(int64_t ns) {
  if (ns >= 1'000'000'000) return fmt::format("{:g}s", static_cast<double>(ns) / 1e9);
  if (ns >= 1'000'000) return fmt::format("{:g}ms", static_cast<double>(ns) / 1e6);
  return fmt::format("{:g}us", static_cast<double>(ns) / 1e3);
}

std::string Axes() {
  std::string out = fmt::format(R"(<rect x="{}" y="{}" width="{}" height="{}" fill="none" stroke="#888"/>)" "\n",
                                kLeft, kTop, kWidth, kHeight);
  for (int i = 0; i <= 4; ++i) {
    const double y = kTop + kHeight - kHeight * i / 4;
    out += fmt::format(R"(<line x1="{}" y1="{:.1f}" x2="{}" y2="{:.1f}" stroke="#ddd"/>)" "\n", kLeft, y,
                       kLeft + kWidth, y);
    out += fmt::format(R"(<text x="{}" y="{:.1f}" text-anchor="end" font-size="11">{:.2f}</text>)" "\n", kLeft - 6,
                       y + 4, i / 4.0);
  }
  return out;
}

}  // namespace

std::string MmuSvg(const std::vector<MmuPoint>& mmu, const std::string& title) {
  std::string out = fmt::format(
      R"(<svg xmlns="http://www.w3.org/2000/svg" width="{}" height="{}" viewBox="0 0 {} {}" font-family="sans-serif">)"
      "\n",
      kLeft + kWidth + 20, kTop + kHeight + 50, kLeft + kWidth + 20, kTop + kHeight + 50);
  out += fmt::format(R"(<text x="{}" y="20" font-size="14">{}</text>)" "\n", kLeft, Escape(title));
  out += Axes();
  out += fmt::format(R"(<text x="{}" y="{}" text-anchor="middle" font-size="11">window</text>)" "\n",
                     kLeft + kWidth / 2, kTop + kHeight + 40);
  if (mmu.empty()) {
    out += fmt::format(R"(<text x="{}" y="{}" text-anchor="middle" font-size="12">no MMU: the trace never says GOMAXPROCS</text>)" "\n",
                       kLeft + kWidth / 2, kTop + kHeight / 2);
    return out + "</svg>\n";
  }
  const double lo = std::log10(static_cast<double>(mmu.front().window_ns));
  const double hi = std::log10(static_cast<double>(mmu.back().window_ns));
  auto x_of = [&](int64_t w) {
    return hi > lo ? kLeft + kWidth * (std::log10(static_cast<double>(w)) - lo) / (hi - lo) : kLeft + kWidth / 2;
  };
  auto y_of = [&](double u) { return kTop + kHeight - kHeight * u; };
  std::string points;
  for (const MmuPoint& p : mmu) points += fmt::format("{}{:.1f},{:.1f}", points.empty() ? "" : " ", x_of(p.window_ns), y_of(p.utilization));
  out += fmt::format(R"(<polyline points="{}" fill="none" stroke="#1f77b4" stroke-width="2"/>)" "\n", points);
  for (const MmuPoint& p : mmu) {
    const double x = x_of(p.window_ns);
    out += fmt::format(R"(<circle cx="{:.1f}" cy="{:.1f}" r="3" fill="#1f77b4"><title>{}: {:.3f}</title></circle>)" "\n",
                       x, y_of(p.utilization), Label(p.window_ns), p.utilization);
    out += fmt::format(R"(<text x="{:.1f}" y="{}" text-anchor="middle" font-size="10">{}</text>)" "\n", x,
                       kTop + kHeight + 16, Label(p.window_ns));
  }
  return out + "</svg>\n";
}

}  // namespace gcpilot
