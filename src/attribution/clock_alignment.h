// Putting a gctrace on the load clock when nothing but the log is known
// (gcpilot load --gctrace: a service someone else started). A gctrace line
// is printed as its cycle ends, so each line seen while following the file
// brackets the process clock's origin on the load clock. The line was
// written at or before the poll that saw it (seen_ns), after its cycle
// ended (printed end_ns, which gctrace rounds: `@` to the millisecond, the
// clock terms to two or three digits: within `rounding_ns`), and, unless
// the printing thread was held up, within `print_delay_ns` of that end and
// after the poll before (not_before_ns):
//   origin <= seen_ns - end_ns + rounding_ns                  (always)
//   origin >= not_before_ns - end_ns - print_delay_ns - rounding_ns
// The upper bounds always hold, so the origin is at most their minimum; a
// lower bound above that minimum came from a line printed late and is set
// aside. The origin is the middle of what is left and the error its half
// width. Lines already in the file when following began bracket nothing
// and are not sightings.
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

// How late the runtime prints a cycle's line after the cycle ended (right
// after the world restarts; 2 ms covers a printing thread descheduled on a
// busy machine), and how far gctrace's rounding moves a cycle's end.
inline constexpr int64_t kGctracePrintDelayNs = 2'000'000;
inline constexpr int64_t kGctraceRoundingNs = 1'000'000;

// The alignment the sightings allow; nullopt with no sighting, or when
// every line was printed late (nothing bounds the origin from below).
std::optional<ClockAlignment> AlignBySightings(const std::vector<LineSighting>& sightings,
                                               int64_t print_delay_ns = kGctracePrintDelayNs,
                                               int64_t rounding_ns = kGctraceRoundingNs);

}  // namespace gcpilot

#endif  // GCPILOT_ATTRIBUTION_CLOCK_ALIGNMENT_H_
