// MmuCurve: the minimum mutator utilization curve of a trace, exact and
// streaming. Mutator utilization at an instant is the share of GOMAXPROCS
// left to the program (1 - gc_procs / procs, GcUtilizationStep: Go's
// definition); over a window it is the mean of that; the MMU of a window
// size is the lowest mean over every position of the window inside the
// trace, here found exactly: the windowed mean is piecewise linear in the
// window's start, so its minimum lies where the window's start or end
// meets a step (or at the trace's ends), and every such position is tried.
//
// The curve begins at the first step (where GOMAXPROCS became known) and
// ends at OnEnd's time. A window longer than that whole stretch is
// measured over the whole stretch (as `go tool trace` does), starting at
// its beginning.
//
// Memory: the steps of the last `largest window` of trace time, no more
// (steps older than every window's pending positions are dropped).
#ifndef GCPILOT_EXECTRACE_MMU_CURVE_H_
#define GCPILOT_EXECTRACE_MMU_CURVE_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "exectrace/gc_intervals.h"
#include "model/trace_summary.h"

namespace gcpilot {

// 100us, 200us, 500us, 1ms, ... 500ms, 1s: 13 windows.
std::vector<int64_t> DefaultMmuWindowsNs();

class MmuCurve final : public GcIntervalSink {
 public:
  // `windows_ns`: positive, ascending.
  explicit MmuCurve(std::vector<int64_t> windows_ns = DefaultMmuWindowsNs());

  // Steps in time order; a step at the time of the previous one replaces it.
  void OnUtilization(const GcUtilizationStep& step) override;
  void OnEnd(int64_t end_ns) override;

  // One point per window, ascending; valid after OnEnd. Empty when no step
  // came (the trace never said GOMAXPROCS).
  const std::vector<MmuPoint>& points() const { return points_; }
  // The most steps held at once (for tests of the memory bound).
  size_t max_held_steps() const { return max_held_; }

 private:
  struct Step {
    int64_t t;
    double u;      // utilization from t to the next step
    double cum_u;  // integral of utilization from the first step to t (ns)
  };
  struct Window {
    int64_t w;
    size_t next_a = 0;  // next position starting at step next_a
    size_t next_b = 0;  // next position ending at step next_b
    size_t ptr_a = 0;   // step at or before the end of next_a's window
    size_t ptr_b = 0;   // step at or before the start of next_b's window
    bool found = false;
    double best = 0;    // lowest integral seen
    int64_t best_start = 0;
  };

  void Push(int64_t t, double u);
  void Advance(int64_t horizon);
  void AdvanceWindow(Window& win, int64_t horizon);
  void Consider(Window& win, double integral, int64_t start) const;
  double IntegralTo(size_t* ptr, int64_t x) const;  // *ptr: global step index, moved forward
  const Step& At(size_t global) const { return steps_[global - base_]; }
  void DropOld();

  std::vector<Window> windows_;
  // Held steps are steps_[live_ - base_ ..]; the dropped ones before them
  // are erased in bulk (a vector indexes faster than a deque, and every
  // position of every window reads a step or two).
  std::vector<Step> steps_;
  size_t base_ = 0;  // global index of steps_.front()
  size_t live_ = 0;  // global index of the oldest held step
  int64_t first_t_ = 0;
  bool started_ = false;
  size_t max_held_ = 0;
  std::vector<MmuPoint> points_;
};

}  // namespace gcpilot

#endif  // GCPILOT_EXECTRACE_MMU_CURVE_H_
