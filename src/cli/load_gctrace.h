// gcpilot load --gctrace FILE: the target's gctrace, followed while the
// load runs, joined to the measured requests. Nothing relates the two
// clocks but the log itself, so they are aligned by when each cycle's line
// appeared (attribution/clock_alignment.h): lines already in the file
// before the measured phase began align nothing, and the error is half
// the bracket the lines seen during it leave.
#ifndef GCPILOT_CLI_LOAD_GCTRACE_H_
#define GCPILOT_CLI_LOAD_GCTRACE_H_

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "attribution/clock_alignment.h"
#include "base/status.h"
#include "gclog/gctrace_follow.h"
#include "loadgen/engine.h"
#include "model/gc_attribution.h"
#include "model/gc_timeline.h"

namespace gcpilot::cli {

class LoadGctraceJoin {
 public:
  explicit LoadGctraceJoin(std::string path) : path_(path), follower_(std::move(path)) {}

  // Reads what the file holds before the load (those lines align nothing).
  Status Begin(int64_t now_ns);
  // Called by the engine's stop predicate during the measured phase: reads
  // what was appended. Never stops the load; a read error is kept.
  void Poll(int64_t now_ns);
  // After the load: the last lines, the alignment and the attribution of
  // the measured phase.
  void Finish(const LoadResult& result, int64_t now_ns);

  // The table and sentences for the human output ("" before Finish).
  std::string Text() const;
  nlohmann::ordered_json Json() const;
  // The file held no gctrace line at all (a wrong file, or GODEBUG unset).
  bool HoldsNoGctrace() const;

 private:
  void Keep(const GcCycle& c);
  void Take(const std::vector<FollowedCycle>& cycles);
  std::string WhyNotAligned() const;

  std::string path_;
  GctraceFollower follower_;
  Status error_;
  GcTimeline gc_;
  std::vector<int64_t> poll_ns_;     // every poll's time, in order
  std::vector<bool> read_to_end_;    // per poll: it read all there was
  std::vector<FollowedCycle> seen_;  // cycles read after Begin
  int64_t cycles_before_ = 0;        // cycles already in the file at Begin
  int64_t last_before_ = -1;         // the last cycle number printed before the load
  int64_t bytes_at_begin_ = 0;
  int64_t restarts_ = 0;  // times the cycle numbers went back
  std::optional<ClockAlignment> aligned_;
  RunAttribution attribution_;
};

}  // namespace gcpilot::cli

#endif  // GCPILOT_CLI_LOAD_GCTRACE_H_
