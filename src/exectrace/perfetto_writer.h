// PerfettoWriter: the GC's intervals as Chrome trace-event JSON (the
// "JSON trace format" ui.perfetto.dev and chrome://tracing open), written
// to a stream as they are handed on, never held as a whole document.
//
// One process ("Go GC", pid 1) with these tracks (threads):
//   tid 1 "GC cycles": each cycle as a slice "GC N" with its phases nested
//       inside ("STW sweep termination", "concurrent mark", "STW mark
//       termination");
//   tid 2 "stop-the-world": every pause, named by its reason;
//   tid 100+P "P N": what GC work P ran (ProcGcSlice: "mark assist",
//       "sweep", "GC worker (dedicated|fractional|idle)"), args.goroutine.
//   A counter "heap" (HeapAlloc, HeapGoal in bytes).
// Stop-the-worlds have their own track rather than one on each P's: a
// sweep a P runs for the stopping goroutine can cross a pause's edge, and
// slices on one track must nest.
//
// Events are "ph":"X" (ts, dur), "ph":"C" and "ph":"M" (names); ts and dur
// are microseconds with three decimals (exact nanoseconds), on the trace
// clock. The file is valid JSON once OnEnd has written its closing.
#ifndef GCPILOT_EXECTRACE_PERFETTO_WRITER_H_
#define GCPILOT_EXECTRACE_PERFETTO_WRITER_H_

#include <cstdint>
#include <ostream>
#include <set>
#include <string>
#include <string_view>

#include "exectrace/gc_intervals.h"

namespace gcpilot {

class PerfettoWriter final : public GcIntervalSink {
 public:
  // Writes the opening at once. `out` must outlive the writer.
  explicit PerfettoWriter(std::ostream& out);

  void OnCycle(const GcCycle& cycle) override;
  void OnStw(const StwPause& pause) override;
  void OnProcSlice(const ProcGcSlice& slice) override;
  void OnHeap(const HeapSample& sample) override;
  void OnEnd(int64_t end_ns) override;

  int64_t events() const { return events_; }

 private:
  void Slice(int tid, std::string_view name, TimeSpan span, const std::string& args);
  void Track(int tid, std::string_view name);
  void Begin();

  std::ostream& out_;
  std::set<int> tracks_;
  int64_t events_ = 0;
};

// ns as microseconds with three decimals: 1234567 -> "1234.567".
std::string MicrosText(int64_t ns);

}  // namespace gcpilot

#endif  // GCPILOT_EXECTRACE_PERFETTO_WRITER_H_
