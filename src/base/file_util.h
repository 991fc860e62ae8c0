// Small file helpers every stage needs once: writing a file so that no
// reader ever sees half of it, and the last lines of a log for messages.
#ifndef GCPILOT_BASE_FILE_UTIL_H_
#define GCPILOT_BASE_FILE_UTIL_H_

#include <functional>
#include <ostream>
#include <string>
#include <string_view>

#include "base/status.h"

namespace gcpilot {

// Writes `bytes` to `path` so that `path` is either the old file or the
// whole new one: through a temporary file unique to this call
// (".NAME.gcpilot-XXXXXX" beside `path`, from mkstemp), renamed over
// `path` only when complete and removed on every error. SIGINT and SIGTERM
// wait until the temporary file is renamed or removed, so a stopped run
// leaves none behind. A symlink is written through (the link stays); a
// directory at `path` is refused, never replaced; a FIFO or device
// (/dev/stdout) is written in place, as it cannot hold a half file. A new file gets the mode a plain create would (0666
// & ~umask), an existing one keeps its mode. Errors are kIoError naming `path` and the reason: "out.html: is a
// directory", "x/y.csv: cannot write: No such file or directory".
[[nodiscard]] Status WriteFileAtomically(const std::string& path, std::string_view bytes);
// The same for output produced as a stream (CSV rows of millions of
// requests); `write` must not keep `out` past its return.
[[nodiscard]] Status WriteFileAtomically(const std::string& path, const std::function<void(std::ostream& out)>& write);

// Replaces *out with the bytes of the file at `path` (a small input such
// as a request body). kNotFound or kIoError naming `path` and the reason:
// "pay.json: cannot open: No such file or directory", "x: is a directory".
[[nodiscard]] Status ReadInputFile(const std::string& path, std::string* out);

// Why `path` could not be written later ("" if it can: its directory
// exists and is writable, it is not a directory), so a long job is not
// made only to lose its results.
std::string WhyUnwritable(const std::string& path);

// The last `n` non-empty lines of the file at `path` joined by '|', cut to
// its last `max_bytes` bytes, for failure reasons; "" for an empty or
// missing file.
std::string TailLines(const std::string& path, int n, size_t max_bytes = 300);

}  // namespace gcpilot

#endif  // GCPILOT_BASE_FILE_UTIL_H_
