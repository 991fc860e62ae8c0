#include "exectrace/trace_reader.h"

#include <gtest/gtest.h>

#include <string>

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
