#include "cli/load_gctrace.h"

#include <sys/stat.h>

#include <algorithm>

#include <fmt/format.h>

#include "attribution/attribute_run.h"
#include "attribution/attribution_summary.h"
#include "base/plural.h"

namespace gcpilot::cli {
namespace {

// The horizon of the heap trend: the load's own limit is not known here,
// so the trend is reported without one.
constexpr int64_t kHorizonNs = int64_t{3600} * 1'000'000'000;

}  // namespace

Status LoadGctraceJoin::Begin(int64_t now_ns) {
  // Followed by its size as it grows: a FIFO would block the open and a
  // pipe has no size.
  struct stat st;
  if (stat(path_.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    return Status::InvalidArgument(
        path_ + ": is not a regular file (a pipe or FIFO?): give the file the target's stderr is written to");
  }
  // Drain what is there already (a poll reads at most 1 MiB).
  for (int64_t before = -1; before != follower_.bytes_read();) {
    before = follower_.bytes_read();
    auto cycles = follower_.Poll(now_ns);
    if (!cycles.ok()) return cycles.status();
    for (const FollowedCycle& c : *cycles) Keep(c.cycle);
  }
  // The cycle the reader holds back is old too, though it comes out later.
  if (const auto held = follower_.held()) last_before_ = held->cycle.number;
  if (!gc_.cycles.empty()) last_before_ = std::max(last_before_, gc_.cycles.back().number);
  cycles_before_ = static_cast<int64_t>(gc_.cycles.size()) + (follower_.held() ? 1 : 0);
  bytes_at_begin_ = follower_.bytes_read();
  poll_ns_.push_back(now_ns);
  read_to_end_.push_back(true);
  return Status::Ok();
}

// Keeps a cycle of the process that writes the file now: cycle numbers
// going back mean it was restarted (its stderr appended to the same file),
// and the earlier process's cycles are on another clock.
void LoadGctraceJoin::Keep(const GcCycle& c) {
  if (!gc_.cycles.empty() && c.number <= gc_.cycles.back().number) {
    gc_.cycles.clear();
    seen_.clear();
    last_before_ = -1;
    ++restarts_;
  }
  gc_.cycles.push_back(c);
}

void LoadGctraceJoin::Take(const std::vector<FollowedCycle>& cycles) {
  for (const FollowedCycle& c : cycles) {
    Keep(c.cycle);
    if (c.cycle.number > last_before_) seen_.push_back(c);  // else printed before the load
  }
}

void LoadGctraceJoin::Poll(int64_t now_ns) {
  if (!error_.ok()) return;
  const int64_t before = follower_.bytes_read();
  auto cycles = follower_.Poll(now_ns);
  if (!cycles.ok()) {
    error_ = cycles.status();
    return;
  }
  poll_ns_.push_back(now_ns);
  // A poll that read its most may have left lines written before it.
  read_to_end_.push_back(follower_.bytes_read() - before < static_cast<int64_t>(GctraceFollower::kMaxPollBytes));
  Take(*cycles);
}

void LoadGctraceJoin::Finish(const LoadResult& result, int64_t now_ns) {
  Poll(now_ns);
  Take(follower_.Finish(now_ns));
  // Each line seen at poll k was written after poll k-1, when that poll
  // read to the file's end.
  std::vector<LineSighting> sightings;
  for (const FollowedCycle& c : seen_) {
    const auto at = std::lower_bound(poll_ns_.begin(), poll_ns_.end(), c.seen_ns);
    if (at == poll_ns_.begin() || at == poll_ns_.end() || *at != c.seen_ns) continue;
    if (!read_to_end_[at - poll_ns_.begin() - 1]) continue;
    sightings.push_back({c.cycle.end_ns(), *(at - 1), c.seen_ns});
  }
  aligned_ = AlignBySightings(sightings);
  if (aligned_) {
    gc_.load_clock_origin_ns = aligned_->origin_ns;
    gc_.origin_error_ns = aligned_->error_ns;
  }
  MeasuredWindow w{result.measured_start_ns, result.measured_start_ns + result.measured.duration_ns};
  if (aligned_) {
    int64_t starts = 0;
    for (const GcCycle& c : gc_.cycles) {
      const int64_t at = gc_.ToLoadClock(c.start_ns);
      starts += at >= w.from_ns && at < w.to_ns;
    }
    w.periods = std::max<int64_t>(0, starts - 1);
  }
  attribution_ = AttributeRun(result.requests, gc_, w, -1, kHorizonNs);
}

std::string LoadGctraceJoin::WhyNotAligned() const {
  if (!error_.ok()) return error_.message();
  if (gc_.cycles.empty() && follower_.stats().cycles == 0 && follower_.stats().malformed == 0) {
    return "the file holds no gctrace line: is the target running with GODEBUG=gctrace=1, its stderr going there?";
  }
  if (follower_.bytes_read() == bytes_at_begin_) {
    return "nothing was added to the file during the load: is the target still writing its stderr there?";
  }
  if (seen_.empty()) return "no GC cycle ended during the load, so nothing puts the log on the load clock";
  return "every line seen came later than a cycle's end allows (a log written through a slow pipe?)";
}

bool LoadGctraceJoin::HoldsNoGctrace() const {
  return gc_.cycles.empty() && follower_.stats().cycles == 0 && follower_.stats().malformed == 0;
}

std::string LoadGctraceJoin::Text() const {
  std::string s = fmt::format("GC attribution ({}: {} read, {} during the load)\n", path_,
                              CountOf(static_cast<int64_t>(gc_.cycles.size()), "cycle"),
                              CountOf(static_cast<int64_t>(seen_.size()), "new cycle", "new cycles"));
  if (!error_.ok()) return s + "  none: " + error_.message() + "\n";
  if (restarts_ > 0) {
    s += fmt::format(
        "  the cycle numbers went back {}: the process writing it was restarted; only its last run's "
        "cycles are used\n",
        restarts_ == 1 ? "once" : fmt::format("{} times", restarts_));
  }
  if (!aligned_) return s + "  none: " + WhyNotAligned() + "\n";
  s += fmt::format("  clocks aligned by when {} appeared\n", CountOf(aligned_->sightings, "line"));
  return s + AttributionText(attribution_);
}

nlohmann::ordered_json LoadGctraceJoin::Json() const {
  nlohmann::ordered_json j;
  j["path"] = path_;
  j["cycles_read"] = gc_.cycles.size();
  j["cycles_before_load"] = cycles_before_;
  if (!error_.ok()) j["error"] = error_.message();
  j["restarts"] = restarts_;
  j["aligned"] = aligned_.has_value();
  if (!aligned_) j["why_not_aligned"] = WhyNotAligned();
  if (aligned_) {
    j["alignment"] = {{"method", "line arrival"},
                      {"origin_ns", aligned_->origin_ns},
                      {"error_ns", aligned_->error_ns},
                      {"lines", aligned_->sightings}};
    j["attribution"] = AttributionJson(attribution_);
  }
  return j;
}

}  // namespace gcpilot::cli
