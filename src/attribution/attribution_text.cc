#include "attribution/attribution_text.h"

#include <cmath>

#include <fmt/format.h>

namespace gcpilot {

std::string FormatByteRate(double bytes_per_sec, bool sign) {
  const char* plus = sign && bytes_per_sec >= 0 ? "+" : "";
  const double v = std::fabs(bytes_per_sec);
  const char* minus = bytes_per_sec < 0 ? "-" : "";
  if (v >= 1 << 20) return fmt::format("{}{}{:.1f} MiB/s", plus, minus, v / (1 << 20));
  if (v >= 1 << 10) return fmt::format("{}{}{:.1f} KiB/s", plus, minus, v / (1 << 10));
  return fmt::format("{}{}{:.0f} B/s", plus, minus, v);
}

std::string FormatDuration(int64_t ns) {
  if (ns < 1'000'000'000) return fmt::format("{:.3g} ms", ns / 1e6);
  return fmt::format("{:.1f} s", ns / 1e9);
}

std::string FormatShare(double share) {
  if (share == 0) return "0%";
  return fmt::format("{:.2g}%", share * 100);
}

}  // namespace gcpilot
