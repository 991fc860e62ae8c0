// GctraceFollower: reads the gctrace a running Go process writes to a file
// (its stderr) as the file grows, so a caller can act on each GC cycle
// while the process runs: end a load once it has covered whole GC periods,
// or line cycles up with requests by when each line arrived.
//
// Each Poll reads what was appended since the last one (at most
// kMaxPollBytes, so one poll never stalls its caller; the rest waits for
// the next poll) and feeds it to one lenient FilteredGctraceReader: the
// same lines are skipped as when the file is read whole after the run. A
// line cut mid-write yields its cycle only once its '\n' arrives. The
// overrun filter holds each cycle back until the next one shows it ended
// in time; held() shows that cycle meanwhile.
#ifndef GCPILOT_GCLOG_GCTRACE_FOLLOW_H_
#define GCPILOT_GCLOG_GCTRACE_FOLLOW_H_

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "base/unique_fd.h"
#include "gclog/gctrace_overrun.h"
#include "model/gc_cycle.h"

namespace gcpilot {

// A cycle with the caller's clock (CLOCK_MONOTONIC ns for a load) at the
// poll that first read its line complete.
struct FollowedCycle {
  GcCycle cycle;
  int64_t seen_ns = 0;
  bool operator==(const FollowedCycle&) const = default;
};

class GctraceFollower {
 public:
  static constexpr size_t kMaxPollBytes = 1 << 20;

  // Follows `path` from its first byte; the file may not exist yet.
  explicit GctraceFollower(std::string path);

  // Reads what was appended since the last poll; `now_ns` is the caller's
  // clock, kept with each line completed by these bytes. Returns the
  // cycles the filter passed on since the last poll, in order. Errors: the
  // file shrank (`PATH: shrank from 900 to 120 bytes while it was
  // followed`), or it cannot be read (kIoError naming the path); the
  // follower then stays failed.
  StatusOr<std::vector<FollowedCycle>> Poll(int64_t now_ns);

  // Ends the input after a last Poll: a last line without '\n' (seen at
  // `now_ns`), then the cycle held back.
  std::vector<FollowedCycle> Finish(int64_t now_ns);

  // The cycle held back (its start is final, its end not yet checked).
  std::optional<FollowedCycle> held() const;
  GctraceParseStats stats() const { return reader_.stats(); }
  int64_t bytes_read() const { return offset_; }

 private:
  StatusOr<bool> Open();  // true once the file is open
  void Feed(std::string_view bytes, int64_t now_ns);

  std::string path_;
  UniqueFd fd_;
  int64_t offset_ = 0;
  Status failed_;
  int64_t feeding_ns_ = 0;             // the clock of the bytes being fed
  std::deque<FollowedCycle> parsed_;   // parsed, not yet passed on or dropped
  std::vector<FollowedCycle> passed_;  // passed on during this poll
  FilteredGctraceReader reader_;       // after the fields its sinks use
};

}  // namespace gcpilot

#endif  // GCPILOT_GCLOG_GCTRACE_FOLLOW_H_
