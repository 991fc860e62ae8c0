// Rate schedules: when each request of an open-loop run is due.
//
// Grammar (the --rate flag):
//   schedule := "max"                          closed loop, as fast as answers come
//             | segment ("," segment)*
//   segment  := rate [".." rate] ["@" duration]  constant, or a linear ramp
//             | "burst:" rate "/" rate "@" duration "/" duration
//                                              base/peak rate, peak for the first
//                                              duration of every period
//   rate     := number ["k"]                   requests per second, e.g. 2.5k
//   duration := number ("ms" | "s" | "m" | "h")
// A single segment without "@" lasts the run's --duration; with several
// segments each needs "@" and the run lasts their sum. Examples:
//   3000    1000@30s,5000@30s    1000..8000@60s    burst:1000/8000@2s/10s
#ifndef GCPILOT_LOADGEN_SCHEDULE_H_
#define GCPILOT_LOADGEN_SCHEDULE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace gcpilot {

// Parses "30s", "500ms", "2m", "1h", "1.5s" into nanoseconds (> 0).
StatusOr<int64_t> ParseDurationNs(std::string_view text);
// The same, where none is a choice (a warm-up): also "0", "0s", "0ms".
StatusOr<int64_t> ParseOptionalDurationNs(std::string_view text);
// "1.5s" style text for a duration in ns, shortest exact form.
std::string FormatDurationNs(int64_t ns);

class RateSchedule {
 public:
  struct Segment {
    double from_rps = 0, to_rps = 0;  // equal unless a ramp
    int64_t duration_ns = 0;          // 0: "the rest of --duration"
    bool burst = false;
    int64_t burst_on_ns = 0, burst_period_ns = 0;  // burst: peak = to_rps
  };

  // Parses `text`; `default_duration_ns` (> 0) is the length of a single
  // segment given without "@". Errors name the offending part:
  // `--rate "1000@30s,5000": segment 2 ("5000") needs "@duration" ...`.
  static StatusOr<RateSchedule> Parse(std::string_view text, int64_t default_duration_ns);
  static RateSchedule Constant(double rps, int64_t duration_ns);

  bool closed_loop() const { return closed_loop_; }
  int64_t duration_ns() const { return duration_ns_; }
  // Offered rate at `t_ns` from the start (requests/s; 0 past the end).
  double RateAt(int64_t t_ns) const;
  // Rate at the very start (used for the warm-up).
  double InitialRate() const;
  // Requests the schedule asks for over its length (integral of the rate).
  double ExpectedRequests() const;
  // The due time of the request after one due at `t_ns` (ns from start);
  // >= duration_ns() when the schedule is over. Within a zero-rate stretch
  // it jumps to where the rate resumes.
  int64_t NextDue(int64_t t_ns) const;
  // A short description: "constant 3000/s for 30s", "2 steps over 60s", ...
  std::string Describe() const;
  const std::vector<Segment>& segments() const { return segments_; }

 private:
  bool closed_loop_ = false;
  int64_t duration_ns_ = 0;
  std::vector<Segment> segments_;
};

}  // namespace gcpilot

#endif  // GCPILOT_LOADGEN_SCHEDULE_H_
