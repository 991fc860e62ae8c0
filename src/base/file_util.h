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
// (".NAME.gcpilot-XXXXXX" beside `path`, random, created with O_EXCL),
// renamed over `path` only when complete and removed on every error. A
// SIGINT or SIGTERM in any thread during the write stops it: the handler
// removes the temporary (interrupt_note.h), so a stopped run leaves the old
// file and no temporary. A symlink is written through (the link stays,
// and a dangling one's target is created); a directory at `path` is
// refused, never replaced; one of our open descriptors (/dev/stdout,
// /dev/fd/N, or the file stdout is redirected to) is written at its offset,
// after what was printed before, and a FIFO or device in place: neither
// holds a half file to fear (output_target.h). A new file gets the mode a
// plain create gives (0666 & ~umask, applied by the kernel; the umask is
// never changed), a replaced one keeps its mode. Errors are kIoError
// naming `path` and the reason: "out.html: is a directory", "x/y.csv:
// cannot write: No such file or directory".
[[nodiscard]] Status WriteFileAtomically(const std::string& path, std::string_view bytes);
// The same for output produced as a stream (CSV rows of millions of
// requests); `write` must not keep `out` past its return.
[[nodiscard]] Status WriteFileAtomically(const std::string& path, const std::function<void(std::ostream& out)>& write);

// Why `path` could not be written later ("" if it can: it is a writable
// descriptor of ours, or its directory exists and is writable and it is
// not a directory), so a long job is not made only to lose its results.
std::string WhyUnwritable(const std::string& path);

// Whether `a` and `b` name one file: the same existing inode, or the same
// path once made absolute and normal when neither exists yet (through
// symlinks), so an output is never written over an input.
bool SameFile(const std::string& a, const std::string& b);

// The last `n` non-empty lines of the file at `path` joined by '|', cut to
// its last `max_bytes` bytes, for failure reasons; "" for an empty or
// missing file.
std::string TailLines(const std::string& path, int n, size_t max_bytes = 300);

}  // namespace gcpilot

#endif  // GCPILOT_BASE_FILE_UTIL_H_
