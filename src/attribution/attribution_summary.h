// A run's attribution as a user reads it (a table and the sentences under
// it) and as JSON, for gcpilot tune (the recommended and the default run)
// and gcpilot load --gctrace. The HTML report draws its own.
#ifndef GCPILOT_ATTRIBUTION_ATTRIBUTION_SUMMARY_H_
#define GCPILOT_ATTRIBUTION_ATTRIBUTION_SUMMARY_H_

#include <string>

#include <nlohmann/json.hpp>

#include "model/gc_attribution.h"

namespace gcpilot {

// "of the 300 requests above the P99 (4.120 ms), 71% were due during
// concurrent mark, 4% met an STW, 0% were in a recovery, 25% had no GC
// nearby"; "no request was above the P99 (...)" when none was.
std::string SlowRequestsSentence(const SlowRequests& s);

// The per-phase table, the slow-request sentence, recovery and GC excess,
// the estimate's inputs where it was used and the heap warning, each line
// indented by `indent`. "no attribution: ..." when the clocks were not
// aligned.
std::string AttributionText(const RunAttribution& a, const std::string& indent = "  ");

nlohmann::ordered_json AttributionJson(const RunAttribution& a);

}  // namespace gcpilot

#endif  // GCPILOT_ATTRIBUTION_ATTRIBUTION_SUMMARY_H_
