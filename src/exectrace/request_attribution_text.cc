#include "exectrace/request_attribution_text.h"

#include <cstdint>
#include <string_view>

#include <fmt/format.h>

#include "base/csv_field.h"
#include "base/units.h"

namespace gcpilot {
namespace {

struct SplitRow {
  const char* label;
  int64_t RequestTimeSplit::* part;
};
constexpr SplitRow kRows[] = {
    {"running", &RequestTimeSplit::running_ns},
    {"mark assist", &RequestTimeSplit::assist_ns},
    {"runnable", &RequestTimeSplit::runnable_ns},
    {"  of which in mark", &RequestTimeSplit::runnable_in_mark_ns},
    {"stop-the-world", &RequestTimeSplit::stw_ns},
    {"blocked", &RequestTimeSplit::blocked_ns},
    {"syscall", &RequestTimeSplit::syscall_ns},
};

std::string Share(int64_t part, int64_t whole) {
  if (whole <= 0) return "-";
  return fmt::format("{:.1f}%", 100.0 * static_cast<double>(part) / static_cast<double>(whole));
}

nlohmann::json SplitJson(const RequestTimeSplit& s) {
  nlohmann::json j = nlohmann::json::object();
  j["running_ns"] = s.running_ns;
  j["assist_ns"] = s.assist_ns;
  j["runnable_ns"] = s.runnable_ns;
  j["runnable_in_mark_ns"] = s.runnable_in_mark_ns;
  j["stw_ns"] = s.stw_ns;
  j["blocked_ns"] = s.blocked_ns;
  j["syscall_ns"] = s.syscall_ns;
  return j;
}

}  // namespace

std::string RequestAttributionTable(const TraceAttribution& a) {
  const int64_t slow_wall = RequestWallNs(a.slow_total), all_wall = RequestWallNs(a.all_total);
  std::string out = fmt::format("{:<20} {:>14} {:>7}  {:>14} {:>7}\n", "where the time went",
                                fmt::format("slow ({})", a.slow), "share", fmt::format("all ({})", a.requests), "share");
  for (const SplitRow& row : kRows) {
    const int64_t s = a.slow_total.*row.part, all = a.all_total.*row.part;
    out += fmt::format("{:<20} {:>11} ms {:>7}  {:>11} ms {:>7}\n", row.label, Ms(s), Share(s, slow_wall), Ms(all),
                       Share(all, all_wall));
  }
  out += fmt::format("{:<20} {:>11} ms {:>7}  {:>11} ms {:>7}\n", "total", Ms(slow_wall), Share(slow_wall, slow_wall),
                     Ms(all_wall), Share(all_wall, all_wall));
  return out;
}

std::string RequestAttributionText(const TraceAttribution& a) {
  std::string out = TraceAttributionSentence(a) + "\n";
  if (a.requests == 0) return out;
  out += "\n" + RequestAttributionTable(a);
  if (a.slowest.empty()) return out;
  out += fmt::format("\nslowest {}s{:>8} {:>12} {:>10} {:>10} {:>10} {:>10}\n", TraceAttributionUnitName(a.unit), "id",
                     "duration", "running", "assist", "runnable", "stw");
  for (const TracedRequest& r : a.slowest) {
    out += fmt::format("{:<15} {:>8} {:>9} ms {:>10} {:>10} {:>10} {:>10}\n", r.name, r.id, Ms(r.span.duration_ns()),
                       Ms(r.split.running_ns), Ms(r.split.assist_ns), Ms(r.split.runnable_ns), Ms(r.split.stw_ns));
  }
  return out;
}

nlohmann::json RequestAttributionJson(const TraceAttribution& a) {
  nlohmann::json j = nlohmann::json::object();
  j["unit"] = TraceAttributionUnitName(a.unit);
  j["requests"] = a.requests;
  j["slow_percentile"] = a.slow_percentile;
  j["threshold_ns"] = a.threshold_ns;
  j["slow"] = a.slow;
  j["slow_met_stw"] = a.slow_met_stw;
  j["slow_assisted"] = a.slow_assisted;
  j["slow_runnable_in_mark"] = a.slow_runnable_in_mark;
  j["slow_total"] = SplitJson(a.slow_total);
  j["all_total"] = SplitJson(a.all_total);
  nlohmann::json slowest = nlohmann::json::array();
  for (const TracedRequest& r : a.slowest) {
    slowest.push_back({{"name", r.name},
                       {"id", r.id},
                       {"start_ns", r.span.start_ns},
                       {"end_ns", r.span.end_ns},
                       {"duration_ns", r.span.duration_ns()},
                       {"split", SplitJson(r.split)}});
  }
  j["slowest"] = std::move(slowest);
  return j;
}

std::string RequestAttributionCsv(const TraceAttribution& a) {
  std::string out =
      "rank,name,id,start_ns,end_ns,duration_ns,running_ns,assist_ns,runnable_ns,runnable_in_mark_ns,stw_ns,"
      "blocked_ns,syscall_ns\n";
  int rank = 1;
  for (const TracedRequest& r : a.slowest) {
    const RequestTimeSplit& s = r.split;
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{}\n", rank++, CsvField(r.name), r.id, r.span.start_ns,
                       r.span.end_ns, r.span.duration_ns(), s.running_ns, s.assist_ns, s.runnable_ns,
                       s.runnable_in_mark_ns, s.stw_ns, s.blocked_ns, s.syscall_ns);
  }
  return out;
}

}  // namespace gcpilot
