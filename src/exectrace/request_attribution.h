// Which requests the GC slowed, and how. A request is a runtime/trace task
// (from UserTaskBegin to UserTaskEnd; the bundled gateway makes one per
// HTTP request) or, in a trace without tasks, a goroutine's life from its
// creation (or first sight) to its end. Each request's wall time is split
// by what its goroutine was doing (running, in its own mark assist,
// runnable and waiting for a P, runnable during concurrent mark, stopped by
// a stop-the-world, blocked, in a syscall: model/trace_summary.h), then the
// requests above a percentile of duration are counted by what they met.
//
// A task's time is the time of the goroutine that began it, from
// UserTaskBegin to UserTaskEnd (wherever that ends it): which goroutine
// ends a task is known only at its end, so nothing is moved after the
// fact; if the beginning goroutine exits first, the task's remaining time
// counts as blocked (it waits on others). Nested tasks are requests of
// their own. A task begun before the trace is not a request. Time inside a
// stop-the-world counts as stw whatever the goroutine's state; runnable
// time inside a GC cycle (GCBegin/GCActive to GCEnd) outside a
// stop-the-world is runnable_in_mark too; the parts but runnable_in_mark
// add up to the wall time exactly. Without any task in the trace (no
// UserTaskBegin or UserTaskEnd at all), each goroutine's life is a request
// instead, from its creation or first sight to its GoEnd, except GC mark
// workers (labelled "GC (...)") and goroutines whose start function is in
// package runtime.
//
// Slow = a duration above the slow_percentile of all, from an HDR
// histogram (ns, 1 us .. 1 h, 3 digits): the threshold is the top of the
// bucket holding the percentile, and the slow counts and sums are exact
// for it (request_tally.h). Met-STW: stw_ns > 0; assisted: it entered a
// mark assist or spent time in one; runnable in mark: runnable_in_mark_ns
// > 0. Streaming: memory is the open requests (tasks and live goroutines),
// the slowest `keep` seen and the histogram with its per-bucket sums.
#ifndef GCPILOT_EXECTRACE_REQUEST_ATTRIBUTION_H_
#define GCPILOT_EXECTRACE_REQUEST_ATTRIBUTION_H_

#include <memory>

#include "exectrace/trace_event.h"
#include "model/trace_summary.h"

namespace gcpilot {

struct RequestAttributionOptions {
  double slow_percentile = 99;  // in (0, 100]
  int keep = 20;                // slowest requests kept with their splits, >= 0
};

class RequestAttributor final : public TraceSink {
 public:
  explicit RequestAttributor(RequestAttributionOptions options = {});
  ~RequestAttributor() override;
  void OnStart(const TraceInfo& info) override;
  void OnEvent(const TraceEvent& e) override;
  void OnFinish() override;

  // After OnFinish (before it: a default TraceAttribution).
  const TraceAttribution& result() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace gcpilot

#endif  // GCPILOT_EXECTRACE_REQUEST_ATTRIBUTION_H_
