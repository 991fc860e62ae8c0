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
#ifndef GCPILOT_EXECTRACE_GC_INTERVALS_H_
#define GCPILOT_EXECTRACE_GC_INTERVALS_H_

#include <cstdint>

#include "exectrace/trace_event.h"
#include "model/gc_cycle.h"
#include "model/gc_timeline.h"

namespace gcpilot {

class GcIntervalSink {
 public:
  virtual ~GcIntervalSink() = default;
  virtual void OnCycle(const GcCycle& /*cycle*/) {}
  virtual void OnStw(const StwPause& /*pause*/) {}
  virtual void OnGoroutineSpan(const GoroutineGcSpan& /*span*/) {}
  virtual void OnWorkerSpan(const GcWorkerSpan& /*span*/) {}
  virtual void OnHeap(const HeapSample& /*sample*/) {}
  virtual void OnProcs(const ProcsChange& /*change*/) {}
  // The trace ended at `end_ns`; every interval has been handed on.
  virtual void OnEnd(int64_t /*end_ns*/) {}
};

}  // namespace gcpilot

#endif  // GCPILOT_EXECTRACE_GC_INTERVALS_H_
