// Unit conversions for output: one way to print nanoseconds as
// milliseconds everywhere (tables, CSV, messages).
#ifndef GCPILOT_BASE_UNITS_H_
#define GCPILOT_BASE_UNITS_H_

#include <cstdint>
#include <string>

#include <fmt/format.h>

namespace gcpilot {

// "1.234": milliseconds with three decimals (microsecond precision, what
// the runtime and our histograms resolve).
inline std::string Ms(int64_t ns) { return fmt::format("{:.3f}", ns / 1e6); }
// "1.234 ms".
inline std::string MsWithUnit(int64_t ns) { return Ms(ns) + " ms"; }

// A duration about to come or roughly known, rounded: "~2.5 s" under 10 s,
// "~70 s" under 2 min, "~12 min" under 1 h, else "~1.2 h".
inline std::string ApproxDurationText(int64_t ns) {
  const double s = static_cast<double>(ns) / 1e9;
  if (s < 10) return fmt::format("~{:.1f} s", s);
  if (s < 120) return fmt::format("~{:.0f} s", s);
  if (s < 3600) return fmt::format("~{:.0f} min", s / 60);
  return fmt::format("~{:.1f} h", s / 3600);
}

}  // namespace gcpilot

#endif  // GCPILOT_BASE_UNITS_H_
