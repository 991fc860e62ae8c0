// The request attribution for people and programs: the sentence that says
// whether the GC is the cause, the table of where the slow requests' time
// went beside every request's, the JSON under the "requests" key of
// `gcpilot trace --json`, and a CSV of the slowest requests. Output is
// deterministic (fixed float formatting).
#ifndef GCPILOT_EXECTRACE_REQUEST_ATTRIBUTION_TEXT_H_
#define GCPILOT_EXECTRACE_REQUEST_ATTRIBUTION_TEXT_H_

#include <string>

#include <nlohmann/json.hpp>

#include "model/trace_summary.h"

namespace gcpilot {

// The sentence itself is the model's TraceAttributionSentence
// (model/trace_summary.h), which the report shares.

// Rows running, assist, runnable (and its "in mark" part), stw, blocked,
// syscall, total; columns: the slow requests' time in ms and its share of
// their wall time, the same for all requests. Ends with a newline.
std::string RequestAttributionTable(const TraceAttribution& a);

// The sentence, the table and the slowest requests, for `gcpilot trace`.
std::string RequestAttributionText(const TraceAttribution& a);

// {"unit", "requests", "slow_percentile", "threshold_ns", "slow",
//  "slow_met_stw", "slow_assisted", "slow_runnable_in_mark",
//  "slow_total": {split}, "all_total": {split},
//  "slowest": [{"name", "id", "start_ns", "end_ns", "duration_ns", "split": {split}}]}
// where a split is {"running_ns", "assist_ns", "runnable_ns",
// "runnable_in_mark_ns", "stw_ns", "blocked_ns", "syscall_ns"}.
nlohmann::json RequestAttributionJson(const TraceAttribution& a);

// One header line, then one row per kept slow request, slowest first:
// rank,name,id,start_ns,end_ns,duration_ns,running_ns,assist_ns,runnable_ns,
// runnable_in_mark_ns,stw_ns,blocked_ns,syscall_ns (names quoted as RFC 4180
// wants where they hold a comma, a quote or a line break).
std::string RequestAttributionCsv(const TraceAttribution& a);

}  // namespace gcpilot

#endif  // GCPILOT_EXECTRACE_REQUEST_ATTRIBUTION_TEXT_H_
