// Checks shared by the verbs' flags, with messages that state what a flag
// takes in the user's words.
#ifndef GCPILOT_CLI_FLAG_CHECKS_H_
#define GCPILOT_CLI_FLAG_CHECKS_H_

#include <charconv>
#include <cstdint>
#include <string>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

namespace gcpilot::cli {

// A whole number in [lo, hi]; anything else (a word, a fraction, a sign
// out of range) is refused as "a whole number lo..hi (note)". `note` says
// what a special value means and may be empty.
inline CLI::Validator WholeNumberIn(int64_t lo, int64_t hi, std::string note) {
  std::string want = fmt::format("a whole number {}..{}", lo, hi);
  if (!note.empty()) want += " (" + note + ")";
  return CLI::Validator(
      [lo, hi, want](std::string& text) -> std::string {
        int64_t v = 0;
        const char* const end = text.data() + text.size();
        const auto [p, ec] = std::from_chars(text.data(), end, v);
        if (ec == std::errc() && p == end && v >= lo && v <= hi) return "";
        return fmt::format("wants {}, got \"{}\"", want, text);
      },
      fmt::format("INT in {}..{}", lo, hi));
}

}  // namespace gcpilot::cli

#endif  // GCPILOT_CLI_FLAG_CHECKS_H_
