#include "attribution/period_window.h"

#include <algorithm>

namespace gcpilot {

PeriodWatch::PeriodWatch(int64_t from_ns, int64_t floor_ns, int64_t min_periods)
    : from_ns_(from_ns), floor_ns_(floor_ns), min_periods_(min_periods) {}

void PeriodWatch::AddCycleStart(int64_t start_ns) {
  if (complete_ || start_ns < from_ns_) return;
  starts_.push_back(start_ns);
  complete_ = min_periods_ > 0 && periods() >= min_periods_ && starts_.back() - starts_.front() >= floor_ns_;
}

MeasuredWindow PeriodWatch::Window(int64_t bound_end_ns) const {
  MeasuredWindow w;
  w.min_periods = min_periods_;
  if (complete_) {
    w.from_ns = starts_.front();
    w.to_ns = starts_.back();
    w.periods = periods();
    w.whole_periods = true;
    return w;
  }
  // A period counts when its ending start is inside the bound.
  const auto inside = std::lower_bound(starts_.begin(), starts_.end(), bound_end_ns) - starts_.begin();
  w.periods = std::max<int64_t>(0, inside - 1);
  if (min_periods_ > 0 && w.periods >= min_periods_) {
    // The periods were there but the floor was not reached within the
    // bound: the whole periods it holds are still the window.
    w.from_ns = starts_.front();
    w.to_ns = starts_[inside - 1];
    w.whole_periods = true;
    return w;
  }
  w.from_ns = from_ns_;
  w.to_ns = bound_end_ns;
  return w;
}

int64_t PeriodWatch::ExpectedCompleteNs() const {
  if (complete_) return starts_.back();
  if (starts_.size() < 2 || min_periods_ == 0) return -1;
  const int64_t span = starts_.back() - starts_.front();
  const int64_t seen = periods();
  // Periods needed: min_periods, or more when they are short of the floor
  // (mean period span / seen; rounded up).
  int64_t needed = min_periods_;
  if (span > 0) needed = std::max(needed, (floor_ns_ * seen + span - 1) / span);
  return starts_.front() + needed * span / seen;
}

}  // namespace gcpilot
