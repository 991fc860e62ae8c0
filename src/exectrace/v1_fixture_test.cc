// The v1 decoder on real traces: the bundled gateway under load, written
// by Go 1.19 (testdata/exectrace/README.md says how they were captured),
// counted against Go 1.19's own reader; and Go's own v1 test traces.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "exectrace/trace_reader.h"
#include "exectrace/v1_test_util.h"

namespace gcpilot {
namespace {

using K = TraceEventKind;
using v1test::Recorder;

// Our counts in the shape scripts/count_v1_trace.sh prints Go 1.19's.
std::string Counts(const Recorder& r) {
  return fmt::format(
      "GCStart={} GCDone={} GCSTWStart={} GCSTWDone={} GCMarkAssistStart={} GCMarkAssistDone={} GCSweepStart={} "
      "GCSweepDone={} UserTaskCreate={} UserTaskEnd={} UserRegionStart={} UserRegionEnd={}",
      r.Count(K::kGcBegin), r.Count(K::kGcEnd), r.Count(K::kStwBegin), r.Count(K::kStwEnd), r.Count(K::kAssistBegin),
      r.Count(K::kAssistEnd), r.Count(K::kSweepBegin), r.Count(K::kSweepEnd), r.Count(K::kTaskBegin),
      r.Count(K::kTaskEnd), r.Count(K::kRegionBegin), r.Count(K::kRegionEnd));
}

struct Fixture {
  const char* name;
  const char* go119_counts;  // scripts/count_v1_trace.sh's output, as testdata/exectrace/README.md records it
  int64_t batches;
};

const Fixture kFixtures[] = {
    {"go119-paygate-1s.trace",
     "GCStart=3 GCDone=3 GCSTWStart=6 GCSTWDone=6 GCMarkAssistStart=153 GCMarkAssistDone=151 GCSweepStart=521 "
     "GCSweepDone=521 UserTaskCreate=1437 UserTaskEnd=1437 UserRegionStart=0 UserRegionEnd=0",
     4},
    {"go119-paygate-300ms.trace",
     "GCStart=2 GCDone=2 GCSTWStart=4 GCSTWDone=4 GCMarkAssistStart=227 GCMarkAssistDone=225 GCSweepStart=764 "
     "GCSweepDone=764 UserTaskCreate=699 UserTaskEnd=698 UserRegionStart=0 UserRegionEnd=0",
     4},
};

std::string FixturePath(const char* name) { return v1test::SourceDir() + "/testdata/exectrace/" + name; }

Recorder Read(const std::string& bytes, TraceReadResult* result, Status* status, bool lenient = false) {
  Recorder r;
  TraceReadOptions options;
  options.lenient = lenient;
  *status = ReadTrace(bytes, options, &r, result);
  return r;
}

TEST(V1Fixtures, CountsEqualGo119sOwnReader) {
  for (const Fixture& f : kFixtures) {
    const std::string bytes = v1test::ReadBytes(FixturePath(f.name));
    ASSERT_FALSE(bytes.empty()) << f.name;
    TraceReadResult result;
    Status status;
    const Recorder r = Read(bytes, &result, &status);
    ASSERT_TRUE(status.ok()) << f.name << ": " << status.message();
    EXPECT_EQ(Counts(r), f.go119_counts) << f.name;
    EXPECT_EQ(result.go_minor, 19);
    EXPECT_EQ(result.batches, f.batches) << f.name;
    EXPECT_FALSE(result.truncated);
    EXPECT_FALSE(r.decreased_) << f.name << ": ns decreased";
    EXPECT_GT(r.info_.frequency, 0);
  }
}

// Re-runs Go 1.19's count where it is installed.
TEST(V1Fixtures, CountsEqualALiveRunOfGo119sReader) {
  if (!std::filesystem::exists("/usr/lib/go-1.19/bin/go")) {
    GTEST_SKIP() << "/usr/lib/go-1.19/bin/go is absent: the counts recorded in testdata/exectrace/README.md are "
                    "checked by CountsEqualGo119sOwnReader alone";
  }
  for (const Fixture& f : kFixtures) {
    const std::string cmd = v1test::SourceDir() + "/scripts/count_v1_trace.sh " + FixturePath(f.name);
    FILE* pipe = popen(cmd.c_str(), "r");
    ASSERT_NE(pipe, nullptr);
    std::string out;
    char buf[512];
    while (fgets(buf, sizeof buf, pipe) != nullptr) out += buf;
    ASSERT_EQ(pclose(pipe), 0) << cmd;
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
    TraceReadResult result;
    Status status;
    const Recorder r = Read(v1test::ReadBytes(FixturePath(f.name)), &result, &status);
    EXPECT_EQ(Counts(r), out) << f.name;
  }
}

TEST(V1Fixtures, GatewayWorkersAndTasksCarryTheirNames) {
  TraceReadResult result;
  Status status;
  const Recorder r = Read(v1test::ReadBytes(FixturePath("go119-paygate-1s.trace")), &result, &status);
  ASSERT_TRUE(status.ok());
  // The gateway ran on one CPU (GOMAXPROCS 1): its mark workers are fractional and idle ones.
  int64_t workers = 0, pay = 0, sweep_term = 0, mark_term = 0;
  for (const std::string& line : r.lines_) {
    workers += line.find("GoStart") != std::string::npos && line.find("text=\"GC (") != std::string::npos;
    pay += line.find("TaskBegin") != std::string::npos && line.find("text=\"pay\"") != std::string::npos;
    sweep_term += line.find("text=\"GC sweep termination\"") != std::string::npos;
    mark_term += line.find("text=\"GC mark termination\"") != std::string::npos;
  }
  EXPECT_GT(workers, 0);
  EXPECT_GT(pay, 0);
  EXPECT_EQ(sweep_term, 3);  // one of each per cycle
  EXPECT_EQ(mark_term, 3);
}

TEST(V1Fixtures, ATruncatedCopyKeepsEverythingBeforeTheCut) {
  const std::string bytes = v1test::ReadBytes(FixturePath("go119-paygate-300ms.trace"));
  ASSERT_FALSE(bytes.empty());
  const size_t cut = bytes.size() / 2;
  TraceReadResult result;
  Status status;
  const Recorder whole = Read(bytes, &result, &status);
  const Recorder half = Read(bytes.substr(0, cut), &result, &status);
  EXPECT_TRUE(status.message().starts_with(
      fmt::format("offset {}: the trace ends before its Frequency event", result.truncated_at)))
      << status.message();
  EXPECT_TRUE(result.truncated);
  EXPECT_LE(result.truncated_at, static_cast<int64_t>(cut));
  EXPECT_GT(result.truncated_at, static_cast<int64_t>(cut) - 64);
  EXPECT_EQ(half.info_.frequency, 0);  // the runtime writes it last
  int64_t before = 0;
  for (int64_t off : whole.offsets_) before += off < result.truncated_at;
  // Every event before the cut, give or take the syscall ends a cut GoSysBlock adds.
  EXPECT_GE(static_cast<int64_t>(half.lines_.size()), before);
  EXPECT_LE(static_cast<int64_t>(half.lines_.size()), before + 2);
  EXPECT_FALSE(half.decreased_);
}

TEST(V1Fixtures, ACorruptedCopyFailsAtTheByteOrSkipsOneBatch) {
  const std::string bytes = v1test::ReadBytes(FixturePath("go119-paygate-300ms.trace"));
  ASSERT_FALSE(bytes.empty());
  TraceReadResult result;
  Status status;
  const Recorder whole = Read(bytes, &result, &status);
  // An event a third of the way in gets an unknown type.
  const int64_t at = whole.offsets_[whole.offsets_.size() / 3];
  std::string bad = bytes;
  bad[at] = static_cast<char>((static_cast<uint8_t>(bad[at]) & 0xc0) | 60);
  Read(bad, &result, &status);
  EXPECT_EQ(status.message(), fmt::format("offset {}: unknown event type 60 in a go 1.19 trace", at));
  const Recorder lenient = Read(bad, &result, &status, /*lenient=*/true);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(result.skipped_batches, 1);
  EXPECT_EQ(result.skipped.at(0).offset, at);
  EXPECT_EQ(result.batches, 3);
  EXPECT_LT(lenient.lines_.size(), whole.lines_.size());
  EXPECT_FALSE(lenient.decreased_);
}

// The smallest real trace (Go's user_task_region_1_19_good, 1922 bytes),
// fed in two copied chunks split at every offset, gives the events one
// mapped chunk gives.
TEST(V1Fixtures, EverySplitOfASmallRealTraceGivesTheSameEvents) {
  const std::string bytes = v1test::ReadBytes(v1test::GoV1Testdata("user_task_region_1_19_good"));
  if (bytes.empty())
    GTEST_SKIP() << v1test::GoV1Testdata("user_task_region_1_19_good") << " is absent (Go 1.22+ sources)";
  TraceReadResult result;
  Status status;
  const std::string whole = Read(bytes, &result, &status).Text();
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_NE(whole.find("TaskBegin"), std::string::npos);
  ASSERT_NO_FATAL_FAILURE(v1test::ExpectSameEventsAtEverySplit(bytes, whole));
}

// Go's own test traces of each version, counted by Go's own readers: Go
// 1.19's `go tool trace -d` (scripts/count_v1_trace.sh) for 1.11 and 1.19,
// Go 1.26's `go tool trace -d=parsed` (its RangeBegin names) for 1.21, which
// Go 1.19 cannot read. The stop-the-world reasons split as Go 1.26 names them.
TEST(V1Fixtures, GosOwnV1TracesCountAsGosReadersDo) {
  struct Want {
    const char* name;
    const char* counts;
    int64_t mark_termination, sweep_termination, gomaxprocs;
  };
  const Want kWants[] = {
      {"stress_1_11_good",
       "GCStart=251 GCDone=251 GCSTWStart=502 GCSTWDone=502 GCMarkAssistStart=418 GCMarkAssistDone=418 "
       "GCSweepStart=834 GCSweepDone=834 UserTaskCreate=0 UserTaskEnd=0 UserRegionStart=0 UserRegionEnd=0",
       251, 251, 0},
      {"stress_1_19_good",
       "GCStart=334 GCDone=334 GCSTWStart=668 GCSTWDone=668 GCMarkAssistStart=333 GCMarkAssistDone=333 "
       "GCSweepStart=664 GCSweepDone=664 UserTaskCreate=0 UserTaskEnd=0 UserRegionStart=0 UserRegionEnd=0",
       334, 334, 0},
      {"stress_1_21_good",
       "GCStart=349 GCDone=349 GCSTWStart=700 GCSTWDone=700 GCMarkAssistStart=348 GCMarkAssistDone=348 "
       "GCSweepStart=124 GCSweepDone=124 UserTaskCreate=0 UserTaskEnd=0 UserRegionStart=0 UserRegionEnd=0",
       349, 349, 2},
  };
  for (const Want& w : kWants) {
    const std::string bytes = v1test::ReadBytes(v1test::GoV1Testdata(w.name));
    if (bytes.empty()) GTEST_SKIP() << v1test::GoV1Testdata(w.name) << " is absent (Go 1.22+ sources)";
    TraceReadResult result;
    Status status;
    const Recorder r = Read(bytes, &result, &status);
    ASSERT_TRUE(status.ok()) << w.name << ": " << status.message();
    EXPECT_EQ(Counts(r), w.counts) << w.name;
    int64_t mark = 0, sweep = 0, procs = 0;
    for (const std::string& line : r.lines_) {
      if (line.find("StwBegin") == std::string::npos) continue;
      mark += line.find("\"GC mark termination\"") != std::string::npos;
      sweep += line.find("\"GC sweep termination\"") != std::string::npos;
      procs += line.find("\"GOMAXPROCS\"") != std::string::npos;
    }
    EXPECT_EQ(mark, w.mark_termination) << w.name;
    EXPECT_EQ(sweep, w.sweep_termination) << w.name;
    EXPECT_EQ(procs, w.gomaxprocs) << w.name;
  }
}

// Go's own test traces of the three versions decode in full, in time order.
TEST(V1Fixtures, GosOwnV1TracesDecode) {
  for (const char* name : {"stress_1_11_good", "stress_start_stop_1_11_good", "user_task_region_1_11_good",
                           "http_1_19_good", "stress_1_19_good", "stress_start_stop_1_19_good", "http_1_21_good",
                           "stress_1_21_good", "stress_start_stop_1_21_good", "fmt_1_21_pprof_good"}) {
    const std::string bytes = v1test::ReadBytes(v1test::GoV1Testdata(name));
    if (bytes.empty()) GTEST_SKIP() << v1test::GoV1Testdata(name) << " is absent (Go 1.22+ sources)";
    TraceReadResult result;
    Status status;
    const Recorder r = Read(bytes, &result, &status);
    EXPECT_TRUE(status.ok()) << name << ": " << status.message();
    EXPECT_FALSE(result.truncated) << name;
    EXPECT_FALSE(r.decreased_) << name;
    EXPECT_GT(r.lines_.size(), 0u) << name;
    for (const std::string& line : r.lines_) {
      if (line.find("StwBegin") != std::string::npos) {
        EXPECT_NE(line.find("text="), std::string::npos) << name << ": " << line;
      }
    }
  }
}

}  // namespace
}  // namespace gcpilot
