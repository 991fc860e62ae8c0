// A run's attribution as a user reads it (a table and the sentences under
// it) and as JSON, for gcpilot tune (the recommended and the default run)
// and gcpilot load --gctrace. The HTML report draws its own.
#ifndef GCPILOT_ATTRIBUTION_ATTRIBUTION_SUMMARY_H_
#define GCPILOT_ATTRIBUTION_ATTRIBUTION_SUMMARY_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/gc_attribution.h"

namespace gcpilot {

// The slow requests' shares in whole percent, in the order met_stw,
// due_in_mark, in_recovery, no_gc, rounded so they add up to 100 (largest
// remainder; the earlier one of equal remainders gets the point); all 0
// when no request was slow.
std::array<int64_t, 4> SlowShares(const SlowRequests& s);

// "Of the 312 requests above the P99 (4.100 ms), 71% were due during
// concurrent mark, 4% met a stop-the-world pause, 0% were due in a
// recovery, 25% had no GC nearby." ("No request was above the P99 (...)."
// when none was.) What tune, load and the report all say.
std::string SlowRequestsSentence(const SlowRequests& s);

// "median 1.200 ms, worst 3.400 ms (cycle 12), over 6 cycles": the GC
// excess of the cycles any request fell due in (median: the lower middle
// one); "" when there is none.
std::string CycleExcessText(const std::vector<CycleExcess>& cycles);

// The per-phase table, the slow-request sentence, recovery and GC excess,
// the estimate's inputs where it was used and the heap warning, each line
// indented by `indent`. "no attribution: ..." when the clocks were not
// aligned.
std::string AttributionText(const RunAttribution& a, const std::string& indent = "  ");

nlohmann::ordered_json AttributionJson(const RunAttribution& a);

}  // namespace gcpilot

#endif  // GCPILOT_ATTRIBUTION_ATTRIBUTION_SUMMARY_H_
