// Saturating int64 arithmetic: a sum or product of trace timestamps or
// durations that would overflow (a corrupt input can ask for it) is held
// at INT64_MAX or INT64_MIN instead of wrapping (undefined behaviour).
#ifndef GCPILOT_BASE_SATURATING_H_
#define GCPILOT_BASE_SATURATING_H_

#include <cstdint>
#include <limits>

namespace gcpilot {

// a + b, or the int64 limit on the side it overflowed to.
inline int64_t SaturatingAdd(int64_t a, int64_t b) {
  int64_t out;
  if (!__builtin_add_overflow(a, b, &out)) return out;
  return b > 0 ? std::numeric_limits<int64_t>::max() : std::numeric_limits<int64_t>::min();
}

// a * b, or the int64 limit of the product's sign.
inline int64_t SaturatingMul(int64_t a, int64_t b) {
  int64_t out;
  if (!__builtin_mul_overflow(a, b, &out)) return out;
  return (a < 0) != (b < 0) ? std::numeric_limits<int64_t>::min() : std::numeric_limits<int64_t>::max();
}

}  // namespace gcpilot

#endif  // GCPILOT_BASE_SATURATING_H_
