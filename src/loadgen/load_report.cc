#include "loadgen/load_report.h"

#include <iterator>
#include <string_view>

#include <fmt/format.h>

#include "base/csv_field.h"
#include "base/plural.h"
#include "base/units.h"

namespace gcpilot {
namespace {

constexpr double kPercentiles[] = {50, 90, 99, 99.9, 99.99};

std::string LatencyRow(const char* name, const HdrHistogram& h) {
  std::string row = fmt::format("  {:<14}", name);
  for (double p : kPercentiles) row += fmt::format(" {:>9}", Ms(h.ValueAtPercentile(p)));
  row += fmt::format(" {:>9} {:>9}\n", Ms(h.max()), Ms(static_cast<int64_t>(h.mean())));
  return row;
}

// Bytes as a one-line quoted excerpt: printable ASCII as is, quotes and
// backslashes escaped, \r \n \t by name, anything else as \xNN.
std::string EscapedExcerpt(std::string_view bytes) {
  std::string out = "\"";
  for (unsigned char c : bytes) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c >= 0x7f) {
      out += fmt::format("\\x{:02x}", c);
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

// A time or latency field: empty where there is none (< 0 here).
void AppendNs(fmt::memory_buffer& buf, int64_t ns) {
  if (ns >= 0) fmt::format_to(std::back_inserter(buf), "{}", ns);
}

nlohmann::ordered_json HistJson(const HdrHistogram& h) {
  nlohmann::ordered_json j;
  j["count"] = h.total_count();
  j["min_ms"] = h.min() / 1e6;
  j["mean_ms"] = h.mean() / 1e6;
  j["stddev_ms"] = h.stddev() / 1e6;
  for (double p : kPercentiles) j[fmt::format("p{:g}_ms", p)] = h.ValueAtPercentile(p) / 1e6;
  j["max_ms"] = h.max() / 1e6;
  return j;
}

nlohmann::ordered_json PhaseJson(const PhaseStats& s) {
  nlohmann::ordered_json j;
  j["duration_s"] = s.duration_ns / 1e9;
  j["asked_rps"] = s.asked_rps;
  j["achieved_rps"] = s.achieved_rps();
  j["due"] = s.due;
  j["sent"] = s.sent;
  j["responses"] = s.responses;
  j["ok_2xx"] = s.ok;
  nlohmann::ordered_json errors = nlohmann::ordered_json::object();
  for (int i = 0; i < kLoadErrorKinds; ++i) errors[LoadErrorName(static_cast<LoadError>(i))] = s.errors[i];
  j["errors"] = errors;
  nlohmann::ordered_json codes = nlohmann::ordered_json::object();
  for (const auto& [code, n] : s.status_codes) codes[std::to_string(code)] = n;
  j["status_codes"] = codes;
  j["latency_corrected"] = HistJson(s.corrected);
  j["latency_uncorrected"] = HistJson(s.uncorrected);
  return j;
}

}  // namespace

std::string LoadTable(const LoadResult& r, const LoadRunInfo& info) {
  const PhaseStats& m = r.measured;
  std::string s = fmt::format("load: {}, {}, {} (max {})", info.target, r.schedule,
                              CountOf(info.connections, "connection"), info.max_connections);
  if (info.warmup_ns) s += fmt::format(", warm-up {} (not counted)", FormatDurationNs(info.warmup_ns));
  s += "\n";
  if (r.aborted) s += fmt::format("  ABORTED: {}\n", r.abort_reason);
  if (m.asked_rps > 0) {
    s += fmt::format("  asked {:.1f}/s  achieved {:.1f}/s ({:.2f}%)", m.asked_rps, m.achieved_rps(),
                     100.0 * m.achieved_rps() / m.asked_rps);
  } else {
    s += fmt::format("  closed loop: achieved {:.1f}/s", m.achieved_rps());
  }
  s += fmt::format("  responses {}  2xx {}  errors {}\n", m.responses, m.ok, m.request_errors());
  if (!m.status_codes.empty()) {
    s += "  status codes:";
    for (const auto& [code, n] : m.status_codes) s += fmt::format(" {} x{}", code, n);
    s += "\n";
  }
  // Requests that failed, then connection attempts (not requests: one
  // request may wait through several refused attempts).
  std::string errs;
  for (int i = static_cast<int>(LoadError::kReset); i < kLoadErrorKinds; ++i) {
    if (m.errors[i]) errs += fmt::format(" {} {}", LoadErrorName(static_cast<LoadError>(i)), m.errors[i]);
  }
  if (!errs.empty()) s += "  errors:" + errs + "\n";
  if (!r.first_malformed_error.empty()) {
    s += fmt::format("  first malformed answer: {}\n    {} (its first {})\n", r.first_malformed_error,
                     EscapedExcerpt(r.first_malformed_bytes), CountOf(r.first_malformed_bytes.size(), "byte"));
  }
  const int64_t refused = m.errors[static_cast<int>(LoadError::kConnectRefused)];
  const int64_t failed = m.errors[static_cast<int>(LoadError::kConnectFailed)];
  if (refused || failed) {
    s += fmt::format("  connection attempts that failed: {} refused, {} other\n", refused, failed);
  }
  s += "\n  latency (ms)         p50       p90       p99     p99.9    p99.99       max      mean\n";
  if (m.corrected.total_count() == 0) {
    s += fmt::format("  (no complete answer to any of the {} sent: no latency to show)\n", CountOf(m.sent, "request"));
  } else {
    s += LatencyRow("corrected", m.corrected);
    s += LatencyRow("uncorrected", m.uncorrected);
  }
  if (r.kinds.size() > 1) {
    s += "\n  by kind (corrected)  responses    errors       p50       p99       max\n";
    for (const KindStats& k : r.kinds) {
      s += fmt::format("  {:<18} {:>11} {:>9} {:>9} {:>9} {:>9}\n", k.name, k.responses, k.errors,
                       Ms(k.corrected.ValueAtPercentile(50)), Ms(k.corrected.ValueAtPercentile(99)),
                       Ms(k.corrected.max()));
    }
  }
  s += fmt::format("\n  connections opened {} (most open at once {}), most requests queued {}\n", r.connections_opened,
                   r.max_open_connections, r.max_backlog);
  if (r.closed_while_idle || r.closed_after_answer) {
    s += fmt::format("  connections closed by the server: {} while idle, {} after an answer\n", r.closed_while_idle,
                     r.closed_after_answer);
  }
  if (m.corrected.total_count() && m.uncorrected.total_count()) {
    const int64_t c = m.corrected.ValueAtPercentile(99), u = m.uncorrected.ValueAtPercentile(99);
    if (u > 0 && c > 2 * u) {
      s += fmt::format(
          "  note: corrected P99 is {:.1f}x the uncorrected: requests waited for the server before "
          "they could be sent (a closed-loop tool would hide this)\n",
          static_cast<double>(c) / u);
    }
  }
  return s;
}

nlohmann::ordered_json LoadJson(const LoadResult& r, const LoadRunInfo& info) {
  nlohmann::ordered_json j;
  j["target"] = info.target;
  j["schedule"] = r.schedule;
  j["connections"] = info.connections;
  j["max_connections"] = info.max_connections;
  j["timeout_s"] = info.timeout_ns / 1e9;
  j["aborted"] = r.aborted;
  if (r.aborted) j["abort_reason"] = r.abort_reason;
  if (r.first_malformed_error.empty()) {
    j["first_malformed"] = nullptr;
  } else {
    j["first_malformed"] = {{"error", r.first_malformed_error}, {"excerpt", EscapedExcerpt(r.first_malformed_bytes)}};
  }
  j["measured"] = PhaseJson(r.measured);
  j["warmup"] = PhaseJson(r.warmup);
  nlohmann::ordered_json kinds = nlohmann::ordered_json::array();
  for (const KindStats& k : r.kinds) {
    kinds.push_back({{"name", k.name},
                     {"responses", k.responses},
                     {"ok_2xx", k.ok},
                     {"errors", k.errors},
                     {"latency_corrected", HistJson(k.corrected)}});
  }
  j["kinds"] = kinds;
  j["connections_opened"] = r.connections_opened;
  j["max_open_connections"] = r.max_open_connections;
  j["max_backlog"] = r.max_backlog;
  j["closed_while_idle"] = r.closed_while_idle;
  j["closed_after_answer"] = r.closed_after_answer;
  nlohmann::ordered_json tl = nlohmann::ordered_json::array();
  for (const LoadSecond& p : r.timeline) {
    tl.push_back({{"second", p.second},
                  {"asked_rps", p.asked_rps},
                  {"sent", p.sent},
                  {"responses", p.responses},
                  {"errors", p.errors},
                  {"p50_ms", p.p50_corrected_ns / 1e6},
                  {"p99_ms", p.p99_corrected_ns / 1e6},
                  {"p99_uncorrected_ms", p.p99_uncorrected_ns / 1e6},
                  {"max_ms", p.max_corrected_ns / 1e6}});
  }
  j["timeline"] = tl;
  return j;
}

std::string LoadTimelineCsv(const LoadResult& r) {
  std::string s = "second,asked_rps,sent,responses,errors,p50_ms,p99_ms,p99_uncorrected_ms,max_ms\n";
  for (const LoadSecond& p : r.timeline) {
    s += fmt::format("{},{:g},{},{},{},{},{},{},{}\n", p.second, p.asked_rps, p.sent, p.responses, p.errors,
                     Ms(p.p50_corrected_ns), Ms(p.p99_corrected_ns), Ms(p.p99_uncorrected_ns), Ms(p.max_corrected_ns));
  }
  return s;
}

void WriteLoadRequestsCsv(const LoadResult& r, std::ostream& out) {
  const RequestLog& log = r.requests;
  std::vector<std::string> kinds;
  for (const std::string& k : log.kinds) kinds.push_back(CsvField(k));
  fmt::memory_buffer buf;
  fmt::format_to(std::back_inserter(buf),
                 "due_ns_from_measured_start,sent_ns_from_measured_start,done_ns_from_measured_start,"
                 "kind,status,outcome,corrected_ns,uncorrected_ns\n");
  const auto since_start = [&](int64_t t) { return t == RequestRecord::kNever ? -1 : t - r.measured_start_ns; };
  for (const RequestRecord& rec : log.records) {
    AppendNs(buf, since_start(rec.due_ns));
    buf.push_back(',');
    AppendNs(buf, since_start(rec.sent_ns));
    buf.push_back(',');
    AppendNs(buf, since_start(rec.done_ns));
    const std::string_view kind = rec.kind < kinds.size() ? std::string_view(kinds[rec.kind]) : "";
    fmt::format_to(std::back_inserter(buf), ",{},", kind);
    if (rec.http_status != 0) fmt::format_to(std::back_inserter(buf), "{}", rec.http_status);
    fmt::format_to(std::back_inserter(buf), ",{},", RequestOutcomeName(rec.outcome));
    AppendNs(buf, rec.corrected_ns());
    buf.push_back(',');
    AppendNs(buf, rec.uncorrected_ns());
    buf.push_back('\n');
    if (buf.size() >= 1 << 16) {
      out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
      buf.clear();
    }
  }
  out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
}

}  // namespace gcpilot
