// Which requests the GC slowed, and how. A request is a runtime/trace task
// (from UserTaskBegin to UserTaskEnd; the bundled gateway makes one per
// HTTP request) or, in a trace without tasks, a goroutine's life from its
// creation (or first sight) to its end. Each request's wall time is split
// by what its goroutine was doing (running, in its own mark assist,
// runnable and waiting for a P, runnable during concurrent mark, stopped by
// a stop-the-world, blocked, in a syscall: model/trace_summary.h), then the
// requests above a percentile of duration are counted by what they met.
//
// A task's time is its goroutine's (the goroutine that began it; a task
// ended on another goroutine follows the one that ended it from there).
// Streaming: only open requests are held, plus the slowest `keep` seen and
// an HDR histogram of all durations.
#ifndef GCPILOT_EXECTRACE_REQUEST_ATTRIBUTION_H_
#define GCPILOT_EXECTRACE_REQUEST_ATTRIBUTION_H_

#include <memory>

#include "exectrace/trace_event.h"
#include "model/trace_summary.h"

namespace gcpilot {

struct RequestAttributionOptions {
  double slow_percentile = 99;
  int keep = 20;  // slowest requests kept with their splits
};

class RequestAttributor final : public TraceSink {
 public:
  explicit RequestAttributor(RequestAttributionOptions options = {});
  ~RequestAttributor() override;
  void OnStart(const TraceInfo& info) override;
  void OnEvent(const TraceEvent& e) override;
  void OnFinish() override;

  // After OnFinish.
  const TraceAttribution& result() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace gcpilot

#endif  // GCPILOT_EXECTRACE_REQUEST_ATTRIBUTION_H_
