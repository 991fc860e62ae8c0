// Reads a TOML file for the spec readers (request mixes here, study specs
// in tune): a syntax error names file:line:column, a file that cannot be
// opened says so without a made-up position. toml++ reports errors by
// exception; none leaves this function.
#ifndef GCPILOT_LOADGEN_TOML_FILE_H_
#define GCPILOT_LOADGEN_TOML_FILE_H_

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "base/status.h"

namespace gcpilot {

// A file that cannot be read is kNotFound (absent) or kIoError (a
// directory, no permission) naming the OS reason; a syntax error is
// kInvalidArgument.
inline StatusOr<toml::table> ReadTomlFile(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) {
    const int e = errno;
    const std::string why = fmt::format("{}: cannot open: {}", path, std::strerror(e));
    return e == ENOENT ? Status::NotFound(why) : Status::IoError(why);
  }
  if (S_ISDIR(st.st_mode)) return Status::IoError(fmt::format("{}: is a directory, not a TOML file", path));
  if (access(path.c_str(), R_OK) != 0) {
    return Status::IoError(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  }
  try {
    return toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    const auto& b = e.source().begin;
    if (b.line == 0) return Status::InvalidArgument(fmt::format("{}: {}", path, e.description()));
    return Status::InvalidArgument(fmt::format("{}:{}:{}: {}", path, b.line, b.column, e.description()));
  }
}

}  // namespace gcpilot

#endif  // GCPILOT_LOADGEN_TOML_FILE_H_
