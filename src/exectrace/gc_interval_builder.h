// GcIntervalBuilder: the TraceSink that turns a trace's events into the
// GC's intervals (gc_intervals.h) and hands each on as it closes.
//
// State is per P (the goroutine running there, an open sweep, the GC work
// it runs) and per goroutine (running on which P, an open mark assist, a
// mark-worker label for the current run); a goroutine with nothing open is
// forgotten, so memory follows what is open, never the trace's length.
//
// What becomes what:
//   kGcBegin / kGcActive .. kGcEnd  -> GcCycle (source kExecTrace, offset of
//       its first event). start_ns is the sweep-termination stop-the-world's
//       start where one was seen in the cycle, else the kGcBegin (or, for a
//       cycle already under way, the kGcActive). sweep_term_ns, mark_ns and
//       mark_term_ns come from the STWs inside; the cycle is handed on at the
//       end of the mark-termination STW that kGcEnd falls in (the runtime
//       writes GCEnd inside it). procs: GOMAXPROCS at the end; heap_start_bytes
//       and heap_end_bytes: the last HeapAlloc before kGcBegin / kGcEnd;
//       heap_goal_bytes: the last HeapGoal before the end; heap_live_bytes is
//       not in a trace (kUnknown). cpu_assist_ns, cpu_background_ns and
//       cpu_idle_ns: the Ps' time in assists, dedicated + fractional and idle
//       workers inside the cycle (ProcGcSlice); the STW CPU terms are wall
//       time x GOMAXPROCS.
//   kStwBegin .. kStwEnd -> StwPause (reason: the event's text; cycle: the
//       one under way at its start).
//   kAssistBegin / kAssistActive .. kAssistEnd (per goroutine),
//   kSweepBegin / kSweepActive .. kSweepEnd (per P) -> GoroutineGcSpan.
//   A goroutine labelled "GC (dedicated)", "GC (fractional)" or "GC (idle)"
//       (v1: kGoStart's text; v2: a kGoLabel after its kGoStart) -> a
//       GcWorkerSpan from that start to its stop.
//   kHeapAlloc / kHeapGoal -> HeapSample (both values as last known);
//   kProcs -> ProcsChange (only where the value changes).
//
// Counting: an interval is counted once, whether it began inside the trace
// or was already active where the trace (or a v2 generation) began; an
// Active event for one already open is ignored. An end with nothing open
// (an interval active where a v1 trace began) is counted too, from time 0.
// Intervals open at the end are closed at the last event's time and
// counted as cut.
#ifndef GCPILOT_EXECTRACE_GC_INTERVAL_BUILDER_H_
#define GCPILOT_EXECTRACE_GC_INTERVAL_BUILDER_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "exectrace/gc_intervals.h"
#include "exectrace/trace_event.h"

namespace gcpilot {

// How many of each interval the builder handed on.
struct GcIntervalCounts {
  int64_t cycles = 0;
  int64_t stw_pauses = 0;
  int64_t mark_assists = 0;
  int64_t sweeps = 0;
  int64_t worker_spans = 0;
  int64_t active_at_start = 0;  // of all those: already under way where the trace began
  int64_t cut = 0;              // of all those: still open at the end
  bool operator==(const GcIntervalCounts&) const = default;
};

class GcIntervalBuilder final : public TraceSink {
 public:
  // `sinks` are not owned and must outlive the builder's OnFinish.
  explicit GcIntervalBuilder(std::vector<GcIntervalSink*> sinks);
  ~GcIntervalBuilder() override;

  void OnStart(const TraceInfo& info) override;
  void OnEvent(const TraceEvent& e) override;
  // Closes what is open at the last event's time, then calls OnEnd.
  void OnFinish() override;

  const GcIntervalCounts& counts() const;
  // The last event's time (0 before any).
  int64_t end_ns() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace gcpilot

#endif  // GCPILOT_EXECTRACE_GC_INTERVAL_BUILDER_H_
