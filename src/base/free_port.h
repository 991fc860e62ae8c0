// A free TCP port on 127.0.0.1 for a target to listen on.
#ifndef GCPILOT_BASE_FREE_PORT_H_
#define GCPILOT_BASE_FREE_PORT_H_

#include "base/status.h"

namespace gcpilot {

// Binds 127.0.0.1:0, reads the port the kernel chose and releases it (the
// kernel does not hand it out again at once, so the caller's target can
// bind it next). kIoError when no socket can be bound.
[[nodiscard]] StatusOr<int> PickFreePort();

}  // namespace gcpilot

#endif  // GCPILOT_BASE_FREE_PORT_H_
