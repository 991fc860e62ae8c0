// The v1 text form: dump and encode are inverses, on hand-written text
// and on real traces, and the encoder names the line it cannot read.
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "exectrace/trace_text.h"
#include "exectrace/v1_test_util.h"

namespace gcpilot {
namespace {

std::string Dump(std::string_view bytes, Status* status) {
  std::ostringstream out;
  *status = DumpTraceText(bytes, out);
  return out.str();
}

// Go 1.21: a Stack with its length in 10 bytes, a UserLog message with
// bytes that need quoting, P -1.
constexpr std::string_view kText = R"txt(Trace Go1.21
EventBatch p=18446744073709551615 time=77
GoCreate dt=3 g=9 new_stack=2 stack=0
EventBatch p=1 time=80
GoStartLabel dt=1 g=9 seq=0 labelid=1
UserLog dt=2 id=0 keyid=1 stack=2
	data="a \"quoted\" \\ line\x0a\xc3\xa9"
GCSTWStart dt=1 kindid=2
Stack id=2 nframes=2 length_bytes=10
	pc=4321 func=1 file=1 line=7
	pc=4400 func=1 file=1 line=9
String id=1
	data="GC (idle)"
TimerGoroutine g=4
Frequency freq=15625000
)txt";

TEST(V1Text, DumpOfEncodeGivesTheTextBack) {
  const std::string bytes = v1test::Encode(kText);
  Status status;
  EXPECT_EQ(Dump(bytes, &status), kText);
  EXPECT_TRUE(status.ok()) << status.message();
}

TEST(V1Text, TheEncoderNamesTheLineItCannotRead) {
  auto error_of = [](std::string_view text) { return EncodeTraceText(text).status().message(); };
  EXPECT_EQ(error_of("Trace Go1.19\nEventBatch p=0 time=1\nGoStart dt=1 x=1 seq=0\n"),
            "line 3: expected g=N, found \"x=1\"");
  EXPECT_EQ(error_of("Trace Go1.19\nEventBatch p=0 time=1\nGoFly dt=1\n"),
            "line 3: no event \"GoFly\" in a go 1.19 trace");
  EXPECT_EQ(error_of("Trace Go1.19\nString id=1\n"), "line 3: expected a \"\\tdata=\\\"...\\\"\" line");
  EXPECT_EQ(error_of("Trace Go1.19\nString id=1\n\tdata=\"unterminated\n"),
            "line 3: the data is no well-formed quoted string");
  EXPECT_EQ(error_of("Trace Go1.19\nEventBatch p=0 time=1\nGoEnd dt=1 extra=2\n"),
            "line 3: expected length_bytes=N, found \"extra=2\"");
  EXPECT_EQ(error_of("Trace Go1.19\nStack id=1 nframes=2\n\tpc=1 func=1 file=1 line=1\n"),
            "line 3: expected a frame line");
}

void ExpectRoundTrip(const std::string& path) {
  const std::string bytes = v1test::ReadBytes(path);
  if (bytes.empty()) GTEST_SKIP() << path << " is absent";
  Status status;
  const std::string text = Dump(bytes, &status);
  ASSERT_TRUE(status.ok()) << path << ": " << status.message();
  const StatusOr<std::string> again = EncodeTraceText(text);
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_TRUE(*again == bytes) << path << ": the encoded text differs from the file";
}

TEST(V1Text, RoundTripsTheGatewayTraces) {
  for (const char* name : {"go119-paygate-1s.trace", "go119-paygate-300ms.trace"}) {
    ExpectRoundTrip(v1test::SourceDir() + "/testdata/exectrace/" + name);
  }
}

// Go's own v1 test traces, where its sources are installed: Go 1.11, 1.19
// and 1.21 writers, Go 1.21's padded stack lengths among them.
TEST(V1Text, RoundTripsGosOwnV1Traces) {
  for (const char* name : {"stress_1_11_good", "user_task_region_1_11_good", "http_1_19_good", "stress_1_19_good",
                           "http_1_21_good", "stress_1_21_good", "user_task_region_1_21_good", "fmt_1_21_pprof_good"}) {
    ExpectRoundTrip(v1test::GoV1Testdata(name));
  }
}

TEST(V1Text, ADumpStopsAtTheFaultAndSaysWhere) {
  const std::string bytes = v1test::Encode(kText);
  Status status;
  const std::string text = Dump(std::string_view(bytes).substr(0, 30), &status);
  EXPECT_EQ(status.message(), "offset 28: the trace ends inside an event");
  EXPECT_EQ(text, "Trace Go1.21\nEventBatch p=18446744073709551615 time=77\n");
}

}  // namespace
}  // namespace gcpilot
