// How the attribution stage writes its figures into the lines a user reads
// (SteadyEstimate::basis, HeapTrend::warning): short, rounded, with units.
#ifndef GCPILOT_ATTRIBUTION_ATTRIBUTION_TEXT_H_
#define GCPILOT_ATTRIBUTION_ATTRIBUTION_TEXT_H_

#include <cstdint>
#include <string>

namespace gcpilot {

// A rate of bytes per second, one decimal, signed when `sign`:
// "+2.1 MiB/s", "3.1 MiB/s", "512.0 KiB/s", "12 B/s".
std::string FormatByteRate(double bytes_per_sec, bool sign);

// A measured duration: "9 ms", "0.35 ms", "123 ms" (3 significant digits)
// under 1 s, else seconds with one decimal: "41.2 s".
std::string FormatDuration(int64_t ns);

// A share in 0..1 as a percentage with two significant digits: "0.02%",
// "2.5%", "25%"; "0%" for 0.
std::string FormatShare(double share);

}  // namespace gcpilot

#endif  // GCPILOT_ATTRIBUTION_ATTRIBUTION_TEXT_H_
