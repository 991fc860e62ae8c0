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
  // Every clock term lands once: the concurrent part is scan + sync + mark,
  // and with the two pauses it is the cycle's whole wall time.
  EXPECT_EQ(c.concurrent_ns(), 2'300'000 + 74'000 + 760'000);
  EXPECT_EQ(c.wall_ns(), 220'000 + 2'300'000 + 74'000 + 760'000 + 560'000);
  EXPECT_EQ(c.sweep_term_ns + c.concurrent_ns() + c.mark_term_ns, c.wall_ns());
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
       {"    " + line, "2024-05-01T10:00:00.123456789Z stderr F " + line, "[pod-7f9c] " + line, line + "\r",
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
  EXPECT_EQ(ParseGctraceLine("scvg: 0 MB released", &c, &e), GctraceLineKind::kScavenger);
  EXPECT_EQ(ParseGctraceLine("scav 0 KiB work, 0 KiB total, 5% util", &c, &e), GctraceLineKind::kScavenger);
  EXPECT_EQ(ParseGctraceLine("pacer: assist ratio=+1.2e+000", &c, &e), GctraceLineKind::kPacer);
  EXPECT_EQ(ParseGctraceLine("gc12(4): 1+2+3 ms, 4 -> 2 MB", &c, &e), GctraceLineKind::kLegacy);
  EXPECT_EQ(ParseGctraceLine("GC forced", &c, &e), GctraceLineKind::kOther);
  EXPECT_EQ(ParseGctraceLine("starting gc 5 times", &c, &e), GctraceLineKind::kOther);
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
  ASSERT_EQ(ParseGctraceLine(m.line, &c, &e), GctraceLineKind::kMalformed) << m.line;
  EXPECT_EQ(e.column, m.column) << m.line;
  EXPECT_EQ(e.expected, m.expected) << m.line;
}

INSTANTIATE_TEST_SUITE_P(
    Table, GctraceMalformedTest,
    ::testing::Values(MalformedCase{"gc 1 @x", 7, "a decimal number"}, MalformedCase{"gc 1 @0.5 3%", 10, "\"s \""},
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
                      MalformedCase{"gc 1 @0.5s 3%: 1.+2+3 ms clock", 18, "digits after '.'"},
                      MalformedCase{"gc 1 @0.5s 3%: 1+2+3 ms clock, 1+1/1/1+1 ms cpu, "
                                    "1->1->1 MB, 4 MB goal, 0 MB stacks, 4 P",
                                    87, "\" MB globals, \""},
                      MalformedCase{"gc 1 @0.5s 3%: 1+1/2/3+3 ms clock", 19, "'+' or \" ms clock, \""},
                      MalformedCase{"gc 4 @0.900s 4%: 0.05O+9.0+0.030 ms clock", 22, "'+' or \" ms clock, \""},
                      MalformedCase{"gc 1 @0.5s 3%: 1+2+3 ms clock, 1+1/1/1x ms cpu", 39, "'+', '/' or \" ms cpu, \""},
                      MalformedCase{"gc 1 @123456789.5s 3%:", 22, "\": \""},
                      MalformedCase{"gc 1 @0.5s 3% (checking for leaks): 1+2+3 ms clock", 14, "\": \""},
                      MalformedCase{"gc 1 @0.5s 3%: 1+2+3+4+5+6 ms clock", 26, "at most 5 '+'-separated phases"}));

// Development builds print the release shape: lines quoted from Go issue
// reports made with `devel` toolchains parse like any other.
TEST(GctraceLineTest, DevelBuildLines) {
  // golang/go#52515, `go version devel go1.19-b55a2fb3b0 ... darwin/amd64`.
  GcCycle c = ParseOne(
      "gc 1 @0.124s 16%: 0.040+242+0.002 ms clock, 0.32+0.11/484/1447+0.020 ms "
      "cpu, 1526->1526->1525 MB, 1526 MB goal, 0 MB stacks, 0 MB globals, 8 P (forced)");
  EXPECT_EQ(c.number, 1);
  EXPECT_EQ(c.start_ns, 124'000'000);
  EXPECT_EQ(c.cpu_idle_ns, 1'447'000'000);
  EXPECT_EQ(c.heap_live_mb(), 1525);
  EXPECT_EQ(c.procs, 8);
  EXPECT_TRUE(c.forced);
  // golang/go#73581 (the Green Tea GC issue), a 1.25 development build
  // without Green Tea, 64 Ps.
  c = ParseOne(
      "gc 8 @0.060s 3%: 0.75+3.3+0.067 ms clock, 48+0.015/18/0+4.3 ms cpu, "
      "10->12->7 MB, 11 MB goal, 0 MB stacks, 0 MB globals, 64 P");
  EXPECT_EQ(c.cpu_sweep_term_ns, 48'000'000);
  EXPECT_EQ(c.cpu_assist_ns, 15'000);
  EXPECT_EQ(c.procs, 64);
  EXPECT_EQ(c.origin.format, GctraceFormat::kStacksGlobals);
}

// Go 1.26 (mgc.go) prints ` (checking for goroutine leaks)` after the % of
// a cycle that ran the goroutine leak detector
// (GOEXPERIMENT=goroutineleakprofile); the rest of the line is as ever.
TEST(GctraceLineTest, Go126GoroutineLeakCheck) {
  GcCycle c = ParseOne(
      "gc 7 @2.250s 4% (checking for goroutine leaks): 0.031+12+0.004 ms clock, "
      "0.062+0.10/5.9/11+0.008 ms cpu, 24->25->12 MB, 25 MB goal, 0 MB stacks, 0 MB "
      "globals, 2 P (forced)");
  EXPECT_EQ(c.number, 7);
  EXPECT_EQ(c.origin.printed_cpu_percent, 4);
  EXPECT_EQ(c.mark_ns, 12'000'000);
  EXPECT_TRUE(c.forced);
}

// gctrace=2 lines (Go 1.25+): one `scan: total` line after each cycle, then
// one `scan: class` line per size class scanned. Shapes from
// mgcmark_greenteagc.go / mgcmark_nogreenteagc.go of Go 1.26; lines from
// testdata/gctrace/paygate-go126-gctrace2.log where real.
struct ScanCase {
  const char* line;
  GctraceLineKind kind;
};

class GctraceScanLineTest : public ::testing::TestWithParam<ScanCase> {};

TEST_P(GctraceScanLineTest, Kind) {
  GcCycle c;
  GctraceLineError e;
  EXPECT_EQ(ParseGctraceLine(GetParam().line, &c, &e), GetParam().kind) << GetParam().line;
}

INSTANTIATE_TEST_SUITE_P(
    Table, GctraceScanLineTest,
    ::testing::Values(
        // Green Tea (the 1.26 default), real lines.
        ScanCase{"scan: total 363+3077+21602=25042 objs, 502+684=1186 spans", GctraceLineKind::kScan},
        ScanCase{"scan: class 48B 4+1607+12154=13765 objs, 206+210=416 spans", GctraceLineKind::kScan},
        ScanCase{"scan: class 16384B 2+0+0=2 objs, 0+0=0 spans", GctraceLineKind::kScan},
        ScanCase{"scan: class L 5+0+0=5 objs, 0+0=0 spans", GctraceLineKind::kScan},
        // Without Green Tea (GOEXPERIMENT=nogreenteagc, or 1.25's default).
        ScanCase{"scan: total 25042 objs", GctraceLineKind::kScan},
        ScanCase{"scan: class 48B 13765 objs", GctraceLineKind::kScan},
        ScanCase{"scan: class L 5 objs", GctraceLineKind::kScan},
        // Prefixed, CRLF, a container log's JSON.
        ScanCase{"2026-01-05T10:00:00.1Z stderr F scan: total 9 objs", GctraceLineKind::kScan},
        ScanCase{"scan: total 1+2+3=6 objs, 1+1=2 spans\r", GctraceLineKind::kScan},
        ScanCase{"{\"log\":\"scan: class 8B 88+0+0=88 objs, 0+0=0 spans\\n\"}", GctraceLineKind::kScan},
        // Application output that merely says "scan:".
        ScanCase{"scan: total 3 files", GctraceLineKind::kOther},
        ScanCase{"scan: class 48B done", GctraceLineKind::kOther},
        ScanCase{"scan: total 12 objs scanned by worker", GctraceLineKind::kOther},
        ScanCase{"scan: total 1+2 objs, 3 spans left", GctraceLineKind::kOther},
        ScanCase{"scan: class 48 1 objs", GctraceLineKind::kOther},
        ScanCase{"portscan: total 5 objs", GctraceLineKind::kOther},
        ScanCase{"scan: total +3 objs", GctraceLineKind::kOther}, ScanCase{"scan: ", GctraceLineKind::kOther}));

// Values past what the model holds make the line a skipped one, the error
// at the value's first digit naming the limit: a clock that wrapped (the
// runtime prints unsigned ns, so a negative interval reads as ~1.8e19 ns),
// counters past int64, MB whose bytes do not fit, a % or P past int32. No
// stand-in value (the limit itself, say) is ever passed on as printed.
struct OutOfRangeCase {
  const char* line;
  int64_t column;
  const char* expected;
};

class GctraceOutOfRangeTest : public ::testing::TestWithParam<OutOfRangeCase> {};

TEST_P(GctraceOutOfRangeTest, SkipsTheLineAtTheValue) {
  const OutOfRangeCase& o = GetParam();
  GcCycle c;
  GctraceLineError e;
  ASSERT_EQ(ParseGctraceLine(o.line, &c, &e), GctraceLineKind::kMalformed) << o.line;
  EXPECT_EQ(e.column, o.column) << o.line;
  EXPECT_EQ(e.expected, o.expected) << o.line;
  EXPECT_TRUE(e.out_of_range) << o.line;
}

const char kTail[] = " ms cpu, 4->4->1 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P";

INSTANTIATE_TEST_SUITE_P(
    Table, GctraceOutOfRangeTest,
    ::testing::Values(OutOfRangeCase{"gc 9223372036854775808 @1.0s 1%: 1+2+3 ms clock, 1+1/1/1+1 ms cpu, "
                                     "4->4->1 MB, 4 MB goal, 2 P",
                                     4, "cycle number of at most 9223372036854775807"},
                      OutOfRangeCase{"gc 1 @18446744073709.551s 1%: 1+2+3 ms clock, 1+1/1/1+1 ms cpu, "
                                     "4->4->1 MB, 4 MB goal, 2 P",
                                     7, "seconds since start of at most 1000000000"},
                      OutOfRangeCase{"gc 1 @1.0s 1%: 0.010+18446744073709+0.020 ms clock, "
                                     "0.020+0/1.0/0+0.040 ms cpu, 4->4->1 MB, 4 MB goal, 2 P",
                                     22, "clock ms of at most 1000000000000"},
                      OutOfRangeCase{"gc 1 @1.0s 1%: 0.010+1.0+0.020 ms clock, "
                                     "0.020+0/18446744073709/0+0.040 ms cpu, 4->4->1 MB, 4 MB goal, 2 P",
                                     50, "cpu ms of at most 1000000000000"},
                      // The fraction's digits count: 10^12 ms and a bit.
                      OutOfRangeCase{"gc 1 @1.0s 1%: 1000000000000.001+0+0 ms clock, "
                                     "1+1/1/1+1 ms cpu, 4->4->1 MB, 4 MB goal, 2 P",
                                     16, "clock ms of at most 1000000000000"},
                      OutOfRangeCase{"gc 1 @1.0s 1%: 1+2+3 ms clock, 1+1/1/1+1 ms cpu, "
                                     "8796093022208->4->1 MB, 4 MB goal, 2 P",
                                     50, "heap MB of at most 8796093022207"},
                      OutOfRangeCase{"gc 1 @1.0s 1%: 1+2+3 ms clock, 1+1/1/1+1 ms cpu, "
                                     "4->4->1 MB, 99999999999999999999 MB goal, 2 P",
                                     62, "goal MB of at most 8796093022207"},
                      OutOfRangeCase{"gc 1 @1.0s 1%: 1+2+3 ms clock, 1+1/1/1+1 ms cpu, "
                                     "4->4->1 MB, 4 MB goal, 9000000000000 MB stacks, 0 MB globals, 2 P",
                                     73, "stacks MB of at most 8796093022207"},
                      OutOfRangeCase{"gc 1 @1.0s 1%: 1+2+3 ms clock, 1+1/1/1+1 ms cpu, "
                                     "4->4->1 MB, 4 MB goal, 0 MB stacks, 9000000000000 MB globals, 2 P",
                                     86, "globals MB of at most 8796093022207"},
                      OutOfRangeCase{"gc 1 @1.0s 2147483648%: 1+2+3 ms clock, 1+1/1/1+1 ms cpu, "
                                     "4->4->1 MB, 4 MB goal, 2 P",
                                     12, "GC CPU % of at most 2147483647"},
                      OutOfRangeCase{"gc 1 @1.0s 1%: 1+2+3 ms clock, 1+1/1/1+1 ms cpu, "
                                     "4->4->1 MB, 4 MB goal, 4294967296 P",
                                     73, "P of at most 2147483647"},
                      OutOfRangeCase{"gc 1 @1.0s 1%: 1+2+3 ms clock, 1+1/1/1+1 ms cpu, "
                                     "4->4->1 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 4294967296 P",
                                     100, "P of at most 2147483647"}));

// The largest values the model holds are kept exactly as printed, and so
// are a % over 100 and a P count past 2^20 (older gcpilot clamped those to
// 100 and 2^20).
TEST(GctraceLineTest, LargestValuesAreKeptAsPrinted) {
  GcCycle c;
  GctraceLineError e;
  ASSERT_EQ(ParseGctraceLine("gc 9223372036854775807 @999999999.999999999s 2147483647%: "
                             "999999999999.999999+0+0 ms clock, 1+1/1/1+1 ms cpu, "
                             "8796093022207->4->1 MB, 4 MB goal, 8796093022207 MB stacks, 0 MB globals, "
                             "2147483647 P",
                             &c, &e),
            GctraceLineKind::kCycle)
      << e.column << " " << e.expected;
  EXPECT_EQ(c.number, INT64_MAX);
  EXPECT_EQ(c.start_ns, kGctraceMaxNs - 1);
  EXPECT_EQ(c.sweep_term_ns, kGctraceMaxNs - 1);
  EXPECT_EQ(c.origin.printed_cpu_percent, INT32_MAX);
  EXPECT_EQ(c.procs, INT32_MAX);
  EXPECT_EQ(c.heap_start_mb(), kGctraceMaxMb);
  EXPECT_EQ(c.stacks_mb(), kGctraceMaxMb);
  // kGctraceMaxMb is MbToBytes' own limit.
  int64_t bytes = 0;
  EXPECT_TRUE(MbToBytes(kGctraceMaxMb, &bytes));
  EXPECT_FALSE(MbToBytes(kGctraceMaxMb + 1, &bytes));
  c = ParseOne("gc 1 @1.0s 250%: 1+2+3 ms clock, 1+1/1/1+1 ms cpu, 4->4->1 MB, 4 MB goal, 2000000 P");
  EXPECT_EQ(c.origin.printed_cpu_percent, 250);
  EXPECT_EQ(c.procs, 2'000'000);
}

TEST(GctraceReaderTest, OutOfRangeLinesAreSkippedAndCounted) {
  std::string log;
  for (int i = 1; i <= 12; ++i) {
    log += "gc " + std::to_string(i) + " @1.0s 1%: 1+18446744073709+3 ms clock, 1+1/1/1+1" + kTail + "\n";
  }
  log += "gc 13 @1.0s 1%: 1+2+3 ms clock, 1+1/1/1+1" + std::string(kTail) + "\n";
  log += "gc 14 @1.0s 1%: garbage\n";
  for (size_t chunk : {0, 7}) {
    const testing::Parsed p = ParseAll(log, chunk);
    ASSERT_TRUE(p.status.ok()) << p.status.message();
    ASSERT_EQ(p.cycles.size(), 1u);
    EXPECT_EQ(p.cycles[0].number, 13);
    EXPECT_EQ(p.stats.malformed, 13);
    EXPECT_EQ(p.stats.out_of_range, 12);
    ASSERT_EQ(p.stats.first_errors.size(), GctraceParseStats::kMaxKeptErrors);
    EXPECT_EQ(p.stats.first_errors[9].line, 10);
    EXPECT_EQ(p.stats.first_errors[9].column, 19);  // `gc 10 `: one digit more
    EXPECT_EQ(p.stats.first_errors[9].expected, "clock ms of at most 1000000000000");
    EXPECT_TRUE(p.stats.first_errors[9].out_of_range);
  }
  // Strict: the first one is the error.
  const testing::Parsed strict = ParseAll(log, 0, /*strict=*/true);
  EXPECT_EQ(strict.status.message(), "test.log:1:18: expected clock ms of at most 1000000000000");
}

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
  EXPECT_EQ(strict.status.message(), "test.log:4:18: expected a decimal number");
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
  EXPECT_EQ(p.stats.first_overlong_line, 2);
  EXPECT_EQ(p.stats.lines, 3);
  EXPECT_EQ(p.cycles[1].origin.line, 3);
}

// Strict refuses an overlong line as it refuses a malformed one, naming
// its line, however the chunks fall; the cycle before it was delivered.
TEST(GctraceReaderTest, StrictFailsOnTheFirstOverlongLine) {
  const std::string good =
      "gc 9 @1.000s 1%: 0.010+1.0+0.020 ms clock, 0.020+0.5/1.0/0+0.040 ms "
      "cpu, 4->4->1 MB, 4 MB goal, 2 P\n";
  const std::string log = good + "app\ngc 10 @" + std::string(70'000, '1') + "\n" + good;
  for (size_t chunk : {0, 1000, 65536, 70'010}) {
    const testing::Parsed p = ParseAll(log, chunk, /*strict=*/true);
    EXPECT_EQ(p.status.message(), "test.log:3: line longer than 65536 bytes, not read") << chunk;
    EXPECT_EQ(p.cycles.size(), 1u) << chunk;
  }
  // The unterminated last line too.
  const testing::Parsed last = ParseAll(good + std::string(70'000, 'y'), 1000, true);
  EXPECT_EQ(last.status.message(), "test.log:2: line longer than 65536 bytes, not read");
}

// A line over kMaxLineBytes is overlong however the chunks fall: whole in
// one chunk, cut across chunks, or the unterminated last line; a cycle
// line after a long prefix is one of them. The first one's line is kept.
TEST(GctraceReaderTest, OverlongLinesCountTheSameForEveryChunking) {
  const std::string good =
      "gc 9 @1.000s 1%: 0.010+1.0+0.020 ms clock, 0.020+0.5/1.0/0+0.040 ms "
      "cpu, 4->4->1 MB, 4 MB goal, 2 P\n";
  const std::string prefixed = std::string(GctraceParseStats::kMaxLineBytes, ' ') + good;
  const std::string log = good + "app\n" + prefixed + good + std::string(70'000, 'y');
  for (size_t chunk : {0, 1000, 65536, 65537, 200'000}) {
    const testing::Parsed p = ParseAll(log, chunk);
    EXPECT_EQ(p.cycles.size(), 2u) << chunk;
    EXPECT_EQ(p.stats.lines, 5) << chunk;
    EXPECT_EQ(p.stats.overlong_lines, 2) << chunk;
    EXPECT_EQ(p.stats.first_overlong_line, 3) << chunk;
    EXPECT_EQ(p.stats.other_lines, 1) << chunk;
  }
}

// Every public fixture: what the reader finds, line by line kind.
struct FixtureCase {
  const char* file;
  int64_t lines, cycles, scavenger, pacer, other, malformed;
};

class GctracePublicFixtureTest : public ::testing::TestWithParam<FixtureCase> {};

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
    ::testing::Values(FixtureCase{"src-01.log", 130, 130, 0, 0, 0, 0}, FixtureCase{"src-02.log", 97, 95, 0, 0, 2, 0},
                      FixtureCase{"src-03.log", 19, 11, 8, 0, 0, 0}, FixtureCase{"src-04.log", 14, 12, 2, 0, 0, 0},
                      FixtureCase{"src-05.log", 8, 5, 0, 3, 0, 0}, FixtureCase{"src-06.log", 4, 1, 2, 0, 1, 0},
                      FixtureCase{"src-07.log", 9, 7, 0, 0, 2, 0}, FixtureCase{"src-39.log", 8, 0, 0, 0, 8, 0}));

}  // namespace
}  // namespace gcpilot
