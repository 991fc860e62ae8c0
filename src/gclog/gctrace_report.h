// Renders a GctraceSummary as a human table, JSON, and cycles as CSV.
// Output is deterministic: fixed float formatting, no timestamps.
#ifndef GCPILOT_GCLOG_GCTRACE_REPORT_H_
#define GCPILOT_GCLOG_GCTRACE_REPORT_H_

#include <string>

#include <nlohmann/json.hpp>

#include "gclog/gctrace_analysis.h"
#include "model/gc_cycle.h"

namespace gcpilot {

// The one-screen report: counts, pause and mark distributions, GC CPU,
// heap, and the findings.
std::string FormatGctraceTable(const GctraceSummary& s, const std::string& source_name);

// Machine-readable summary; durations in ns, heap in MB, shares in [0,1]
// (or null when undefined).
nlohmann::json GctraceSummaryJson(const GctraceSummary& s, const std::string& source_name);

// Per-cycle CSV: header line and one row per cycle, durations in ms with
// three decimals (exactly what the runtime printed).
std::string GctraceCsvHeader();
std::string GctraceCsvRow(const GcCycle& c);

}  // namespace gcpilot

#endif  // GCPILOT_GCLOG_GCTRACE_REPORT_H_
