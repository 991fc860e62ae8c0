// Reads a TOML file for the spec readers (request mixes here, study specs
// in tune): a syntax error names file:line:column, a file that cannot be
// opened says so without a made-up position. toml++ reports errors by
// exception; none leaves this function.
#ifndef GCPILOT_LOADGEN_TOML_FILE_H_
#define GCPILOT_LOADGEN_TOML_FILE_H_

#include <string>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "base/input_file.h"
#include "base/status.h"

namespace gcpilot {

// A file that cannot be read is CheckInputFile's error (kNotFound absent,
// kIoError a directory or no permission); a syntax error is
// kInvalidArgument.
inline StatusOr<toml::table> ReadTomlFile(const std::string& path) {
  if (Status st = CheckInputFile(path, "a TOML file"); !st.ok()) return st;
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
