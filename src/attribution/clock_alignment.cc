#include "attribution/clock_alignment.h"

#include <algorithm>
#include <limits>

namespace gcpilot {

std::optional<ClockAlignment> AlignBySightings(const std::vector<LineSighting>& sightings, int64_t print_delay_ns) {
  if (sightings.empty()) return std::nullopt;
  int64_t low = std::numeric_limits<int64_t>::min(), high = std::numeric_limits<int64_t>::max();
  for (const LineSighting& s : sightings) {
    low = std::max(low, s.not_before_ns - s.cycle_end_ns - print_delay_ns);
    high = std::min(high, s.seen_ns - s.cycle_end_ns);
  }
  if (low > high) return std::nullopt;
  return ClockAlignment{low + (high - low) / 2, (high - low + 1) / 2, static_cast<int64_t>(sightings.size())};
}

}  // namespace gcpilot
