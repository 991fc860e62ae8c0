// GcCycle: one garbage-collection cycle of a Go process, whatever reported
// it: a `GODEBUG=gctrace=1` line or an execution trace. Every stage (the
// gctrace reader, the trace reader, tune, the pacer model, the health gate,
// the report) speaks this one shape. Units: int64 nanoseconds and bytes.
// Where a value came from (gctrace line N, trace byte offset X, the printed
// line's format) is kept apart, in `origin`.
#ifndef GCPILOT_MODEL_GC_CYCLE_H_
#define GCPILOT_MODEL_GC_CYCLE_H_

#include <cstdint>
#include <limits>

namespace gcpilot {

// Which shape of `gctrace=1` line a cycle came from.
enum class GctraceFormat : uint8_t {
  // Go 1.5-1.6: five clock phases (STW sweep termination, concurrent scan,
  // synchronize Ps, concurrent mark, STW mark termination).
  kFivePhase,
  // Go 1.7-1.17: three clock phases (STW sweep termination, concurrent
  // mark, STW mark termination); no stacks/globals.
  kThreePhase,
  // Go 1.18+: three phases plus `S MB stacks, X MB globals`.
  kStacksGlobals,
};

enum class GcSource : uint8_t {
  kGctrace,    // a `gc N @...` line of GODEBUG=gctrace=1
  kExecTrace,  // GCBegin/GCEnd and STW events of an execution trace
};

// Where a cycle came from, and what only that source says about it.
struct GcCycleOrigin {
  GcSource source = GcSource::kGctrace;
  int64_t line = 0;    // gctrace: 1-based line number in the input
  int64_t offset = 0;  // exec trace: byte offset of the cycle's first event
  // gctrace only: the line's shape and its `P%` (cumulative GC CPU share
  // since the process started, idle marking excluded, as printed).
  GctraceFormat format = GctraceFormat::kStacksGlobals;
  int32_t printed_cpu_percent = 0;
  // gctrace only: 1-based byte column of the first clock term, where a
  // check of the cycle's times against its neighbours points (not stored).
  int32_t clock_column = 0;
  bool operator==(const GcCycleOrigin&) const = default;
};

// A closed interval of time [start_ns, end_ns] on the cycle's clock.
struct TimeSpan {
  int64_t start_ns = 0, end_ns = 0;
  int64_t duration_ns() const { return end_ns - start_ns; }
  bool operator==(const TimeSpan&) const = default;
};

// One cycle. Times are on the source's clock: for gctrace and execution
// traces that is time since the process (its runtime) started, which
// GcTimeline relates to the load clock.
struct GcCycle {
  static constexpr int64_t kUnknown = -1;

  int64_t number = 0;    // cycle number since process start (`gc N`)
  int64_t start_ns = 0;  // sweep termination began (gctrace `@T s`)
  bool forced = false;   // runtime.GC() (gctrace `(forced)`)
  int32_t procs = 0;     // GOMAXPROCS during the cycle

  // Phase durations, wall clock. The phases follow each other from
  // start_ns: sweep termination (STW), concurrent mark, mark termination
  // (STW). Go 1.5-1.6 print five terms: sweep termination, concurrent
  // scan, install write barrier (synchronize Ps: not stop-the-world, every
  // P acknowledges the phase change), concurrent mark, mark termination;
  // there mark_ns holds scan + mark and sync_ns the sync term (0 elsewhere),
  // so concurrent_ns() is everything between the two STW phases.
  int64_t sweep_term_ns = 0;
  int64_t mark_ns = 0;
  int64_t sync_ns = 0;
  int64_t mark_term_ns = 0;

  // CPU time by kind. The STW terms of gctrace are its estimates (wall time
  // x min(GOMAXPROCS, CPUs)); cpu_other_ns is Go 1.5-1.6's scan + sync
  // (install write barrier) terms, 0 elsewhere.
  int64_t cpu_sweep_term_ns = 0;
  int64_t cpu_assist_ns = 0;      // mutator assists
  int64_t cpu_background_ns = 0;  // dedicated + fractional mark workers
  int64_t cpu_idle_ns = 0;        // idle mark workers
  int64_t cpu_mark_term_ns = 0;
  int64_t cpu_other_ns = 0;

  // Heap, bytes. gctrace prints megabytes (bytes >> 20), so its values are
  // whole MiB; heap_*_mb() give back exactly what was printed.
  int64_t heap_start_bytes = 0;      // when the cycle started (the trigger)
  int64_t heap_end_bytes = 0;        // at mark termination
  int64_t heap_live_bytes = 0;       // marked live
  int64_t heap_goal_bytes = 0;       // the goal in force
  int64_t stacks_bytes = kUnknown;   // scannable stacks (Go 1.18+)
  int64_t globals_bytes = kUnknown;  // scannable globals (Go 1.18+)

  GcCycleOrigin origin;

  // The phases as intervals on the cycle's clock.
  TimeSpan sweep_term() const { return {start_ns, start_ns + sweep_term_ns}; }
  TimeSpan mark() const { return {sweep_term().end_ns, sweep_term().end_ns + sync_ns + mark_ns}; }
  TimeSpan mark_term() const { return {mark().end_ns, mark().end_ns + mark_term_ns}; }
  int64_t end_ns() const { return mark_term().end_ns; }
  // Wall time between the two STW phases (all concurrent phases).
  int64_t concurrent_ns() const { return mark().duration_ns(); }
  // Total stop-the-world time of the cycle (both STW phases).
  int64_t stw_ns() const { return sweep_term_ns + mark_term_ns; }
  // Wall time from start to the end of mark termination.
  int64_t wall_ns() const { return sweep_term_ns + mark_ns + sync_ns + mark_term_ns; }
  // GC CPU as the runtime's printed % counts it (idle marking excluded).
  int64_t gc_cpu_ns() const {
    return cpu_sweep_term_ns + cpu_assist_ns + cpu_background_ns + cpu_mark_term_ns + cpu_other_ns;
  }

  // Megabytes as gctrace prints them (truncated, bytes >> 20).
  int64_t heap_start_mb() const { return heap_start_bytes >> 20; }
  int64_t heap_end_mb() const { return heap_end_bytes >> 20; }
  int64_t heap_live_mb() const { return heap_live_bytes >> 20; }
  int64_t heap_goal_mb() const { return heap_goal_bytes >> 20; }
  int64_t stacks_mb() const { return stacks_bytes < 0 ? kUnknown : stacks_bytes >> 20; }
  int64_t globals_mb() const { return globals_bytes < 0 ? kUnknown : globals_bytes >> 20; }

  bool operator==(const GcCycle&) const = default;
};

// Printed megabytes as bytes; false (and the largest whole MiB that fits)
// where `mb` << 20 does not fit an int64.
inline bool MbToBytes(int64_t mb, int64_t* bytes) {
  constexpr int64_t kMaxMb = std::numeric_limits<int64_t>::max() >> 20;
  if (mb > kMaxMb) {
    *bytes = kMaxMb << 20;
    return false;
  }
  *bytes = mb << 20;
  return true;
}

}  // namespace gcpilot

#endif  // GCPILOT_MODEL_GC_CYCLE_H_
