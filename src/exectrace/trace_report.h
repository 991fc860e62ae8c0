// Renders a TraceAnalysis: the human table of `gcpilot trace`, its JSON
// (the keys other stages and scripts read, below) and per-item CSV.
// Output is deterministic: fixed float formatting, no timestamps.
//
// JSON: {"trace": {version, format, bytes, events, batches, generations,
//   duration_ns, truncated_at (null or offset), skipped_batches},
//  "counts": {gc_cycles, stw_pauses, mark_assists, sweeps, goroutines,
//   tasks, regions, active_at_start, cut},
//  "cycles": [...], "stw": {...}, "assists": {...}, "sweeps": {...},
//  "mmu": [{window_ns, utilization, worst_start_ns}], "requests": null or
//  RequestAttributionJson (request_attribution_text.h)}. Times in ns, heap in bytes, utilization 0..1
//  rounded to 6 decimals.
#ifndef GCPILOT_EXECTRACE_TRACE_REPORT_H_
#define GCPILOT_EXECTRACE_TRACE_REPORT_H_

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "exectrace/trace_analyzer.h"
#include "model/trace_summary.h"

namespace gcpilot {

std::string FormatTraceTable(const TraceAnalysis& a, const std::string& source_name);

// Strings are the trace's own bytes: dump with error_handler_t::replace.
nlohmann::json TraceAnalysisJson(const TraceAnalysis& a);
enum class TraceCsvKind { kCycles, kStw, kAssists, kPayers, kMmu, kRequests };
// "cycles", "stw", "assists", "payers", "mmu", "requests"; nullopt otherwise.
std::optional<TraceCsvKind> ParseTraceCsvKind(std::string_view name);
// A header line and one row per item: cycles, every pause, every goroutine
// that assisted, every payer kept, every MMU window, the slowest requests
// kept.
std::string TraceCsv(const TraceAnalysis& a, TraceCsvKind kind);

}  // namespace gcpilot

#endif  // GCPILOT_EXECTRACE_TRACE_REPORT_H_
