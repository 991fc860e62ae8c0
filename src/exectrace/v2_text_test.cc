#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>

#include "base/read_file.h"
#include "exectrace/trace_text.h"
#include "exectrace/v2_quote.h"
#include "exectrace/v2_test_util.h"

namespace gcpilot {
namespace {

using testing::LoadV2Fixtures;
using testing::V2Fixture;

std::string Dump(std::string_view bytes, Status* st) {
  std::ostringstream out;
  *st = DumpTraceText(bytes, out);
  return out.str();
}

TEST(V2Text, EveryFixtureEncodesAndDumpsBackByteForByte) {
  const std::vector<V2Fixture> fixtures = LoadV2Fixtures();
  SKIP_WITHOUT_V2_FIXTURES(fixtures);
  int checked = 0;
  for (const V2Fixture& f : fixtures) {
    if (!f.success()) continue;
    StatusOr<std::string> bytes = EncodeTraceText(f.text);
    ASSERT_TRUE(bytes.ok()) << f.name << ": " << bytes.status().message();
    Status st;
    const std::string text = Dump(*bytes, &st);
    ASSERT_TRUE(st.ok()) << f.name << ": " << st.message();
    EXPECT_EQ(text, f.text) << f.name;
    StatusOr<std::string> again = EncodeTraceText(text);
    ASSERT_TRUE(again.ok()) << f.name;
    EXPECT_EQ(*again, *bytes) << f.name;
    ++checked;
  }
  EXPECT_EQ(checked, 7);
}

size_t UvarintBytes(uint64_t v) {
  size_t n = 1;
  for (; v >= 0x80; v >>= 7) ++n;
  return n;
}

// The runtime wrote each batch's `size`: the encoded events of every
// fixture must fill their batches exactly.
TEST(V2Text, EncodedEventsFillTheirBatchesExactly) {
  const std::vector<V2Fixture> fixtures = LoadV2Fixtures();
  SKIP_WITHOUT_V2_FIXTURES(fixtures);
  for (const V2Fixture& f : fixtures) {
    size_t want = 16;
    std::istringstream lines(f.text);
    for (std::string line; std::getline(lines, line);) {
      uint64_t gen = 0, m = 0, time = 0, size = 0;
      if (std::sscanf(line.c_str(), "EventBatch gen=%lu m=%lu time=%lu size=%lu", &gen, &m, &time, &size) == 4) {
        want += 1 + UvarintBytes(gen) + UvarintBytes(m) + UvarintBytes(time) + UvarintBytes(size) + size;
      }
    }
    StatusOr<std::string> bytes = EncodeTraceText(f.text);
    ASSERT_TRUE(bytes.ok()) << f.name;
    EXPECT_EQ(bytes->size(), want) << f.name;
    EXPECT_EQ(bytes->substr(0, 16), std::string("go 1.") + f.text.substr(10, 2) + std::string(" trace\0\0\0", 9));
  }
}

TEST(V2Text, EncodeNamesTheLineOfAnError) {
  EXPECT_EQ(EncodeTraceText("Trace Go1.22\nEventBatch gen=1 m=0 time=0 size=1\nGoFly dt=1\n").status().message(),
            "line 3: unknown event \"GoFly\" in a go 1.22 trace");
  // GoSwitch arrived with Go 1.23.
  EXPECT_EQ(EncodeTraceText("Trace Go1.22\nGoSwitch dt=1 g=2 g_seq=1\n").status().message(),
            "line 2: unknown event \"GoSwitch\" in a go 1.22 trace");
  EXPECT_TRUE(EncodeTraceText("Trace Go1.23\nGoSwitch dt=1 g=2 g_seq=1\n").ok());
  EXPECT_EQ(EncodeTraceText("Trace Go1.22\nGoStart dt=1 g_seq=1 g=2\n").status().message(),
            "line 2: expected argument \"g=N\", found \"g_seq=1\"");
  EXPECT_EQ(EncodeTraceText("Trace Go1.22\nGoStart dt=1 g=-2 g_seq=1\n").status().message(),
            "line 2: argument \"g\": \"-2\" is not an unsigned 64-bit number");
  EXPECT_EQ(EncodeTraceText("Trace Go1.22\nProcStop dt=1 p=2\n").status().message(),
            "line 2: unexpected \"p=2\" after the arguments");
  EXPECT_EQ(EncodeTraceText("Trace Go1.22\nStacks\nStack id=1 nframes=2\n\tpc=1 func=2 file=3 line=4\n")
                .status()
                .message(),
            "line 3: the text ends after 1 of the stack's 2 frames");
  EXPECT_EQ(EncodeTraceText("Trace Go1.22\nString id=1\n\tdata=\"abc\n").status().message(),
            "line 3: column 11: bad Go-quoted string");
}

TEST(V2Text, DumpNamesTheOffsetOfAFaultAndKeepsWhatCameBefore) {
  std::string bytes = *EncodeTraceText("Trace Go1.22\nEventBatch gen=1 m=0 time=0 size=3\nProcStop dt=1\n");
  Status st;
  std::string text = Dump(bytes + "\x2d", &st);  // 45: GoSwitch, not in 1.22
  EXPECT_EQ(st.message(), "offset 23: unknown event type 45 in a go 1.22 trace");
  EXPECT_EQ(text, "Trace Go1.22\nEventBatch gen=1 m=0 time=0 size=3\nProcStop dt=1\n");
  text = Dump(bytes + "\x10\x01\x80", &st);  // GoStart dt=1 g=<cut>
  EXPECT_EQ(st.message(), "offset 23: GoStart: the input ends inside its arguments");
  Dump(bytes + "\x05\x01\x09xy", &st);  // String id=1, 9 bytes promised, 2 there
  EXPECT_EQ(st.message(), "offset 23: String: the input ends inside its data");
}

TEST(V2Text, QuotesAsGoDoes) {
  std::string q;
  AppendGoQuoted(std::string("a\"b\\c\n\t\x01\x7f\xff\xc3\xa9\xc2\x85", 14), &q);
  EXPECT_EQ(q, "\"a\\\"b\\\\c\\n\\t\\x01\\x7f\\xff\xc3\xa9\\u0085\"");
  std::string back;
  EXPECT_EQ(ParseGoQuoted(q, &back), std::string::npos);
  EXPECT_EQ(back, std::string("a\"b\\c\n\t\x01\x7f\xff\xc3\xa9\xc2\x85", 14));
  EXPECT_EQ(ParseGoQuoted("\"\\101\\U0001F600\"", &back), std::string::npos);
  EXPECT_EQ(back, "A\xf0\x9f\x98\x80");
  EXPECT_EQ(ParseGoQuoted("\"\\q\"", &back), 1u);
  EXPECT_EQ(ParseGoQuoted("\"ab\" x", &back), 4u);
}

// A real Go 1.26 trace (testdata/exectrace/go126-tasks-2gen.trace, from
// go126-tasks-2gen.go.txt): our dump must be what Go's own tool prints.
TEST(V2Text, DumpOfARealGo126TraceMatchesGoToolTrace) {
  const std::string path = testing::SourceDir() + "/testdata/exectrace/go126-tasks-2gen.trace";
  std::string bytes;
  ASSERT_TRUE(ReadFileToString(path, &bytes)) << path;
  Status st;
  const std::string text = Dump(bytes, &st);
  ASSERT_TRUE(st.ok()) << st.message();
  const char* go = "/usr/local/go/bin/go";
  if (std::getenv("GCPILOT_NO_GO") != nullptr || !std::filesystem::exists(go)) {
    GTEST_SKIP() << "no Go toolchain at " << go;
  }
  const std::string out = ::testing::TempDir() + "/v2_text_go126.wire";
  const std::string cmd = std::string(go) + " tool trace -d=wire " + path + " > " + out + " 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  std::string want;
  ASSERT_TRUE(ReadFileToString(out, &want));
  // go tool trace prints the events without the "Trace Go1.26" line.
  EXPECT_EQ(text, "Trace Go1.26\n" + want);
}

}  // namespace
}  // namespace gcpilot
