#include "exectrace/mmu_curve.h"

#include <algorithm>
#include <limits>

namespace gcpilot {
namespace {

// y - x as a double: trace times are ordered, not small, so the int64
// difference could overflow.
double Gap(int64_t x, int64_t y) { return static_cast<double>(y) - static_cast<double>(x); }

}  // namespace

std::vector<int64_t> DefaultMmuWindowsNs() {
  std::vector<int64_t> out;
  for (int64_t decade = 100'000; decade <= 100'000'000; decade *= 10) {
    for (int64_t m : {1, 2, 5}) out.push_back(decade * m);
  }
  out.push_back(1'000'000'000);
  return out;
}

MmuCurve::MmuCurve(std::vector<int64_t> windows_ns) {
  for (int64_t w : windows_ns) windows_.push_back(Window{w});
}

void MmuCurve::OnUtilization(const GcUtilizationStep& step) {
  Push(step.at_ns, std::clamp(step.utilization(), 0.0, 1.0));
  Advance(steps_.back().t);
}

void MmuCurve::Push(int64_t t, double u) {
  if (!started_) {
    started_ = true;
    first_t_ = t;
    steps_.push_back({t, u, 0});
    return;
  }
  Step& last = steps_.back();
  if (t <= last.t) {
    last.u = u;  // the state after everything at one instant counts
    return;
  }
  steps_.push_back({t, u, last.cum_u + last.u * Gap(last.t, t)});
  max_held_ = std::max(max_held_, base_ + steps_.size() - live_);
}

// The integral of utilization from the first step to x (x between a held
// step and the newest one).
double MmuCurve::IntegralTo(size_t* ptr, int64_t x) const {
  const size_t end = base_ + steps_.size();
  while (*ptr + 1 < end && At(*ptr + 1).t <= x) ++*ptr;
  const Step& s = At(*ptr);
  return s.cum_u + s.u * Gap(s.t, x);
}

void MmuCurve::Consider(Window& win, double integral, int64_t start) const {
  if (!win.found || integral < win.best || (integral == win.best && start < win.best_start)) {
    win.found = true;
    win.best = integral;
    win.best_start = start;
  }
}

// Tries every position now fully known (its end at or before `horizon`):
// windows starting at a step, and windows ending at a step.
void MmuCurve::AdvanceWindow(Window& win, int64_t horizon) {
  const size_t end = base_ + steps_.size();
  while (win.next_a < end && SaturatingAdd(At(win.next_a).t, win.w) <= horizon) {
    const Step& s = At(win.next_a);
    win.ptr_a = std::max(win.ptr_a, win.next_a);
    Consider(win, IntegralTo(&win.ptr_a, SaturatingAdd(s.t, win.w)) - s.cum_u, s.t);
    ++win.next_a;
  }
  while (win.next_b < end) {
    const Step& s = At(win.next_b);
    const int64_t start = SaturatingAdd(s.t, -win.w);
    if (start >= first_t_ && start != std::numeric_limits<int64_t>::min()) Consider(win, s.cum_u - IntegralTo(&win.ptr_b, start), start);
    ++win.next_b;
  }
}

void MmuCurve::Advance(int64_t horizon) {
  for (Window& win : windows_) AdvanceWindow(win, horizon);
  DropOld();
}

// Steps before every window's next start position and start pointer are
// needed no more; the newest one always is.
void MmuCurve::DropOld() {
  size_t needed = base_ + steps_.size() - 1;
  for (const Window& win : windows_) needed = std::min({needed, win.next_a, win.ptr_b});
  live_ = std::max(live_, needed);
  const size_t dead = live_ - base_;
  if (dead >= 1024 && dead >= steps_.size() / 2) {
    steps_.erase(steps_.begin(), steps_.begin() + static_cast<std::ptrdiff_t>(dead));
    base_ = live_;
  }
}

void MmuCurve::OnEnd(int64_t end_ns) {
  points_.clear();
  if (!started_) return;
  Push(std::max(end_ns, steps_.back().t), steps_.back().u);
  const Step& last = steps_.back();
  Advance(last.t);
  const double span = Gap(first_t_, last.t);
  for (const Window& win : windows_) {
    MmuPoint p{win.w, 1.0, first_t_};
    if (win.found && static_cast<double>(win.w) <= span) {
      p.utilization = win.best / static_cast<double>(win.w);
      p.worst_start_ns = win.best_start;
    } else if (span > 0) {
      p.utilization = last.cum_u / span;
    } else {
      p.utilization = last.u;
    }
    p.utilization = std::clamp(p.utilization, 0.0, 1.0);
    points_.push_back(p);
  }
}

}  // namespace gcpilot
