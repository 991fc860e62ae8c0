// Renderings of a load run: the human table, JSON, the per-second timeline
// as CSV, and the .hgrm percentile distributions.
#ifndef GCPILOT_LOADGEN_LOAD_REPORT_H_
#define GCPILOT_LOADGEN_LOAD_REPORT_H_

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

}  // namespace gcpilot

#endif  // GCPILOT_LOADGEN_LOAD_REPORT_H_
