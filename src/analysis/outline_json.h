// A study outline in the JSON a study database keeps (the "spec_json" of a
// study): tune writes the whole spec, whose outline keys are these; the
// report and the analysis read them back without knowing the rest.
#ifndef GCPILOT_ANALYSIS_OUTLINE_JSON_H_
#define GCPILOT_ANALYSIS_OUTLINE_JSON_H_

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "model/study_outline.h"

namespace gcpilot {

// Adds the outline's keys (source, rate, repeats, factors, objective,
// max_peak_rss, max_error_rate, min_gc_cycles) to `j`.
void OutlineToJson(const StudyOutline& outline, nlohmann::json* j);
// Reads them; kCorruption naming the key for a missing or mistyped one.
// Never throws.
[[nodiscard]] StatusOr<StudyOutline> OutlineFromJson(const nlohmann::json& j);

}  // namespace gcpilot

#endif  // GCPILOT_ANALYSIS_OUTLINE_JSON_H_
