#include "exectrace/perfetto_writer.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace gcpilot {
namespace {

constexpr int kCyclesTid = 1;
constexpr int kStwTid = 2;
constexpr int kFirstPTid = 100;

// A JSON string; bytes that are not UTF-8 (a trace's strings are the
// program's) become U+FFFD rather than an exception.
std::string Quoted(std::string_view s) {
  return nlohmann::json(std::string(s)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string_view SliceName(ProcGcSlice::Kind kind) {
  switch (kind) {
    case ProcGcSlice::Kind::kMarkAssist:
      return "mark assist";
    case ProcGcSlice::Kind::kSweep:
      return "sweep";
    case ProcGcSlice::Kind::kDedicated:
      return "GC worker (dedicated)";
    case ProcGcSlice::Kind::kFractional:
      return "GC worker (fractional)";
    case ProcGcSlice::Kind::kIdle:
      return "GC worker (idle)";
  }
  return "GC";
}

}  // namespace

std::string MicrosText(int64_t ns) {
  const char* sign = ns < 0 ? "-" : "";
  const uint64_t abs = ns < 0 ? 0 - static_cast<uint64_t>(ns) : static_cast<uint64_t>(ns);
  return fmt::format("{}{}.{:03}", sign, abs / 1000, abs % 1000);
}

PerfettoWriter::PerfettoWriter(std::ostream& out) : out_(out) {
  out_ << "{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n"
       << R"({"name":"process_name","ph":"M","pid":1,"tid":0,"args":{"name":"Go GC"}})";
  Track(kCyclesTid, "GC cycles");
  Track(kStwTid, "stop-the-world");
}

void PerfettoWriter::Begin() {
  out_ << ",\n";
  ++events_;
}

void PerfettoWriter::Track(int tid, std::string_view name) {
  if (!tracks_.insert(tid).second) return;
  out_ << ",\n"
       << fmt::format(R"({{"name":"thread_name","ph":"M","pid":1,"tid":{},"args":{{"name":{}}}}})", tid,
                      Quoted(name))
       << ",\n"
       << fmt::format(R"({{"name":"thread_sort_index","ph":"M","pid":1,"tid":{},"args":{{"sort_index":{}}}}})", tid,
                      tid);
}

void PerfettoWriter::Slice(int tid, std::string_view name, TimeSpan span, const std::string& args) {
  Begin();
  out_ << fmt::format(R"({{"name":{},"ph":"X","pid":1,"tid":{},"ts":{},"dur":{},"args":{{{}}}}})", Quoted(name), tid,
                      MicrosText(span.start_ns), MicrosText(span.duration_ns()), args);
}

void PerfettoWriter::OnCycle(const GcCycle& c) {
  const std::string args = fmt::format(R"("cycle":{},"gomaxprocs":{},"heap_goal_bytes":{})", c.number, c.procs,
                                       c.heap_goal_bytes);
  Slice(kCyclesTid, fmt::format("GC {}", c.number), {c.start_ns, c.end_ns()}, args);
  if (c.sweep_term_ns > 0) Slice(kCyclesTid, "STW sweep termination", c.sweep_term(), "");
  Slice(kCyclesTid, "concurrent mark", c.mark(), "");
  if (c.mark_term_ns > 0) Slice(kCyclesTid, "STW mark termination", c.mark_term(), "");
}

void PerfettoWriter::OnStw(const StwPause& p) {
  const std::string args = p.cycle == GcCycle::kUnknown ? "" : fmt::format(R"("cycle":{})", p.cycle);
  Slice(kStwTid, p.reason, p.span, args);
}

void PerfettoWriter::OnProcSlice(const ProcGcSlice& s) {
  const int tid = kFirstPTid + std::max(s.proc, -1);
  Track(tid, s.proc < 0 ? std::string("P unknown") : fmt::format("P {}", s.proc));
  Slice(tid, SliceName(s.kind), s.span, fmt::format(R"("goroutine":{})", s.goroutine));
}

void PerfettoWriter::OnHeap(const HeapSample& h) {
  std::string args;
  if (h.heap_bytes != GcCycle::kUnknown) args = fmt::format(R"("HeapAlloc":{})", h.heap_bytes);
  if (h.goal_bytes != GcCycle::kUnknown) {
    args += fmt::format(R"({}"HeapGoal":{})", args.empty() ? "" : ",", h.goal_bytes);
  }
  if (args.empty()) return;
  Begin();
  out_ << fmt::format(R"({{"name":"heap","ph":"C","pid":1,"tid":0,"ts":{},"args":{{{}}}}})", MicrosText(h.at_ns),
                      args);
}

void PerfettoWriter::OnEnd(int64_t /*end_ns*/) { out_ << "\n]}\n"; }

}  // namespace gcpilot
