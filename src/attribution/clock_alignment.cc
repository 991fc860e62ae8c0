#include "attribution/clock_alignment.h"

#include <algorithm>
#include <limits>

namespace gcpilot {

std::optional<ClockAlignment> AlignBySightings(const std::vector<LineSighting>& sightings, int64_t print_delay_ns,
                                               int64_t rounding_ns) {
  if (sightings.empty()) return std::nullopt;
  int64_t high = std::numeric_limits<int64_t>::max();
  for (const LineSighting& s : sightings) high = std::min(high, s.seen_ns - s.cycle_end_ns + rounding_ns);
  // The lowest origin no on-time line rules out (a late one's bound would
  // lie above `high`).
  int64_t low = std::numeric_limits<int64_t>::min();
  for (const LineSighting& s : sightings) {
    const int64_t bound = s.not_before_ns - s.cycle_end_ns - print_delay_ns - rounding_ns;
    if (bound <= high) low = std::max(low, bound);
  }
  if (low == std::numeric_limits<int64_t>::min()) return std::nullopt;  // every line late: no lower bound
  return ClockAlignment{low + (high - low) / 2, (high - low + 1) / 2, static_cast<int64_t>(sightings.size())};
}

}  // namespace gcpilot
