// How each setting's latency was measured: the whole GC periods each of
// its runs covered, whether over whole periods, a fixed window, or (the
// window held too few periods) the steady-state estimate, with the
// estimate's inputs (its basis, duty and period) so it is never silent.
#ifndef GCPILOT_REPORT_GC_PERIODS_TABLE_H_
#define GCPILOT_REPORT_GC_PERIODS_TABLE_H_

#include <string>

#include "report/report.h"

namespace gcpilot {

// "10, 10, 9": the GC periods each of the setting's runs (CellStats::
// run_ids, in that order) covered; "?" for a run that did not record it
// (RunMetrics::gc_periods < 0, a study older than the count).
std::string PeriodsPerRunText(const ReportInput& in, const CellStats& cell);

// How the setting's figures were measured: "whole GC periods",
// "steady-state estimate", "fixed window", or the runs of each kind
// ("1 run over whole GC periods, 2 estimated"); "-" without runs.
std::string MeasuredText(const ReportInput& in, const CellStats& cell);

// The estimate's inputs for each of the setting's estimated runs, one
// "run 21: period 41.2 s, duty 0.10%; <basis>" per run, a line each
// (joined by <br>; "" when no run was estimated). HTML.
std::string EstimateInputsHtml(const ReportInput& in, const CellStats& cell);

// The section: one row per setting (best first), with the periods the
// study asked for where its runs recorded it.
std::string GcPeriodsSection(const ReportInput& in);

}  // namespace gcpilot

#endif  // GCPILOT_REPORT_GC_PERIODS_TABLE_H_
