// Builders for the attribution tests: cycles and requests by hand, in
// milliseconds where that reads best.
#ifndef GCPILOT_ATTRIBUTION_ATTRIBUTION_TEST_UTIL_H_
#define GCPILOT_ATTRIBUTION_ATTRIBUTION_TEST_UTIL_H_

#include <cmath>
#include <cstdint>

#include "model/gc_cycle.h"
#include "model/gc_timeline.h"
#include "model/request_log.h"

namespace gcpilot::testing_util {

inline constexpr int64_t kMs = 1'000'000;
inline constexpr int64_t kMiB = 1 << 20;

// Milliseconds (fractions allowed) as ns.
inline int64_t Ms(double ms) { return std::llround(ms * 1e6); }

// A cycle starting at process time `start_ms` with the three phase lengths.
inline GcCycle Cycle(int64_t number, double start_ms, double sweep_ms, double mark_ms, double mark_term_ms) {
  GcCycle c;
  c.number = number;
  c.start_ns = Ms(start_ms);
  c.sweep_term_ns = Ms(sweep_ms);
  c.mark_ns = Ms(mark_ms);
  c.mark_term_ns = Ms(mark_term_ms);
  return c;
}

// A request due at load time `due_ms`, answered `latency_ms` later (< 0:
// never answered).
inline RequestRecord Request(double due_ms, double latency_ms) {
  RequestRecord r;
  r.due_ns = Ms(due_ms);
  r.sent_ns = r.due_ns;
  r.done_ns = latency_ms < 0 ? RequestRecord::kNever : r.due_ns + Ms(latency_ms);
  r.outcome = latency_ms < 0 ? RequestOutcome::kTimeout : RequestOutcome::kOk;
  r.http_status = latency_ms < 0 ? 0 : 200;
  return r;
}

}  // namespace gcpilot::testing_util

#endif  // GCPILOT_ATTRIBUTION_ATTRIBUTION_TEST_UTIL_H_
