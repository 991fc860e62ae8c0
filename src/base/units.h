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

}  // namespace gcpilot

#endif  // GCPILOT_BASE_UNITS_H_
