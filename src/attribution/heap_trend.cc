#include "attribution/heap_trend.h"

#include "base/units.h"
#include "stats/sample_stats.h"

#include <cmath>

#include <fmt/format.h>

#include "attribution/attribution_text.h"
#include "model/gc_knobs.h"

namespace gcpilot {
namespace {

struct LineFit {
  double slope = 0, slope_stderr = 0;  // per second
  double at_end = 0;                   // the fit at the window's end
};

// Least squares of y on x (x in seconds from the first point, to keep the
// sums small); at least three points.
LineFit FitLine(const std::vector<double>& x, const std::vector<double>& y, double end_x) {
  const double n = static_cast<double>(x.size());
  double mx = 0, my = 0;
  for (size_t i = 0; i < x.size(); ++i) mx += x[i] / n, my += y[i] / n;
  double sxx = 0, sxy = 0;
  for (size_t i = 0; i < x.size(); ++i) sxx += (x[i] - mx) * (x[i] - mx), sxy += (x[i] - mx) * (y[i] - my);
  LineFit f;
  f.slope = sxx > 0 ? sxy / sxx : 0;
  double ssr = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    const double r = y[i] - (my + f.slope * (x[i] - mx));
    ssr += r * r;
  }
  f.slope_stderr = sxx > 0 ? std::sqrt(ssr / (n - 2) / sxx) : 0;
  f.at_end = my + f.slope * (end_x - mx);
  return f;
}

// The slope is positive beyond chance: Student's t of slope / its standard
// error on cycles - 2 degrees of freedom, two-sided 5% (with 3 cycles t
// must pass 12.7, with 6 2.78: a few MiB-rounded points prove little).
bool Growing(const HeapTrend& t) {
  if (t.slope_bytes_per_sec <= 0) return false;
  if (t.slope_stderr_bytes_per_sec <= 0) return true;  // an exact line
  return StudentTCdf(t.slope_bytes_per_sec / t.slope_stderr_bytes_per_sec, static_cast<double>(t.cycles - 2)) > 0.975;
}

// Sets when the trend reaches the limit and the warning, where it does
// within the horizon. GOMEMLIMIT caps all the runtime's memory, so the
// live heap has the limit less the goroutine stacks (`stacks_bytes`, as
// the last cycle printed them; other runtime overhead is not in gctrace,
// so the time is an upper bound).
void LimitReached(HeapTrend* t, int64_t stacks_bytes) {
  const bool limited = t->limit_bytes >= 0 && t->limit_bytes != kMemLimitOff;
  if (!limited || !Growing(*t)) return;
  const double left = static_cast<double>(t->limit_bytes) - static_cast<double>(std::max<int64_t>(0, stacks_bytes)) -
                      static_cast<double>(t->live_bytes);
  const double in = left <= 0 ? 0 : left / t->slope_bytes_per_sec * 1e9;
  if (in > static_cast<double>(t->horizon_ns)) return;  // compared before rounding: no overflow
  const int64_t in_ns = std::llround(in);
  t->limit_reached_in_ns = in_ns;
  const std::string when = in_ns == 0 ? "is reached already" : "is reached in " + ApproxDurationText(in_ns);
  t->warning = fmt::format("live heap {}: GOMEMLIMIT={} {}, then GC runs back to back",
                           FormatByteRate(t->slope_bytes_per_sec, true), FormatGomemlimit(t->limit_bytes), when);
}

}  // namespace

HeapTrend FitHeapTrend(const std::vector<CycleSpans>& cycles, const MeasuredWindow& window, int64_t limit_bytes,
                       int64_t horizon_ns) {
  HeapTrend t;
  t.limit_bytes = limit_bytes;
  t.horizon_ns = horizon_ns;
  std::vector<double> x, y;
  int64_t stacks_bytes = 0;  // the last cycle's (unknown before Go 1.18: 0)
  for (const CycleSpans& c : cycles) {
    if (c.start_ns() < window.from_ns || c.start_ns() >= window.to_ns) continue;
    x.push_back((c.start_ns() - window.from_ns) / 1e9);
    y.push_back(static_cast<double>(c.cycle->heap_live_bytes));
    stacks_bytes = c.cycle->stacks_bytes;
  }
  t.cycles = static_cast<int64_t>(x.size());
  if (x.size() < 3) {
    double sum = 0;
    for (double v : y) sum += v;
    t.live_bytes = y.empty() ? 0 : std::llround(sum / static_cast<double>(y.size()));
    return t;
  }
  const LineFit f = FitLine(x, y, window.length_ns() / 1e9);
  t.slope_bytes_per_sec = f.slope;
  t.slope_stderr_bytes_per_sec = f.slope_stderr;
  t.live_bytes = std::llround(f.at_end);
  LimitReached(&t, stacks_bytes);
  return t;
}

}  // namespace gcpilot
