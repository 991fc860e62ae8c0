// The completed requests of one trace, tallied so that "slow" can be
// decided at the end without keeping every request: an HDR histogram of
// the durations (ns, 1 us .. 1 h, 3 significant digits) and, per bucket of
// that histogram, the requests' summed time splits and how many met each
// GC event. The percentile's value is the highest duration of the bucket
// that holds it, so "slow" (a duration above that value) is exactly the
// buckets above it: the counts and sums of the slow requests are exact, the
// threshold itself is within 0.1% of the true percentile.
//
// Memory: one aggregate per non-empty bucket (at most ~23 000 over the
// histogram's range) plus the `keep` slowest requests with their splits.
// Internal to the request attribution.
#ifndef GCPILOT_EXECTRACE_REQUEST_TALLY_H_
#define GCPILOT_EXECTRACE_REQUEST_TALLY_H_

#include <cstdint>
#include <map>
#include <string_view>
#include <vector>

#include "hdr/hdr_histogram.h"
#include "model/trace_summary.h"

namespace gcpilot {

// Adds b's parts to a's (each held at INT64_MAX).
void AddSplit(const RequestTimeSplit& b, RequestTimeSplit* a);
// a - b, part by part.
RequestTimeSplit SubtractSplit(const RequestTimeSplit& a, const RequestTimeSplit& b);

class RequestTally {
 public:
  // keep >= 0: how many of the slowest requests to hold.
  explicit RequestTally(int keep);

  // One completed request. `assisted`: it did mark-assist work (its own
  // assist time, or an assist it entered); the other two GC facts are read
  // off the split (stw_ns > 0, runnable_in_mark_ns > 0).
  void Add(TracedRequest request, bool assisted);
  // The same, the name copied only when the request is kept among the
  // slowest (most are not: a request per goroutine or task ends often).
  void Add(std::string_view name, int64_t id, TimeSpan span, const RequestTimeSplit& split, bool assisted);

  int64_t requests() const { return durations_.total_count(); }

  // Fills every field of `out` but `unit`; slow_percentile in (0, 100].
  void Finish(double slow_percentile, TraceAttribution* out) const;

 private:
  struct Bucket {
    int64_t requests = 0, met_stw = 0, assisted = 0, runnable_in_mark = 0;
    RequestTimeSplit total;
  };
  int keep_;
  HdrHistogram durations_;
  std::map<int64_t, Bucket> buckets_;  // by the bucket's lowest duration
  RequestTimeSplit all_total_;
  std::vector<TracedRequest> slowest_;  // a heap: the least slow of them on top
};

}  // namespace gcpilot

#endif  // GCPILOT_EXECTRACE_REQUEST_TALLY_H_
