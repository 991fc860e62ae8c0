// The CPUs this process may run on: for thread counts and for pinning a
// service and its load generator apart.
#ifndef GCPILOT_BASE_CPUS_H_
#define GCPILOT_BASE_CPUS_H_

#include <vector>

namespace gcpilot {

// The CPUs in this process's affinity mask, ascending (empty if it cannot
// be read).
std::vector<int> UsableCpuList();

}  // namespace gcpilot

#endif  // GCPILOT_BASE_CPUS_H_
