#include "exectrace/trace_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "base/read_file.h"

namespace gcpilot {
namespace {

std::string Header(std::string_view version) {
  std::string h = "go 1." + std::string(version) + " trace";
  h.resize(kTraceHeaderBytes, '\0');
  return h;
}

TEST(ParseTraceHeader, KnowsEveryVersionGoWrites) {
  for (int minor : {11, 19, 21, 22, 23, 25, 26}) {
    StatusOr<int> got = ParseTraceHeader(Header(std::to_string(minor)));
    ASSERT_TRUE(got.ok()) << minor << ": " << got.status().message();
    EXPECT_EQ(*got, minor);
  }
}

TEST(ParseTraceHeader, NamesAnUnknownVersion) {
  StatusOr<int> got = ParseTraceHeader(Header("24"));
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().message(), "unsupported trace version go 1.24");
  EXPECT_EQ(ParseTraceHeader(Header("5")).status().message(), "unsupported trace version go 1.5");
}

TEST(ParseTraceHeader, RefusesWhatIsNoTrace) {
  for (std::string_view bad : {std::string_view("gc 1 @0.001s 2%: 0.1+0.2+0.3 ms"), std::string_view("go 1.x trace\0\0\0\0", 16),
                               std::string_view("go 1.22 trace\0\0X", 16)}) {
    StatusOr<int> got = ParseTraceHeader(bad);
    ASSERT_FALSE(got.ok()) << bad;
    EXPECT_EQ(got.status().message(), "not a Go execution trace (it does not begin with \"go 1.N trace\")");
  }
}

TEST(TraceReader, AnInputCutInsideTheHeaderSaysWhere) {
  TraceReader reader({}, nullptr);
  ASSERT_TRUE(reader.Feed(Header("22").substr(0, 7)).ok());
  TraceReadResult result;
  const Status s = reader.Finish(&result);
  EXPECT_EQ(s.message(), "the input ends after 7 bytes, inside the 16-byte trace header");
  EXPECT_EQ(result.go_minor, 0);
}

TEST(TraceReader, AnEmptyInputIsNoTrace) {
  TraceReadResult result;
  EXPECT_EQ(ReadTrace("", {}, nullptr, &result).message(), "empty input: not a Go execution trace");
}

}  // namespace
}  // namespace gcpilot

namespace gcpilot {
namespace {

struct Released {
  std::vector<std::pair<int64_t, int64_t>> ranges;
  TraceReadOptions Options() {
    TraceReadOptions o;
    o.release = [this](int64_t from, int64_t to) { ranges.emplace_back(from, to); };
    return o;
  }
};

class NoSink final : public TraceSink {
 public:
  void OnEvent(const TraceEvent&) override {}
};

std::string Fixture(const std::string& name) {
  std::string bytes;
  EXPECT_TRUE(ReadFileToString(std::string(GCPILOT_SOURCE_DIR) + "/testdata/exectrace/" + name, &bytes)) << name;
  return bytes;
}

// A mapped v2 trace hands each generation's bytes back once it is read: the
// ranges follow each other from the header on; Go 1.26 ends each
// generation with EndOfGeneration, so the last one goes back too.
TEST(TraceReader, AStableV2TraceReleasesEachGenerationOnceRead) {
  const std::string bytes = Fixture("go126-paygate-1s.trace");
  Released released;
  NoSink sink;
  TraceReadResult result;
  ASSERT_TRUE(ReadTrace(bytes, released.Options(), &sink, &result).ok());
  ASSERT_EQ(result.generations, 2);
  ASSERT_FALSE(released.ranges.empty());
  EXPECT_EQ(released.ranges.front().first, 16);
  for (size_t i = 1; i < released.ranges.size(); ++i) {
    EXPECT_EQ(released.ranges[i].first, released.ranges[i - 1].second) << i;
  }
  EXPECT_EQ(released.ranges.size(), 2u);
  EXPECT_EQ(released.ranges.back().second, static_cast<int64_t>(bytes.size()));
}

// A chunked (copied) input has nothing mapped to hand back.
TEST(TraceReader, AChunkedTraceReleasesNothing) {
  const std::string bytes = Fixture("go126-paygate-1s.trace");
  Released released;
  NoSink sink;
  TraceReader reader(released.Options(), &sink);
  for (size_t at = 0; at < bytes.size(); at += 4096) ASSERT_TRUE(reader.Feed(std::string_view(bytes).substr(at, 4096)).ok());
  TraceReadResult result;
  ASSERT_TRUE(reader.Finish(&result).ok());
  EXPECT_EQ(result.generations, 2);
  EXPECT_TRUE(released.ranges.empty());
}

// A mapped v1 trace is read in two passes over the whole file; its pages go
// back after each.
TEST(TraceReader, AStableV1TraceReleasesTheFileAfterEachPass) {
  const std::string bytes = Fixture("go119-paygate-300ms.trace");
  Released released;
  NoSink sink;
  TraceReadResult result;
  ASSERT_TRUE(ReadTrace(bytes, released.Options(), &sink, &result).ok());
  const std::pair<int64_t, int64_t> whole{16, static_cast<int64_t>(bytes.size())};
  EXPECT_EQ(released.ranges, (std::vector<std::pair<int64_t, int64_t>>{whole, whole}));
}

}  // namespace
}  // namespace gcpilot
