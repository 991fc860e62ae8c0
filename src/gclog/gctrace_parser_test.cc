#include "gclog/gctrace_parser.h"

#include <gtest/gtest.h>

#include "gclog/gctrace_test_util.h"

namespace gcpilot {
namespace {

using testing::ParseAll;

GcCycle ParseOne(std::string_view line) {
  GcCycle c;
  GctraceLineError e;
  EXPECT_EQ(ParseGctraceLine(line, &c, &e), GctraceLineKind::kCycle)
      << line << "\n at column " << e.column << " expected " << e.expected;
  return c;
}

// Go 1.18+ shape, from the public fixture src-02.log line 2.
TEST(GctraceLineTest, Go118StacksGlobals) {
  GcCycle c = ParseOne(
      "gc 2 @0.014s 6%: 0.066+0.80+0.003 ms clock, 0.26+1.0/0.62/0+0.012 ms "
      "cpu, 4->4->0 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 4 P");
  EXPECT_EQ(c.number, 2);
  EXPECT_EQ(c.start_ns, 14'000'000);
  EXPECT_EQ(c.origin.printed_cpu_percent, 6);
  EXPECT_EQ(c.sweep_term_ns, 66'000);
  EXPECT_EQ(c.mark_ns, 800'000);
  EXPECT_EQ(c.mark_term_ns, 3'000);
  EXPECT_EQ(c.stw_ns(), 69'000);
  EXPECT_EQ(c.cpu_sweep_term_ns, 260'000);
  EXPECT_EQ(c.cpu_assist_ns, 1'000'000);
  EXPECT_EQ(c.cpu_background_ns, 620'000);
  EXPECT_EQ(c.cpu_idle_ns, 0);
  EXPECT_EQ(c.cpu_mark_term_ns, 12'000);
  EXPECT_EQ(c.heap_start_mb(), 4);
  EXPECT_EQ(c.heap_end_mb(), 4);
  EXPECT_EQ(c.heap_live_mb(), 0);
  EXPECT_EQ(c.heap_goal_mb(), 4);
  EXPECT_EQ(c.stacks_mb(), 0);
  EXPECT_EQ(c.globals_mb(), 0);
  EXPECT_EQ(c.procs, 4);
  EXPECT_FALSE(c.forced);
  EXPECT_EQ(c.origin.format, GctraceFormat::kStacksGlobals);
}

// Go 1.5 five-phase shape, src-01.log line 1.
TEST(GctraceLineTest, Go15FivePhase) {
  GcCycle c = ParseOne(
      "gc 1 @0.166s 0%: 0.22+2.3+0.074+0.76+0.56 ms clock, "
      "0.45+2.3+0+0.55/0.59/0+1.1 ms cpu, 5->5->1 MB, 4 MB goal, 4 P");
  EXPECT_EQ(c.origin.format, GctraceFormat::kFivePhase);
  EXPECT_EQ(c.start_ns, 166'000'000);
  EXPECT_EQ(c.sweep_term_ns, 220'000);
  EXPECT_EQ(c.mark_ns, 2'300'000 + 760'000);  // scan + mark
  EXPECT_EQ(c.sync_ns, 74'000);
  EXPECT_EQ(c.mark_term_ns, 560'000);
  EXPECT_EQ(c.cpu_sweep_term_ns, 450'000);
  EXPECT_EQ(c.cpu_other_ns, 2'300'000);
  EXPECT_EQ(c.cpu_assist_ns, 550'000);
  EXPECT_EQ(c.cpu_background_ns, 590'000);
  EXPECT_EQ(c.cpu_idle_ns, 0);
  EXPECT_EQ(c.cpu_mark_term_ns, 1'100'000);
  EXPECT_EQ(c.heap_goal_mb(), 4);
  EXPECT_EQ(c.stacks_mb(), -1);
  EXPECT_EQ(c.globals_mb(), -1);
}

// Go 1.9, 40 Ps, a 15 GB heap and multi-second marks: src-03.log line 1.
TEST(GctraceLineTest, Go19LargeValues) {
  GcCycle c = ParseOne(
      "gc 84 @1385.961s 2%: 0.20+4138+0.29 ms clock, "
      "6.4+33879/40532/68952+9.3 ms cpu, 14799->15033->7927 MB, 15626 MB "
      "goal, 40 P");
  EXPECT_EQ(c.origin.format, GctraceFormat::kThreePhase);
  EXPECT_EQ(c.start_ns, 1'385'961'000'000);
  EXPECT_EQ(c.mark_ns, 4'138'000'000);
  EXPECT_EQ(c.cpu_assist_ns, 33'879'000'000);
  EXPECT_EQ(c.cpu_idle_ns, 68'952'000'000);
  EXPECT_EQ(c.heap_start_mb(), 14799);
  EXPECT_EQ(c.heap_live_mb(), 7927);
  EXPECT_EQ(c.heap_goal_mb(), 15626);
  EXPECT_EQ(c.procs, 40);
}

TEST(GctraceLineTest, ForcedAndPrefixes) {
  const std::string line =
      "gc 3 @1.500s 0%: 0.010+1.0+0.020 ms clock, 0.020+0/1.0/0+0.040 ms cpu, "
      "10->10->5 MB, 20 MB goal, 0 MB stacks, 0 MB globals, 2 P (forced)";
  EXPECT_TRUE(ParseOne(line).forced);
  // Indented (src-05), CRI container prefix, klog-ish prefix, CRLF.
  for (const std::string& prefixed :
       {"    " + line, "2024-05-01T10:00:00.123456789Z stderr F " + line,
        "[pod-7f9c] " + line, line + "\r",
        "{\"log\":\"" + line + "\\n\",\"stream\":\"stderr\"}"}) {
    GcCycle c = ParseOne(prefixed);
    EXPECT_EQ(c.number, 3) << prefixed;
    EXPECT_EQ(c.heap_goal_mb(), 20) << prefixed;
    EXPECT_TRUE(c.forced) << prefixed;
  }
}

TEST(GctraceLineTest, ZeroTermsAndClassification) {
  // src-06.log: a 0+x+0 clock.
  GcCycle c = ParseOne(
      "gc 1 @0.035s 0%: 0+0.99+0 ms clock, 0+0/0/0+0 ms cpu, 4->5->1 MB, 5 "
      "MB goal, 12 P");
  EXPECT_EQ(c.sweep_term_ns, 0);
  EXPECT_EQ(c.mark_ns, 990'000);
  GctraceLineError e;
  EXPECT_EQ(ParseGctraceLine("scvg: 0 MB released", &c, &e),
            GctraceLineKind::kScavenger);
  EXPECT_EQ(ParseGctraceLine("scav 0 KiB work, 0 KiB total, 5% util", &c, &e),
            GctraceLineKind::kScavenger);
  EXPECT_EQ(ParseGctraceLine("pacer: assist ratio=+1.2e+000", &c, &e),
            GctraceLineKind::kPacer);
  EXPECT_EQ(ParseGctraceLine("gc12(4): 1+2+3 ms, 4 -> 2 MB", &c, &e),
            GctraceLineKind::kLegacy);
  EXPECT_EQ(ParseGctraceLine("GC forced", &c, &e), GctraceLineKind::kOther);
  EXPECT_EQ(ParseGctraceLine("starting gc 5 times", &c, &e),
            GctraceLineKind::kOther);
  EXPECT_EQ(ParseGctraceLine("debug gc 5 @ home", &c, &e),
            GctraceLineKind::kMalformed);  // `gc N @` claims a cycle line
  EXPECT_EQ(ParseGctraceLine("logc 5 @1.0s", &c, &e), GctraceLineKind::kOther);
  EXPECT_EQ(ParseGctraceLine("", &c, &e), GctraceLineKind::kOther);
}

struct MalformedCase {
  const char* line;
  int64_t column;
  const char* expected;
};

class GctraceMalformedTest : public ::testing::TestWithParam<MalformedCase> {};

TEST_P(GctraceMalformedTest, ReportsColumnAndExpectation) {
  const MalformedCase& m = GetParam();
  GcCycle c;
  GctraceLineError e;
  ASSERT_EQ(ParseGctraceLine(m.line, &c, &e), GctraceLineKind::kMalformed)
      << m.line;
  EXPECT_EQ(e.column, m.column) << m.line;
  EXPECT_EQ(e.expected, m.expected) << m.line;
}

INSTANTIATE_TEST_SUITE_P(
    Table, GctraceMalformedTest,
    ::testing::Values(
        MalformedCase{"gc 1 @x", 7, "a decimal number"},
        MalformedCase{"gc 1 @0.5 3%", 10, "\"s \""},
        MalformedCase{"gc 1 @0.5s 3%: 1+2+3 ms clok", 21, "\" ms clock, \""},
        MalformedCase{"gc 1 @0.5s 3%: 1+2 ms clock, 1+1/1/1+1 ms cpu, 1->1->1 "
                      "MB, 4 MB goal, 4 P",
                      19, "3 or 5 clock phases"},
        MalformedCase{"gc 1 @0.5s 3%: 1+2+3 ms clock, 1+2+3 ms cpu, 1->1->1 "
                      "MB, 4 MB goal, 4 P",
                      37,
                      "an assist/background/idle term before the last cpu "
                      "term"},
        MalformedCase{"gc 1 @0.5s 3%: 1+2+3 ms clock, 1+1/1/1+1 ms cpu, "
                      "1->1 MB, 4 MB goal, 4 P",
                      54, "\"->\""},
        MalformedCase{"gc 1 @0.5s 3%: 1+2+3 ms clock, 1+1/1/1+1 ms cpu, "
                      "1->1->1 MB, 4 MB goal, 4 Ps",
                      76, "end of line after \" P\""},
        MalformedCase{"gc 1 @0.5s 3%: 1.+2+3 ms clock", 18,
                      "digits after '.'"},
        MalformedCase{"gc 1 @0.5s 3%: 1+2+3 ms clock, 1+1/1/1+1 ms cpu, "
                      "1->1->1 MB, 4 MB goal, 0 MB stacks, 4 P",
                      87, "\" MB globals, \""},
        MalformedCase{"gc 1 @0.5s 3%: 1+1/2/3+3 ms clock", 19,
                      "'+' or \" ms clock, \""},
        MalformedCase{"gc 4 @0.900s 4%: 0.05O+9.0+0.030 ms clock", 22,
                      "'+' or \" ms clock, \""},
        MalformedCase{"gc 1 @0.5s 3%: 1+2+3 ms clock, 1+1/1/1x ms cpu", 39,
                      "'+', '/' or \" ms cpu, \""},
        MalformedCase{"gc 1 @1234567890123.5s 3%:", 7, "a decimal number"},
        MalformedCase{"gc 1 @0.5s 3%: 1+2+3+4+5+6 ms clock", 26,
                      "at most 5 '+'-separated phases"}));

TEST(GctraceReaderTest, CountsKindsAndKeepsFirstErrors) {
  const std::string log =
      "$ GODEBUG=gctrace=1 ./svc\n"
      "gc 1 @0.010s 1%: 0.010+1.0+0.020 ms clock, 0.020+0.5/1.0/0+0.040 ms "
      "cpu, 4->4->1 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P\n"
      "scvg0: inuse: 5, idle: 2, sys: 7, released: 0, consumed: 7 (MB)\n"
      "gc 2 @0.020s 1%: garbage\n"
      "    pacer: sweep done at heap size 29MB\n"
      "gc 3 @0.030s 1%: 0.010+1.0+0.020 ms clock, 0.020+0.5/1.0/0+0.040 ms "
      "cpu, 4->4->1 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P\r\n"
      "gc 4 @0.040s 1%: 0.010+1.0+0.0";  // cut off: no newline, incomplete
  testing::Parsed p = ParseAll(log);
  ASSERT_TRUE(p.status.ok()) << p.status.message();
  ASSERT_EQ(p.cycles.size(), 2u);
  EXPECT_EQ(p.cycles[0].origin.line, 2);
  EXPECT_EQ(p.cycles[1].origin.line, 6);
  EXPECT_EQ(p.stats.lines, 7);
  EXPECT_EQ(p.stats.malformed, 1);
  EXPECT_EQ(p.stats.scavenger_lines, 1);
  EXPECT_EQ(p.stats.pacer_lines, 1);
  EXPECT_EQ(p.stats.other_lines, 1);
  EXPECT_TRUE(p.stats.truncated_last_line);
  ASSERT_EQ(p.stats.first_errors.size(), 1u);
  EXPECT_EQ(p.stats.first_errors[0].line, 4);
  EXPECT_EQ(p.stats.first_errors[0].column, 18);
  EXPECT_EQ(p.stats.first_errors[0].excerpt, "gc 2 @0.020s 1%: garbage");
  EXPECT_EQ(p.stats.bytes, static_cast<int64_t>(log.size()));

  testing::Parsed strict = ParseAll(log, 0, /*strict=*/true);
  EXPECT_EQ(strict.status.code(), StatusCode::kCorruption);
  EXPECT_EQ(strict.status.message(),
            "test.log:4:18: expected a decimal number");
  EXPECT_EQ(strict.cycles.size(), 1u);  // nothing after the error

  testing::Parsed cut = ParseAll(log.substr(log.find("gc 3")), 0, true);
  EXPECT_EQ(cut.status.message(),
            "test.log:2:31: input ends inside a gc line (expected '+' or "
            "\" ms clock, \")");
}

TEST(GctraceReaderTest, EveryChunkSplitGivesTheSameCycles) {
  std::string log;
  READ_PUBLIC_FIXTURE_OR_SKIP("src-05.log", &log);
  const testing::Parsed whole = ParseAll(log);
  ASSERT_EQ(whole.cycles.size(), 5u);
  for (size_t chunk : {1, 2, 3, 7, 64, 100, 4096}) {
    const testing::Parsed split = ParseAll(log, chunk);
    ASSERT_EQ(split.cycles.size(), whole.cycles.size()) << chunk;
    for (size_t i = 0; i < whole.cycles.size(); ++i) {
      EXPECT_EQ(split.cycles[i].number, whole.cycles[i].number);
      EXPECT_EQ(split.cycles[i].mark_ns, whole.cycles[i].mark_ns);
      EXPECT_EQ(split.cycles[i].origin.line, whole.cycles[i].origin.line);
    }
    EXPECT_EQ(split.stats.pacer_lines, 3) << chunk;
  }
}

TEST(GctraceReaderTest, OverlongLineIsDroppedWithoutBuffering) {
  const std::string good =
      "gc 9 @1.000s 1%: 0.010+1.0+0.020 ms clock, 0.020+0.5/1.0/0+0.040 ms "
      "cpu, 4->4->1 MB, 4 MB goal, 2 P\n";
  std::string log = good + std::string(200'000, 'x') + "\n" + good;
  const testing::Parsed p = ParseAll(log, 1000);
  EXPECT_EQ(p.cycles.size(), 2u);
  EXPECT_EQ(p.stats.overlong_lines, 1);
  EXPECT_EQ(p.stats.lines, 3);
  EXPECT_EQ(p.cycles[1].origin.line, 3);
}

// Every public fixture: what the reader finds, line by line kind.
struct FixtureCase {
  const char* file;
  int64_t lines, cycles, scavenger, pacer, other, malformed;
};

class GctracePublicFixtureTest : public ::testing::TestWithParam<FixtureCase> {
};

TEST_P(GctracePublicFixtureTest, Counts) {
  const FixtureCase& f = GetParam();
  std::string log;
  READ_PUBLIC_FIXTURE_OR_SKIP(f.file, &log);
  const testing::Parsed p = ParseAll(log, 4096);
  ASSERT_TRUE(p.status.ok());
  EXPECT_EQ(p.stats.lines, f.lines);
  EXPECT_EQ(p.stats.cycles, f.cycles);
  EXPECT_EQ(p.stats.scavenger_lines, f.scavenger);
  EXPECT_EQ(p.stats.pacer_lines, f.pacer);
  EXPECT_EQ(p.stats.other_lines, f.other);
  EXPECT_EQ(p.stats.malformed, f.malformed);
}

INSTANTIATE_TEST_SUITE_P(
    Public, GctracePublicFixtureTest,
    ::testing::Values(FixtureCase{"src-01.log", 130, 130, 0, 0, 0, 0},
                      FixtureCase{"src-02.log", 97, 95, 0, 0, 2, 0},
                      FixtureCase{"src-03.log", 19, 11, 8, 0, 0, 0},
                      FixtureCase{"src-04.log", 14, 12, 2, 0, 0, 0},
                      FixtureCase{"src-05.log", 8, 5, 0, 3, 0, 0},
                      FixtureCase{"src-06.log", 4, 1, 2, 0, 1, 0},
                      FixtureCase{"src-07.log", 9, 7, 0, 0, 2, 0},
                      FixtureCase{"src-39.log", 8, 0, 0, 0, 8, 0}));

}  // namespace
}  // namespace gcpilot
