// Test support: TraceEvent streams written by hand, and a GcIntervalSink
// that records everything it is given. Until the format decoders land the
// GC analyses are tested on such streams; afterwards on the real fixtures.
#ifndef GCPILOT_EXECTRACE_TRACE_EVENT_TEST_UTIL_H_
#define GCPILOT_EXECTRACE_TRACE_EVENT_TEST_UTIL_H_

#include <string>
#include <vector>

#include "exectrace/gc_intervals.h"
#include "exectrace/trace_event.h"

namespace gcpilot::testing {

// An event with its strings owned (TraceEvent only views them).
struct OwnedEvent {
  TraceEvent e;
  std::string text, function;
};

// Builds a stream: each call appends one event at `ns` on P `p`, goroutine `g`.
class EventStream {
 public:
  EventStream& Add(TraceEventKind kind, int64_t ns, int32_t p, int64_t g, int64_t a = 0, int64_t b = 0,
                   std::string text = "", std::string function = "") {
    OwnedEvent o;
    o.e.kind = kind;
    o.e.ns = ns;
    o.e.p = p;
    o.e.g = g;
    o.e.a = a;
    o.e.b = b;
    o.e.offset = static_cast<int64_t>(events_.size()) * 10 + 16;
    o.text = std::move(text);
    o.function = std::move(function);
    events_.push_back(std::move(o));
    return *this;
  }
  // Hands every event to `sink`, between OnStart and OnFinish.
  void Play(TraceSink& sink, const TraceInfo& info = {}) const {
    sink.OnStart(info);
    for (const OwnedEvent& o : events_) {
      TraceEvent e = o.e;
      e.text = o.text;
      e.function = o.function;
      sink.OnEvent(e);
    }
    sink.OnFinish();
  }

 private:
  std::vector<OwnedEvent> events_;
};

struct RecordingSink final : GcIntervalSink {
  std::vector<GcCycle> cycles;
  std::vector<StwPause> stws;
  std::vector<GoroutineGcSpan> spans;
  std::vector<GcWorkerSpan> workers;
  std::vector<HeapSample> heap;
  std::vector<ProcsChange> procs;
  std::vector<ProcGcSlice> slices;
  std::vector<GcUtilizationStep> steps;
  int64_t end_ns = -1;
  void OnCycle(const GcCycle& c) override { cycles.push_back(c); }
  void OnStw(const StwPause& p) override { stws.push_back(p); }
  void OnGoroutineSpan(const GoroutineGcSpan& s) override { spans.push_back(s); }
  void OnWorkerSpan(const GcWorkerSpan& s) override { workers.push_back(s); }
  void OnHeap(const HeapSample& s) override { heap.push_back(s); }
  void OnProcs(const ProcsChange& c) override { procs.push_back(c); }
  void OnProcSlice(const ProcGcSlice& s) override { slices.push_back(s); }
  void OnUtilization(const GcUtilizationStep& s) override { steps.push_back(s); }
  void OnEnd(int64_t ns) override { end_ns = ns; }
};

}  // namespace gcpilot::testing

#endif  // GCPILOT_EXECTRACE_TRACE_EVENT_TEST_UTIL_H_
