// Test support for the v1 decoder's tests: a sink that writes each event
// as one line (so whole event streams compare as strings) and file access.
#ifndef GCPILOT_EXECTRACE_V1_TEST_UTIL_H_
#define GCPILOT_EXECTRACE_V1_TEST_UTIL_H_

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "exectrace/trace_event.h"
#include "exectrace/trace_reader.h"
#include "exectrace/trace_text.h"

namespace gcpilot::v1test {

inline const char* KindName(TraceEventKind k) {
  static const char* const kNames[] = {
      "GcBegin",   "GcActive",    "GcEnd",        "StwBegin",     "StwEnd",           "SweepBegin", "SweepActive",
      "SweepEnd",  "AssistBegin", "AssistActive", "AssistEnd",    "HeapAlloc",        "HeapGoal",   "Procs",
      "ProcStart", "ProcStop",    "GoCreate",     "GoStart",      "GoLabel",          "GoStop",     "GoBlock",
      "GoUnblock", "GoEnd",       "GoSyscall",    "GoSyscallEnd", "GoSyscallBlocked", "GoStatus",   "TaskBegin",
      "TaskEnd",   "RegionBegin", "RegionEnd"};
  return kNames[static_cast<int>(k)];
}

// Every event as "NS Kind p=P g=G[ a=A][ b=B][ text="T"][ fn="F"]".
class Recorder final : public TraceSink {
 public:
  void OnStart(const TraceInfo& info) override {
    info_ = info;
    ++starts_;
  }
  void OnEvent(const TraceEvent& e) override {
    std::string line = fmt::format("{} {} p={} g={}", e.ns, KindName(e.kind), e.p, e.g);
    if (e.a != 0) line += fmt::format(" a={}", e.a);
    if (e.b != 0) line += fmt::format(" b={}", e.b);
    if (!e.text.empty()) line += fmt::format(" text=\"{}\"", e.text);
    if (!e.function.empty()) line += fmt::format(" fn=\"{}\"", e.function);
    lines_.push_back(std::move(line));
    kinds_.push_back(e.kind);
    offsets_.push_back(e.offset);
    if (e.ns < last_ns_) decreased_ = true;
    last_ns_ = e.ns;
    ++counts_[e.kind];
  }
  void OnFinish() override { ++finishes_; }

  std::string Text() const {
    std::string out;
    for (const std::string& l : lines_) out += l + "\n";
    return out;
  }
  int64_t Count(TraceEventKind k) const {
    auto it = counts_.find(k);
    return it == counts_.end() ? 0 : it->second;
  }

  TraceInfo info_;
  int starts_ = 0, finishes_ = 0;
  std::vector<std::string> lines_;
  std::vector<TraceEventKind> kinds_;
  std::vector<int64_t> offsets_;
  std::map<TraceEventKind, int64_t> counts_;
  bool decreased_ = false;
  int64_t last_ns_ = 0;
};

// The file's bytes, or "" when it cannot be read.
inline std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline std::string SourceDir() { return GCPILOT_SOURCE_DIR; }
// Go's own v1 test traces, read in place where Go 1.22+ sources are installed.
inline std::string GoV1Testdata(const std::string& name) {
  return "/usr/local/go/src/internal/trace/internal/tracev1/testdata/" + name;
}

inline std::string Encode(std::string_view text) {
  StatusOr<std::string> bytes = EncodeTraceText(text);
  return bytes.ok() ? *bytes : "ENCODE FAILED: " + bytes.status().message();
}

// Feeds `bytes` to a TraceReader in two copied chunks split at every
// offset; each split must give `whole` (what one chunk gives).
inline void ExpectSameEventsAtEverySplit(const std::string& bytes, const std::string& whole) {
  for (size_t cut = 0; cut <= bytes.size(); ++cut) {
    Recorder r;
    TraceReader reader({}, &r);
    TraceReadResult result;
    ASSERT_TRUE(reader.Feed(std::string_view(bytes).substr(0, cut)).ok()) << "cut at " << cut;
    ASSERT_TRUE(reader.Feed(std::string_view(bytes).substr(cut)).ok()) << "cut at " << cut;
    ASSERT_TRUE(reader.Finish(&result).ok()) << "cut at " << cut;
    ASSERT_EQ(r.Text(), whole) << "cut at " << cut;
  }
}

}  // namespace gcpilot::v1test

#endif  // GCPILOT_EXECTRACE_V1_TEST_UTIL_H_
