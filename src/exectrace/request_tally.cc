#include "exectrace/request_tally.h"

#include <algorithm>
#include <cstdint>
#include <tuple>
#include <utility>

#include "base/saturating.h"

namespace gcpilot {

void AddSplit(const RequestTimeSplit& b, RequestTimeSplit* a) {
  a->running_ns = SaturatingAdd(a->running_ns, b.running_ns);
  a->assist_ns = SaturatingAdd(a->assist_ns, b.assist_ns);
  a->runnable_ns = SaturatingAdd(a->runnable_ns, b.runnable_ns);
  a->runnable_in_mark_ns = SaturatingAdd(a->runnable_in_mark_ns, b.runnable_in_mark_ns);
  a->stw_ns = SaturatingAdd(a->stw_ns, b.stw_ns);
  a->blocked_ns = SaturatingAdd(a->blocked_ns, b.blocked_ns);
  a->syscall_ns = SaturatingAdd(a->syscall_ns, b.syscall_ns);
}

RequestTimeSplit SubtractSplit(const RequestTimeSplit& a, const RequestTimeSplit& b) {
  return {.running_ns = a.running_ns - b.running_ns,
          .assist_ns = a.assist_ns - b.assist_ns,
          .runnable_ns = a.runnable_ns - b.runnable_ns,
          .runnable_in_mark_ns = a.runnable_in_mark_ns - b.runnable_in_mark_ns,
          .stw_ns = a.stw_ns - b.stw_ns,
          .blocked_ns = a.blocked_ns - b.blocked_ns,
          .syscall_ns = a.syscall_ns - b.syscall_ns};
}

namespace {

// Slower first: longer, then earlier, then the smaller id, so the kept set
// and its order do not depend on the order requests completed in.
bool Slower(const TracedRequest& a, const TracedRequest& b) {
  return std::make_tuple(-a.span.duration_ns(), a.span.start_ns, a.id) <
         std::make_tuple(-b.span.duration_ns(), b.span.start_ns, b.id);
}

}  // namespace

RequestTally::RequestTally(int keep) : keep_(std::max(keep, 0)), durations_(HdrHistogram::ForLatencyNs()) {}

void RequestTally::Add(TracedRequest request, bool assisted) {
  Add(request.name, request.id, request.span, request.split, assisted);
}

void RequestTally::Add(std::string_view name, int64_t id, TimeSpan span, const RequestTimeSplit& split, bool assisted) {
  TracedRequest request{.name = {}, .id = id, .span = span, .split = split};
  const int64_t duration = std::max<int64_t>(request.span.duration_ns(), 0);
  durations_.Record(duration);
  Bucket& b = buckets_[durations_.LowestEquivalent(std::min(duration, durations_.highest()))];
  b.requests++;
  b.met_stw += request.split.stw_ns > 0;
  b.assisted += assisted;
  b.runnable_in_mark += request.split.runnable_in_mark_ns > 0;
  AddSplit(request.split, &b.total);
  AddSplit(request.split, &all_total_);
  if (keep_ == 0) return;
  if (static_cast<int>(slowest_.size()) == keep_) {
    if (!Slower(request, slowest_.front())) return;  // Slower reads no name
    std::pop_heap(slowest_.begin(), slowest_.end(), Slower);
    slowest_.pop_back();
  }
  request.name = name;
  slowest_.push_back(std::move(request));
  std::push_heap(slowest_.begin(), slowest_.end(), Slower);
}

void RequestTally::Finish(double slow_percentile, TraceAttribution* out) const {
  out->requests = requests();
  out->slow_percentile = slow_percentile;
  out->threshold_ns = durations_.ValueAtPercentile(slow_percentile);
  out->slow = out->slow_met_stw = out->slow_assisted = out->slow_runnable_in_mark = 0;
  out->slow_total = {};
  for (auto it = buckets_.upper_bound(out->threshold_ns); it != buckets_.end(); ++it) {
    const Bucket& b = it->second;
    out->slow += b.requests;
    out->slow_met_stw += b.met_stw;
    out->slow_assisted += b.assisted;
    out->slow_runnable_in_mark += b.runnable_in_mark;
    AddSplit(b.total, &out->slow_total);
  }
  out->all_total = all_total_;
  out->slowest = slowest_;
  std::sort(out->slowest.begin(), out->slowest.end(), Slower);
}

}  // namespace gcpilot
