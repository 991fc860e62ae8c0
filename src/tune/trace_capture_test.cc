// The trace capture against a real HTTP server on 127.0.0.1: what each way
// of failing notes on the run, and that a run never waits past its bound.
#include "tune/trace_capture.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include <fmt/format.h>

#include "exectrace/trace_reader.h"
#include "loadgen/test_server.h"

namespace gcpilot {
namespace {

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

LoopbackUrl At(const TestServer& server, const std::string& path) {
  return *ParseLoopbackUrl(fmt::format("http://127.0.0.1:{}{}", server.port(), path));
}

// A summarizer that reads only the trace's header: the version or its error.
StatusOr<TraceSummary> HeaderOnly(std::string_view bytes) {
  StatusOr<int> minor = ParseTraceHeader(bytes);
  if (!minor.ok()) return minor.status();
  return TraceSummary{.version = fmt::format("go 1.{}", *minor), .bytes = static_cast<int64_t>(bytes.size())};
}

TEST(TraceUrl, AsksTheLoadAddressForNSeconds) {
  const LoopbackUrl u = TraceUrl(*ParseLoopbackUrl("http://127.0.0.1:8123/v1/pay?x=1"), 3);
  EXPECT_EQ(u.HostHeader(), "127.0.0.1:8123");
  EXPECT_EQ(u.path, "/debug/pprof/trace?seconds=3");
}

TEST(TraceCapture, AnErrorStatusIsNotedWithTheUrl) {
  TestServer server;
  TraceCapture capture(At(server, "/status/404"), 1, HeaderOnly);
  capture.Start(NowNs());
  RunData data;
  capture.Finish(&data);
  EXPECT_FALSE(data.trace.has_value());
  EXPECT_EQ(data.trace_note,
            fmt::format("trace: not captured: http://127.0.0.1:{}/status/404 answered 404", server.port()));
}

TEST(TraceCapture, BytesThatAreNoTraceAreNotedWithTheReadersWords) {
  TestServer server;
  TraceCapture capture(At(server, "/ok"), 1, HeaderOnly);
  capture.Start(NowNs());
  RunData data;
  capture.Finish(&data);
  EXPECT_FALSE(data.trace.has_value());
  EXPECT_EQ(data.trace_note,
            "trace: captured 2 bytes but could not read them: not a Go execution trace (it does not begin with \"go "
            "1.N trace\")");
}

TEST(TraceCapture, ATargetThatIsGoneIsNoted) {
  TestServer server;
  const LoopbackUrl url = At(server, "/ok");
  server.Stop();
  TraceCapture capture(url, 1, HeaderOnly);
  capture.Start(NowNs());
  RunData data;
  capture.Finish(&data);
  EXPECT_FALSE(data.trace.has_value());
  EXPECT_TRUE(data.trace_note.starts_with("trace: not captured: ")) << data.trace_note;
}

// A load that ends before its measured window (an aborted warm-up) calls
// the capture off at once, and one never started says so.
TEST(TraceCapture, ALoadThatNeverReachedItsWindowCapturesNothing) {
  TestServer server;
  TraceCapture capture(At(server, "/ok"), 1, HeaderOnly);
  capture.Start(NowNs() + 3'600'000'000'000);  // an hour ahead
  RunData data;
  capture.Finish(&data);
  EXPECT_EQ(data.trace_note, "trace: not captured: the load ended before its measured window began");
  EXPECT_EQ(server.total(), 0);

  TraceCapture idle(At(server, "/ok"), 1, HeaderOnly);
  RunData none;
  idle.Finish(&none);
  EXPECT_EQ(none.trace_note, "trace: not captured: the load ended before its measured window began");
}

}  // namespace
}  // namespace gcpilot
