// The GC CPU share of a window of one process's cycles: the one definition
// a run's stored gc_cpu_share (tune, docs/study-database.md) and the
// report's timeline captions share.
#ifndef GCPILOT_MODEL_GC_CPU_H_
#define GCPILOT_MODEL_GC_CPU_H_

#include <cstdint>
#include <vector>

#include "model/gc_cycle.h"

namespace gcpilot {

// GC CPU share of the window [from_ns, to_ns) of one process's cycles
// (times on its clock, cycles in start order): the GC CPU of the cycles that
// began in the window (their cpu terms, idle marking excluded, as the
// runtime's own % counts it) over the window's capacity, its length x the
// GOMAXPROCS of the latest cycle begun before its end. Not gctrace's printed
// %, which counts from the process start. A window without a cycle spent
// nothing on GC: 0. -1 when no cycle began before the window's end
// (GOMAXPROCS unknown) or the window is empty. The sum of the cycles' GC
// CPU may pass int64; the share stays right.
double WindowGcCpuShare(const std::vector<GcCycle>& cycles, int64_t from_ns, int64_t to_ns);

}  // namespace gcpilot

#endif  // GCPILOT_MODEL_GC_CPU_H_
