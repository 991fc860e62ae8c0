// Putting a gctrace on the load clock when nothing but the log is known
// (gcpilot load --gctrace: a service someone else started). A gctrace line
// is printed as its cycle ends, so each line seen while following the file
// brackets the process clock's origin on the load clock:
//   the line was written after the poll before the one that saw it
//   (not_before_ns) and at or before the poll that saw it (seen_ns), and
//   at most `print_delay_ns` after the cycle's end (process time end_ns):
//   origin in [not_before_ns - end_ns - print_delay_ns, seen_ns - end_ns].
// Every sighting narrows the interval; the origin is its middle and the
// error its half width. Lines already in the file when following began
// bracket nothing and are not sightings.
#ifndef GCPILOT_ATTRIBUTION_CLOCK_ALIGNMENT_H_
#define GCPILOT_ATTRIBUTION_CLOCK_ALIGNMENT_H_

#include <cstdint>
#include <optional>
#include <vector>

namespace gcpilot {

struct LineSighting {
  int64_t cycle_end_ns = 0;   // process clock: the cycle's end (GcCycle::end_ns())
  int64_t not_before_ns = 0;  // load clock: the last poll that did not see the line
  int64_t seen_ns = 0;        // load clock: the poll that saw it complete
};

struct ClockAlignment {
  int64_t origin_ns = 0;  // load clock at process time 0
  int64_t error_ns = 0;   // half the width of the bracket
  int64_t sightings = 0;  // lines that narrowed it
};

// How late the runtime may print a cycle's line after the cycle ended
// (it prints right after the world restarts; 1 ms covers a descheduled
// printing thread on a loaded machine).
inline constexpr int64_t kGctracePrintDelayNs = 1'000'000;

// The alignment the sightings allow; nullopt with no sighting, or when
// they contradict each other (an empty bracket: the log is not this
// process's, or it was rewritten).
std::optional<ClockAlignment> AlignBySightings(const std::vector<LineSighting>& sightings,
                                               int64_t print_delay_ns = kGctracePrintDelayNs);

}  // namespace gcpilot

#endif  // GCPILOT_ATTRIBUTION_CLOCK_ALIGNMENT_H_
