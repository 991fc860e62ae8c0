// GcTimeline: what one Go process's garbage collector did over a stretch of
// time: its cycles (from gctrace or an execution trace) and, where an
// execution trace was read, the finer events only a trace carries: each
// stop-the-world with its reason, mark assists and sweeps per goroutine,
// heap samples. The steady-state, attribution, pacer and gate stages all
// read and write this shape.
//
// Clocks. Every time here is on the timeline's clock, which `clock` names:
// the process clock (nanoseconds since the Go runtime started: gctrace
// `@T s` counts from there) or, for an execution trace read on its own, the
// trace clock (nanoseconds since the trace's first event; the runtime's
// start is not in a trace). `monotonic_at_zero_ns`, when known, is
// CLOCK_MONOTONIC at timeline time 0: Go 1.22+ traces on Linux time events
// with the runtime's nanotime (CLOCK_MONOTONIC, divided by 64 at 15.625 MHz),
// Go 1.25+ also say it in EvClockSnapshot; Go 1.11-1.21 traces count CPU
// ticks and carry no such link. `load_clock_origin_ns`, when known, is the load clock
// (CLOCK_MONOTONIC, see request_log.h) at process time 0, so
// load_ns = load_clock_origin_ns + process_ns, within
// `origin_error_ns`. The one place that sets it states how (e.g. the
// target was spawned at a known monotonic time; the runtime starts within
// a millisecond of exec).
#ifndef GCPILOT_MODEL_GC_TIMELINE_H_
#define GCPILOT_MODEL_GC_TIMELINE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "model/gc_cycle.h"

namespace gcpilot {

// A stop-the-world pause as an execution trace records it.
struct StwPause {
  TimeSpan span;
  std::string reason;                 // the runtime's own words ("GC sweep termination", ...)
  int64_t cycle = GcCycle::kUnknown;  // the GC cycle number it belongs to, if any
  bool operator==(const StwPause&) const = default;
};

// Work a goroutine did for the GC on its own time: a mark assist or a
// sweep it ran before it could allocate.
struct GoroutineGcSpan {
  enum class Kind : uint8_t { kMarkAssist, kSweep };
  Kind kind = Kind::kMarkAssist;
  TimeSpan span;
  int64_t goroutine = 0;
  int32_t proc = -1;                  // the P it ran on (where it began), -1 unknown
  int64_t cycle = GcCycle::kUnknown;  // the GC cycle under way where it began, if any
  bool operator==(const GoroutineGcSpan&) const = default;
};

// A P running a background GC mark worker (an execution trace's goroutine
// labelled "GC (dedicated)", "GC (fractional)" or "GC (idle)").
struct GcWorkerSpan {
  enum class Mode : uint8_t { kDedicated, kFractional, kIdle, kUnknown };
  Mode mode = Mode::kUnknown;
  TimeSpan span;
  int32_t proc = -1;
  bool operator==(const GcWorkerSpan&) const = default;
};

// GOMAXPROCS from `at_ns` on (an execution trace's ProcsChange/Gomaxprocs).
struct ProcsChange {
  int64_t at_ns = 0;
  int32_t procs = 0;
  bool operator==(const ProcsChange&) const = default;
};

// The heap as the runtime reported it at one moment.
struct HeapSample {
  int64_t at_ns = 0;
  int64_t heap_bytes = GcCycle::kUnknown;  // HeapAlloc: live + unswept
  int64_t goal_bytes = GcCycle::kUnknown;  // HeapGoal
  bool operator==(const HeapSample&) const = default;
};

enum class TimelineClock : uint8_t {
  kProcess,  // since the Go runtime started (gctrace)
  kTrace,    // since an execution trace's first event
};

struct GcTimeline {
  static constexpr int64_t kUnknown = GcCycle::kUnknown;

  TimelineClock clock = TimelineClock::kProcess;
  int64_t monotonic_at_zero_ns = kUnknown;

  std::vector<GcCycle> cycles;  // in start order
  // Execution traces only (empty for gctrace).
  std::vector<StwPause> stw_pauses;
  std::vector<GoroutineGcSpan> goroutine_spans;
  std::vector<HeapSample> heap_samples;
  std::vector<GcWorkerSpan> worker_spans;
  std::vector<ProcsChange> procs_changes;

  // The load clock at process time 0, and the error bound of that
  // alignment; kUnknown where nothing relates the two clocks.
  int64_t load_clock_origin_ns = kUnknown;
  int64_t origin_error_ns = kUnknown;

  bool aligned() const { return load_clock_origin_ns != kUnknown; }
  // A process time on the load clock (requires aligned()).
  int64_t ToLoadClock(int64_t process_ns) const { return load_clock_origin_ns + process_ns; }

  bool operator==(const GcTimeline&) const = default;
};

}  // namespace gcpilot

#endif  // GCPILOT_MODEL_GC_TIMELINE_H_
