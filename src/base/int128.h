// A 128-bit integer for sums of int64 ns and bytes that may pass 2^63
// (GCC and Clang have one; __extension__ keeps -Wpedantic quiet about it).
#ifndef GCPILOT_BASE_INT128_H_
#define GCPILOT_BASE_INT128_H_

namespace gcpilot {

__extension__ typedef __int128 Int128;

}  // namespace gcpilot

#endif  // GCPILOT_BASE_INT128_H_
