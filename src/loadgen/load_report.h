// Renderings of a load run: the human table, JSON, the per-second timeline
// as CSV, and the .hgrm percentile distributions.
#ifndef GCPILOT_LOADGEN_LOAD_REPORT_H_
#define GCPILOT_LOADGEN_LOAD_REPORT_H_

#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

#include "loadgen/engine.h"

namespace gcpilot {

struct LoadRunInfo {
  std::string target;  // "127.0.0.1:8080"
  int connections = 0, max_connections = 0;
  int64_t warmup_ns = 0, timeout_ns = 0;
};

std::string LoadTable(const LoadResult& r, const LoadRunInfo& info);
nlohmann::ordered_json LoadJson(const LoadResult& r, const LoadRunInfo& info);
std::string LoadTimelineCsv(const LoadResult& r);
// One CSV row per record of r.requests, after a header row:
//   due_ns_from_measured_start,sent_ns_from_measured_start,
//   done_ns_from_measured_start,kind,status,outcome,corrected_ns,uncorrected_ns
// Times are ns after r.measured_start_ns (so they line up with the
// timeline's seconds); kind is the kind's name (CSV-quoted if it needs
// it); outcome is RequestOutcomeName(). A time the request never reached,
// the status of a request that got no answer, and a latency it has none
// of are empty fields. Streams, so a long run's log is never copied whole.
void WriteLoadRequestsCsv(const LoadResult& r, std::ostream& out);

}  // namespace gcpilot

#endif  // GCPILOT_LOADGEN_LOAD_REPORT_H_
