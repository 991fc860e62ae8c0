#include "model/gc_cpu.h"

#include "base/int128.h"

namespace gcpilot {

double WindowGcCpuShare(const std::vector<GcCycle>& cycles, int64_t from_ns, int64_t to_ns) {
  int32_t procs = 0;
  Int128 gc_cpu_ns = 0;  // each cycle's fits an int64, their sum need not
  for (const GcCycle& c : cycles) {
    if (c.start_ns >= to_ns) continue;
    procs = c.procs;
    if (c.start_ns >= from_ns) gc_cpu_ns += c.gc_cpu_ns();
  }
  if (procs <= 0 || to_ns <= from_ns) return -1;
  return static_cast<double>(gc_cpu_ns) / (static_cast<double>(to_ns - from_ns) * procs);
}

}  // namespace gcpilot
