// GcCycle: one garbage-collection cycle as the Go runtime reports it. This
// is the shared shape every stage (gctrace logs, execution traces, the
// tuner's runs) speaks; it holds only what the runtime printed or recorded.
#ifndef GCPILOT_MODEL_GC_CYCLE_H_
#define GCPILOT_MODEL_GC_CYCLE_H_

#include <cstdint>

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

// Durations are int64 nanoseconds, as printed (the runtime prints at most
// microsecond precision, so values are exact multiples of 1000 ns). Heap
// sizes are the printed megabytes (the runtime truncates bytes >> 20), kept
// as printed rather than pretending to byte precision.
struct GcCycle {
  int64_t number = 0;        // `gc N`: cycle number since process start
  int64_t at_ns = 0;         // `@T s`: time since process start
  int32_t cpu_percent = 0;   // `P%`: cumulative GC CPU share since start
  GctraceFormat format = GctraceFormat::kThreePhase;

  // Wall clock, `a+b+c ms clock` (five-phase: a+scan+sync+b+c).
  int64_t sweep_term_ns = 0;   // a: STW sweep termination (+ mark setup)
  int64_t mark_ns = 0;         // b: concurrent mark (five-phase: scan+mark)
  int64_t sync_ns = 0;         // five-phase only: synchronize Ps
  int64_t mark_term_ns = 0;    // c: STW mark termination

  // CPU, `d+e/f/g+h ms cpu` (five-phase: d+scan+sync+e/f/g+h).
  int64_t cpu_sweep_term_ns = 0;  // d: estimate, a*min(P,ncpu)
  int64_t cpu_assist_ns = 0;      // e: mutator assists
  int64_t cpu_background_ns = 0;  // f: dedicated+fractional mark workers
  int64_t cpu_idle_ns = 0;        // g: idle mark workers
  int64_t cpu_mark_term_ns = 0;   // h: estimate, c*min(P,ncpu)
  int64_t cpu_other_ns = 0;       // five-phase only: scan + sync terms

  int64_t heap_start_mb = 0;  // H0: heap when the cycle started (trigger)
  int64_t heap_end_mb = 0;    // H1: heap at mark termination
  int64_t heap_live_mb = 0;   // H2: heap marked live
  int64_t heap_goal_mb = 0;   // G: heap goal
  int64_t stacks_mb = -1;     // -1 where the format has no stacks field
  int64_t globals_mb = -1;    // -1 where the format has no globals field
  int32_t procs = 0;          // `N P`: GOMAXPROCS
  bool forced = false;        // line ends in `(forced)`: runtime.GC()

  int64_t line = 0;  // 1-based line number in the input

  // Total stop-the-world time of the cycle (both STW phases).
  int64_t stw_ns() const { return sweep_term_ns + mark_term_ns; }
  // GC CPU as the runtime's printed % counts it (idle marking excluded).
  int64_t gc_cpu_ns() const {
    return cpu_sweep_term_ns + cpu_assist_ns + cpu_background_ns +
           cpu_mark_term_ns + cpu_other_ns;
  }
};

}  // namespace gcpilot

#endif  // GCPILOT_MODEL_GC_CYCLE_H_
