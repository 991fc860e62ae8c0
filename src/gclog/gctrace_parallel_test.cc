#include "gclog/gctrace_parallel.h"

#include <sys/mman.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "gclog/gctrace_test_util.h"

namespace gcpilot {
namespace {

using testing::ParseAll;
using testing::Parsed;

enum class How { kChunks, kWhole };

// Parses `input` with the parallel reader: fed in `chunk`-byte pieces, or
// whole (in place) as the CLI does with a mapped file.
Parsed ParseParallel(std::string_view input, How how, int threads, size_t segment_bytes, bool strict = false,
                     size_t chunk = 1000, std::vector<std::string>* released = nullptr, bool inline_segments = false) {
  Parsed out;
  ParallelGctraceOptions o{.reader = {.source_name = "test.log", .strict = strict},
                           .threads = threads,
                           .inline_segments = inline_segments,
                           .segment_bytes = segment_bytes};
  if (released != nullptr) {
    o.release = [released](std::string_view part) { released->emplace_back(part); };
  }
  ParallelGctraceReader reader(std::move(o), [&](const GcCycle& c) { out.cycles.push_back(c); });
  if (how == How::kWhole) {
    out.status = reader.FeedWhole(input);
  } else {
    for (size_t i = 0; i < input.size() && out.status.ok(); i += chunk) {
      out.status = reader.Feed(input.substr(i, chunk));
    }
  }
  if (out.status.ok()) out.status = reader.Finish();
  out.stats = reader.stats();
  return out;
}

void ExpectSame(const Parsed& serial, const Parsed& par, const std::string& what) {
  EXPECT_EQ(par.status.code(), serial.status.code()) << what;
  EXPECT_EQ(par.status.message(), serial.status.message()) << what;
  ASSERT_EQ(par.cycles.size(), serial.cycles.size()) << what;
  for (size_t i = 0; i < serial.cycles.size(); ++i) {
    EXPECT_EQ(par.cycles[i].origin.line, serial.cycles[i].origin.line) << what << " #" << i;
    EXPECT_EQ(par.cycles[i].number, serial.cycles[i].number) << what;
    EXPECT_EQ(par.cycles[i].heap_goal_mb(), serial.cycles[i].heap_goal_mb()) << what;
    EXPECT_EQ(par.cycles[i].mark_ns, serial.cycles[i].mark_ns) << what;
    EXPECT_EQ(par.cycles[i].cpu_assist_ns, serial.cycles[i].cpu_assist_ns) << what;
  }
  if (!serial.status.ok()) return;  // counts past an error do not matter
  const GctraceParseStats& s = serial.stats;
  const GctraceParseStats& p = par.stats;
  EXPECT_EQ(p.bytes, s.bytes) << what;
  EXPECT_EQ(p.lines, s.lines) << what;
  EXPECT_EQ(p.cycles, s.cycles) << what;
  EXPECT_EQ(p.malformed, s.malformed) << what;
  EXPECT_EQ(p.scavenger_lines, s.scavenger_lines) << what;
  EXPECT_EQ(p.pacer_lines, s.pacer_lines) << what;
  EXPECT_EQ(p.scan_lines, s.scan_lines) << what;
  EXPECT_EQ(p.out_of_range, s.out_of_range) << what;
  EXPECT_EQ(p.legacy_lines, s.legacy_lines) << what;
  EXPECT_EQ(p.other_lines, s.other_lines) << what;
  EXPECT_EQ(p.overlong_lines, s.overlong_lines) << what;
  EXPECT_EQ(p.first_overlong_line, s.first_overlong_line) << what;
  EXPECT_EQ(p.truncated_last_line, s.truncated_last_line) << what;
  ASSERT_EQ(p.first_errors.size(), s.first_errors.size()) << what;
  for (size_t i = 0; i < s.first_errors.size(); ++i) {
    EXPECT_EQ(p.first_errors[i].line, s.first_errors[i].line) << what;
    EXPECT_EQ(p.first_errors[i].column, s.first_errors[i].column) << what;
    EXPECT_EQ(p.first_errors[i].excerpt, s.first_errors[i].excerpt) << what;
    EXPECT_EQ(p.first_errors[i].out_of_range, s.first_errors[i].out_of_range) << what;
  }
}

const char kCycle[] =
    "gc 7 @1.250s 3%: 0.021+2.5+0.040 ms clock, 0.042+0.30/4.1/0.5+0.080 ms "
    "cpu, 12->13->6 MB, 13 MB goal, 0 MB stacks, 0 MB globals, 2 P\n";

// A log with every kind of line, malformed ones spread through it, CRLF
// ends and a cut-off last cycle line: 12 malformed lines, more than the
// kept first errors, so the kept ones must be the first in input order;
// likewise 12 cycles with a wrapped (out of range, so skipped too) mark
// clock, and gctrace=2 scan lines.
std::string MixedLog() {
  std::string log;
  for (int i = 0; i < 240; ++i) {
    std::string line = kCycle;
    line.replace(3, 1, std::to_string(i + 1));
    if (i % 20 == 7) line = "gc " + std::to_string(i + 1) + " @2.5s 4%: x\n";
    if (i % 15 == 2 && i % 20 != 7) line.replace(line.find("+2.5+"), 5, "+18446744073709+");
    if (i % 9 == 4) line.insert(line.size() - 1, "\r");
    if (i % 11 == 3) log += "scvg3: inuse: 5, idle: 2 (MB)\n";
    if (i % 13 == 5) log += "pacer: assist ratio=+1.2e+000\n";
    if (i % 5 == 1) log += "{\"msg\":\"payment settled\",\"order\":\"o1\"}\n";
    log += line;
    if (i % 6 == 0) log += "scan: total 363+3077+21602=25042 objs, 502+684=1186 spans\n";
  }
  log += "gc 241 @9.000s 3%: 0.021+2.5";  // cut off
  return log;
}

TEST(ParallelGctraceTest, SameResultAsTheSerialReaderWhateverTheSplit) {
  const std::string log = MixedLog();
  const Parsed serial = ParseAll(log);
  ASSERT_TRUE(serial.status.ok());
  ASSERT_EQ(serial.stats.malformed, 24);
  ASSERT_EQ(serial.stats.out_of_range, 12);
  ASSERT_EQ(serial.stats.scan_lines, 40);
  ASSERT_EQ(serial.cycles.size(), 216u);
  ASSERT_TRUE(serial.stats.truncated_last_line);
  for (How how : {How::kChunks, How::kWhole}) {
    for (int threads : {1, 2, 3}) {
      for (size_t segment : {1, 100, 1000, 7777, 1 << 20}) {
        const std::string what = std::string(how == How::kWhole ? "whole" : "chunks") +
                                 " threads=" + std::to_string(threads) + " segment=" + std::to_string(segment);
        ExpectSame(serial, ParseParallel(log, how, threads, segment), what);
      }
    }
  }
}

TEST(ParallelGctraceTest, StrictStopsAtTheFirstErrorInInputOrder) {
  const std::string log = MixedLog();
  const Parsed serial = ParseAll(log, 0, /*strict=*/true);
  // Line 5, the first wrapped clock: 2 cycles, a scan line and a JSON line
  // before it.
  ASSERT_EQ(serial.status.message(), "test.log:5:24: expected clock ms of at most 1000000000000");
  ASSERT_EQ(serial.cycles.size(), 2u);
  for (How how : {How::kChunks, How::kWhole}) {
    for (size_t segment : {1, 300, 5000}) {
      ExpectSame(serial, ParseParallel(log, how, 2, segment, true), "strict segment=" + std::to_string(segment));
    }
  }
  // A clean log whose last line is cut off: the error names that line.
  const std::string cut = std::string(kCycle) + kCycle + "gc 3 @0.1s 1%: 0.1";
  const Parsed serial_cut = ParseAll(cut, 0, true);
  ASSERT_EQ(serial_cut.status.message(),
            "test.log:3:19: input ends inside a gc line (expected '+' or "
            "\" ms clock, \")");
  for (How how : {How::kChunks, How::kWhole}) {
    ExpectSame(serial_cut, ParseParallel(cut, how, 2, 64, true), "cut");
  }
}

// An overlong line stops strict reading at its line in every way of
// feeding, before or after a malformed line in the same segment.
TEST(ParallelGctraceTest, StrictStopsAtAnOverlongLineInInputOrder) {
  const std::string overlong = std::string(70'000, 'x') + "\n";
  const std::string bad = "gc 3 @0.1s 1%: 0.1\n";
  for (const std::string& log :
       {std::string(kCycle) + overlong + kCycle + bad, std::string(kCycle) + bad + overlong + kCycle,
        std::string(kCycle) + kCycle + overlong}) {
    const Parsed serial = ParseAll(log, 0, /*strict=*/true);
    ASSERT_FALSE(serial.status.ok());
    for (How how : {How::kChunks, How::kWhole}) {
      for (size_t segment : {1, 300, 1 << 20}) {
        ExpectSame(serial, ParseParallel(log, how, 2, segment, true), "overlong segment=" + std::to_string(segment));
      }
    }
  }
  EXPECT_EQ(ParseAll(std::string(kCycle) + overlong + kCycle + bad, 0, true).status.message(),
            "test.log:2: line longer than 65536 bytes, not read");
}

// A strict error early in a big in-place input: when Feed/Finish return,
// no worker may still read the input (here it is unmapped at once: a late
// read would crash the test).
TEST(ParallelGctraceTest, NoWorkerReadsTheInputAfterAFailure) {
  std::string lines = "gc 1 @0.5s 3%: garbage\n";
  while (lines.size() < (size_t{16} << 20)) lines += kCycle;
  const size_t size = lines.size();
  void* p = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(p, MAP_FAILED);
  std::memcpy(p, lines.data(), size);
  {
    ParallelGctraceReader reader(
        {.reader = {.source_name = "big.log", .strict = true}, .threads = 2, .segment_bytes = 256 << 10},
        [](const GcCycle&) {});
    const Status st = reader.FeedWhole(std::string_view(static_cast<const char*>(p), size));
    EXPECT_EQ(st.message(), "big.log:1:16: expected a decimal number");
    EXPECT_EQ(reader.Finish().message(), st.message());
    ASSERT_EQ(munmap(p, size), 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

TEST(ParallelGctraceTest, OverlongLinesAreCountedNotHeld) {
  std::string log =
      std::string(kCycle) + std::string(300'000, 'x') + "\n" + kCycle + std::string(100'000, 'y');  // ends overlong
  for (How how : {How::kChunks, How::kWhole}) {
    const Parsed p = ParseParallel(log, how, 2, 4096);
    ASSERT_TRUE(p.status.ok());
    EXPECT_EQ(p.stats.lines, 4);
    EXPECT_EQ(p.cycles.size(), 2u);
    EXPECT_EQ(p.cycles[1].origin.line, 3);
    EXPECT_EQ(p.stats.bytes, static_cast<int64_t>(log.size()));
    // Fed in pieces the 300 kB line is never held; in place it is not
    // parsed either, so both ways count it the same.
    EXPECT_EQ(p.stats.overlong_lines, 2);
    EXPECT_EQ(p.stats.first_overlong_line, 2);
  }
}

TEST(ParallelGctraceTest, InPlaceInputIsReleasedPartByPartInOrder) {
  const std::string log = MixedLog();
  std::vector<std::string> released;
  const Parsed p = ParseParallel(log, How::kWhole, 2, 1000, false, 0, &released);
  ASSERT_TRUE(p.status.ok());
  ASSERT_GT(released.size(), 5u);
  std::string joined;
  for (const std::string& part : released) joined += part;
  // Every whole line, in order; only the cut-off last line is not in place.
  EXPECT_EQ(joined, log.substr(0, log.rfind('\n') + 1));
}

// Threads of this process, from the kernel's own list.
size_t ThreadCount() {
  size_t n = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator("/proc/self/task")) ++n;
  return n;
}

TEST(ParallelGctraceTest, InlineSegmentsStartNoThreadAndParseAsSerially) {
  const size_t before = ThreadCount();
  {
    ParallelGctraceReader threaded({.threads = 3}, [](const GcCycle&) {});
    EXPECT_EQ(ThreadCount(), before + 3);  // so the count can tell
  }
  {
    ParallelGctraceReader inline_reader({.threads = 3, .inline_segments = true}, [](const GcCycle&) {});
    EXPECT_EQ(ThreadCount(), before);
  }
  const std::string log = MixedLog();
  const Parsed serial = ParseAll(log);
  const Parsed serial_strict = ParseAll(log, 0, /*strict=*/true);
  for (How how : {How::kChunks, How::kWhole}) {
    for (size_t segment : {1, 100, 7777, 1 << 20}) {
      const std::string what =
          std::string(how == How::kWhole ? "whole" : "chunks") + " segment=" + std::to_string(segment);
      ExpectSame(serial, ParseParallel(log, how, 2, segment, false, 1000, nullptr, true), what);
      ExpectSame(serial_strict, ParseParallel(log, how, 2, segment, true, 1000, nullptr, true), "strict " + what);
    }
  }
  // In place, parts are still released one by one, in input order.
  std::vector<std::string> released;
  ASSERT_TRUE(ParseParallel(log, How::kWhole, 2, 1000, false, 0, &released, true).status.ok());
  ASSERT_GT(released.size(), 5u);
  std::string joined;
  for (const std::string& part : released) joined += part;
  EXPECT_EQ(joined, log.substr(0, log.rfind('\n') + 1));
}

TEST(ParallelGctraceTest, PublicFixturesParseAsSerially) {
  for (const char* name : {"src-01.log", "src-02.log", "src-03.log", "src-04.log", "src-05.log", "src-06.log",
                           "src-07.log", "src-39.log"}) {
    std::string log;
    READ_PUBLIC_FIXTURE_OR_SKIP(name, &log);
    const Parsed serial = ParseAll(log);
    ASSERT_GT(serial.stats.lines, 0) << name;
    for (How how : {How::kChunks, How::kWhole}) {
      ExpectSame(serial, ParseParallel(log, how, 2, 512), name);
    }
  }
}

TEST(ParallelGctraceTest, GatewayFixturesParseAsSerially) {
  for (const char* name :
       {"paygate-go119-default.log", "paygate-go119-gogc200-pool-2p.log", "paygate-go119-memlimit.log",
        "paygate-go126-default.log", "paygate-go126-gctrace2.log", "mixed.log"}) {
    std::string log;
    ASSERT_TRUE(testing::ReadFile(testing::SourceDir() + "/testdata/gctrace/" + name, &log)) << name;
    const Parsed serial = ParseAll(log);
    ASSERT_GT(serial.cycles.size(), 0u) << name;
    for (How how : {How::kChunks, How::kWhole}) {
      ExpectSame(serial, ParseParallel(log, how, 2, 2048), name);
    }
  }
}

}  // namespace
}  // namespace gcpilot
