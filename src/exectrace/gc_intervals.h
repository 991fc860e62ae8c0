// What the GC did, from the trace's events: each cycle with its
// stop-the-world phases, every stop-the-world pause with its reason, the
// mark assists and sweeps goroutines ran, the background mark workers'
// time on each P, the heap and GOMAXPROCS. The builder is a TraceSink that
// hands each interval on as soon as it closes (streaming: it holds only
// what is open), to one or more GcIntervalSinks: the timeline collector,
// the MMU curve, the Perfetto writer.
//
// Times are the trace clock (ns since the trace's first event). An
// interval still open when the trace ends is closed at the last event's
// time and counted as cut.
//
// Besides the model's intervals, two finer streams serve the per-P views:
// ProcGcSlice (what GC work a P itself was running, one kind at a time, so
// a P's slices never overlap: a goroutine's mark assist counts only while
// that goroutine runs) and GcUtilizationStep (how many Ps the GC holds, in
// time order, for the MMU curve). Both follow Go's MMU definition
// (internal/trace/gc.go): a GC stop-the-world (reason naming the GC) takes
// every P; a running mark assist, a sweep, a dedicated or fractional mark
// worker takes its P; an idle mark worker takes nothing (it runs only on a
// P with nothing else to do).
#ifndef GCPILOT_EXECTRACE_GC_INTERVALS_H_
#define GCPILOT_EXECTRACE_GC_INTERVALS_H_

#include <cstdint>

#include "base/saturating.h"  // trace times: a decoder guarantees them in order, not small
#include "exectrace/trace_event.h"
#include "model/gc_cycle.h"
#include "model/gc_timeline.h"

namespace gcpilot {

// A P running one kind of GC work without a break.
struct ProcGcSlice {
  enum class Kind : uint8_t { kMarkAssist, kSweep, kDedicated, kFractional, kIdle };
  Kind kind = Kind::kMarkAssist;
  int32_t proc = -1;
  int64_t goroutine = 0;  // the goroutine running it (0 where unknown: a sweep seen without one)
  TimeSpan span;
  bool operator==(const ProcGcSlice&) const = default;
};

// From `at_ns` on (to the next step, or the trace's end), `gc_procs` of
// `procs` Ps do GC work; during a GC stop-the-world gc_procs == procs.
// Steps come in time order, only where the share changes, and only once
// GOMAXPROCS is known (before that the MMU has no denominator).
struct GcUtilizationStep {
  int64_t at_ns = 0;
  int32_t gc_procs = 0;
  int32_t procs = 0;
  double utilization() const { return procs > 0 ? 1.0 - static_cast<double>(gc_procs) / procs : 1.0; }
  bool operator==(const GcUtilizationStep&) const = default;
};

class GcIntervalSink {
 public:
  virtual ~GcIntervalSink() = default;
  virtual void OnCycle(const GcCycle& /*cycle*/) {}
  virtual void OnStw(const StwPause& /*pause*/) {}
  virtual void OnGoroutineSpan(const GoroutineGcSpan& /*span*/) {}
  virtual void OnWorkerSpan(const GcWorkerSpan& /*span*/) {}
  virtual void OnHeap(const HeapSample& /*sample*/) {}
  virtual void OnProcs(const ProcsChange& /*change*/) {}
  virtual void OnProcSlice(const ProcGcSlice& /*slice*/) {}
  virtual void OnUtilization(const GcUtilizationStep& /*step*/) {}
  // The trace ended at `end_ns`; every interval has been handed on.
  virtual void OnEnd(int64_t /*end_ns*/) {}
};

}  // namespace gcpilot

#endif  // GCPILOT_EXECTRACE_GC_INTERVALS_H_
