#include "attribution/window_latency.h"

#include <algorithm>

namespace gcpilot {

WindowLatency MeasureWindowLatency(const RequestLog& log, int64_t from_ns, int64_t to_ns) {
  WindowLatency w;
  const auto by_due = [](const RequestRecord& r, int64_t t) { return r.due_ns < t; };
  auto it = std::lower_bound(log.records.begin(), log.records.end(), from_ns, by_due);
  for (; it != log.records.end() && it->due_ns < to_ns; ++it) {
    const RequestRecord& r = *it;
    ++w.due;
    if (r.sent_ns != RequestRecord::kNever) ++w.sent;
    if (r.outcome == RequestOutcome::kOk) ++w.ok;
    if (r.outcome != RequestOutcome::kOk && r.outcome != RequestOutcome::kNon2xx) continue;
    ++w.responses;
    w.corrected.Record(r.corrected_ns());
    w.uncorrected.Record(r.uncorrected_ns());
  }
  w.errors = w.due - w.ok;
  return w;
}

}  // namespace gcpilot
