// The latency figures of the requests that fell due in one window of a
// run: what a run's measured window reports once the window is chosen
// after the load (whole GC periods end where they end, not where the
// schedule did). Counted the way the load engine counts a phase: a
// response is any complete answer (its latencies are recorded, whatever
// its status); an error is every request that did not end in a 2xx.
#ifndef GCPILOT_ATTRIBUTION_WINDOW_LATENCY_H_
#define GCPILOT_ATTRIBUTION_WINDOW_LATENCY_H_

#include <cstdint>

#include "hdr/hdr_histogram.h"
#include "model/request_log.h"

namespace gcpilot {

struct WindowLatency {
  HdrHistogram corrected = HdrHistogram::ForLatencyNs();    // from due, responses only
  HdrHistogram uncorrected = HdrHistogram::ForLatencyNs();  // from the first byte sent
  int64_t due = 0;                                          // requests due in the window
  int64_t sent = 0;                                         // of those, written to a connection
  int64_t responses = 0;                                    // complete answers (ok or non-2xx)
  int64_t ok = 0;                                           // 2xx answers
  int64_t errors = 0;  // due - ok: non-2xx, timeouts, resets, closes, malformed, aborted
};

// The requests of `log` (in due order) due in [from_ns, to_ns), load clock.
// An empty or inverted window gives zeros.
WindowLatency MeasureWindowLatency(const RequestLog& log, int64_t from_ns, int64_t to_ns);

}  // namespace gcpilot

#endif  // GCPILOT_ATTRIBUTION_WINDOW_LATENCY_H_
