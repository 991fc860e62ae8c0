#include "tune/period_stop.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace gcpilot {

GcPeriodStop::GcPeriodStop(std::string stderr_path, int64_t origin_ns, int64_t floor_ns, int64_t bound_ns,
                           int64_t min_periods)
    : follower_(std::move(stderr_path)),
      origin_ns_(origin_ns),
      floor_ns_(floor_ns),
      bound_ns_(bound_ns),
      min_periods_(min_periods) {}

void GcPeriodStop::Start(int64_t measured_start_ns) {
  watch_.emplace(measured_start_ns, floor_ns_, min_periods_);
  bound_end_ns_ = measured_start_ns + bound_ns_;
}

void GcPeriodStop::Add(const GcCycle& c) {
  // The held cycle comes again once released: one start per cycle number
  // (two cycles may print the same `@` millisecond).
  if (c.number <= last_number_) return;
  last_number_ = c.number;
  watch_->AddCycleStart(origin_ns_ + c.start_ns);
}

bool GcPeriodStop::Poll(int64_t now_ns) {
  if (!watch_ || !following_) return false;
  auto cycles = follower_.Poll(now_ns);
  if (!cycles.ok()) {
    following_ = false;
    return false;
  }
  for (const FollowedCycle& c : *cycles) Add(c.cycle);
  // The cycle the overrun filter holds back has a final start: waiting for
  // the next cycle to release it would stretch every window by a period.
  if (const auto held = follower_.held()) Add(held->cycle);
  return watch_->complete();
}

std::string GcPeriodStop::Status(int64_t now_ns) const {
  if (!watch_) return "";
  const int64_t expected = watch_->ExpectedCompleteNs();
  const auto seconds_left = [&](int64_t at) { return std::max<int64_t>(0, std::llround((at - now_ns) / 1e9)); };
  if (expected < 0)
    return fmt::format("waiting for the first GC cycles, at most {} s left", seconds_left(bound_end_ns_));
  return fmt::format("{}/{} GC periods, ~{} s left", watch_->periods(), min_periods_,
                     seconds_left(std::min(expected, bound_end_ns_)));
}

MeasuredWindow GcPeriodStop::Window(int64_t measured_end_ns) const {
  return watch_ ? watch_->Window(measured_end_ns) : MeasuredWindow{};
}

}  // namespace gcpilot
