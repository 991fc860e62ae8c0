// Counts with their nouns, for output a user reads: "1 cycle", "2 cycles".
#ifndef GCPILOT_BASE_PLURAL_H_
#define GCPILOT_BASE_PLURAL_H_

#include <cstdint>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace gcpilot {

// "1 cycle", "0 cycles", "3 cycles": `n`, a space and the noun, singular
// only for exactly one. `plural` defaults to `singular` + "s".
inline std::string CountOf(int64_t n, std::string_view singular, std::string_view plural = {}) {
  if (n == 1) return fmt::format("1 {}", singular);
  if (plural.empty()) return fmt::format("{} {}s", n, singular);
  return fmt::format("{} {}", n, plural);
}

// "was" for exactly one, "were" otherwise: the verb that follows a count.
inline const char* WasOrWere(int64_t n) { return n == 1 ? "was" : "were"; }

}  // namespace gcpilot

#endif  // GCPILOT_BASE_PLURAL_H_
