// Why an input file cannot be read, worded one way for every verb and
// every kind of input (logs, TOML specs and mixes, request bodies, study
// databases), so a user sees the same message and exit status for the
// same mistake wherever it is made.
#ifndef GCPILOT_BASE_INPUT_FILE_H_
#define GCPILOT_BASE_INPUT_FILE_H_

#include <string>
#include <string_view>

#include "base/status.h"

namespace gcpilot {

// The error for `path` given the errno of the failed open or read:
// EISDIR is "PATH: is a directory, not WHAT" (kIoError; `what` such as
// "a TOML file"), ENOENT "PATH: cannot open: No such file or directory"
// (kNotFound), any other "PATH: cannot open: REASON" (kIoError).
[[nodiscard]] Status InputFileError(const std::string& path, int error, std::string_view what);

// Ok when `path` exists, is not a directory and may be read; otherwise
// InputFileError. For readers that open by name themselves (toml++,
// SQLite); nothing is opened, so a FIFO is not consumed.
[[nodiscard]] Status CheckInputFile(const std::string& path, std::string_view what);

// Replaces *out with the bytes of the file at `path` (a small input such
// as a request body, `what` "a request body"); errors as InputFileError,
// and a file (or device: /dev/zero) past `max_bytes` is refused unread.
inline constexpr size_t kMaxSmallInputBytes = 64 << 20;
[[nodiscard]] Status ReadInputFile(const std::string& path, std::string_view what, std::string* out,
                                   size_t max_bytes = kMaxSmallInputBytes);

}  // namespace gcpilot

#endif  // GCPILOT_BASE_INPUT_FILE_H_
