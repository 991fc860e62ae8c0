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

// Two cycles on one P; goroutines 20 and 21 (made by main.serve) and 30
// (by main.batch) assist; goroutine 2 was there before the trace.
inline EventStream TwoCycles() {
  using K = TraceEventKind;
  EventStream s;
  s.Add(K::kProcs, 0, 0, 0, 1)
      .Add(K::kGoCreate, 1, 0, 1, 20, 0, "", "main.serve")
      .Add(K::kGoCreate, 2, 0, 1, 21, 0, "", "main.serve")
      .Add(K::kGoCreate, 3, 0, 1, 30, 0, "", "main.batch")
      .Add(K::kGcBegin, 100, 0, 1, 1)
      .Add(K::kStwBegin, 100, 0, 1, 0, 0, "GC sweep termination")
      .Add(K::kStwEnd, 130, 0, 1)
      .Add(K::kAssistBegin, 200, 0, 20)
      .Add(K::kAssistEnd, 260, 0, 20)
      .Add(K::kAssistBegin, 300, 0, 30)
      .Add(K::kAssistEnd, 310, 0, 30)
      .Add(K::kStwBegin, 400, 0, 1, 0, 0, "GC mark termination")
      .Add(K::kGcEnd, 405, 0, 1, 1)
      .Add(K::kStwEnd, 410, 0, 1)
      .Add(K::kStwBegin, 500, 0, 1, 0, 0, "read mem stats")
      .Add(K::kStwEnd, 700, 0, 1)
      .Add(K::kGcBegin, 1000, 0, 1, 2)
      .Add(K::kStwBegin, 1000, 0, 1, 0, 0, "GC sweep termination")
      .Add(K::kStwEnd, 1020, 0, 1)
      .Add(K::kAssistBegin, 1100, 0, 21)
      .Add(K::kAssistEnd, 1150, 0, 21)
      .Add(K::kAssistBegin, 1200, 0, 20)
      .Add(K::kAssistEnd, 1230, 0, 20)
      .Add(K::kAssistBegin, 1300, 0, 2)
      .Add(K::kAssistEnd, 1400, 0, 2)
      .Add(K::kStwBegin, 1500, 0, 1, 0, 0, "GC mark termination")
      .Add(K::kGcEnd, 1501, 0, 1, 2)
      .Add(K::kStwEnd, 1540, 0, 1)
      .Add(K::kSweepBegin, 1600, 0, 1)
      .Add(K::kSweepEnd, 1700, 0, 1);
  return s;
}

}  // namespace gcpilot::testing

#endif  // GCPILOT_EXECTRACE_TRACE_EVENT_TEST_UTIL_H_
