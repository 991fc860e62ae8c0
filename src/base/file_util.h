// Small file helpers every stage needs once: writing a file so that no
// reader ever sees half of it, and the last lines of a log for messages.
#ifndef GCPILOT_BASE_FILE_UTIL_H_
#define GCPILOT_BASE_FILE_UTIL_H_

#include <string>
#include <string_view>

#include "base/status.h"

namespace gcpilot {

// Writes `bytes` to `path` through `path`.tmp and a rename, so `path` is
// either the old file or the whole new one. Errors name `path`.
[[nodiscard]] Status WriteFileAtomically(const std::string& path, std::string_view bytes);

// Why `path` could not be written later ("" if it can: its directory
// exists and is writable, it is not a directory), so a long job is not made
// only to lose its results.
std::string WhyUnwritable(const std::string& path);

// The last `n` non-empty lines of the file at `path` joined by '|', cut to
// its last `max_bytes` bytes, for failure reasons; "" for an empty or
// missing file.
std::string TailLines(const std::string& path, int n, size_t max_bytes = 300);

}  // namespace gcpilot

#endif  // GCPILOT_BASE_FILE_UTIL_H_
