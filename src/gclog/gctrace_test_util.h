// Helpers shared by the gclog tests: parse whole inputs, read fixtures.
#ifndef GCPILOT_GCLOG_GCTRACE_TEST_UTIL_H_
#define GCPILOT_GCLOG_GCTRACE_TEST_UTIL_H_

#include <string>
#include <string_view>
#include <vector>

#include "base/read_file.h"
#include "gclog/gctrace_parser.h"

namespace gcpilot::testing {

struct Parsed {
  std::vector<GcCycle> cycles;
  GctraceParseStats stats;
  Status status;
};

// Feeds `input` in chunks of `chunk` bytes (0: all at once).
inline Parsed ParseAll(std::string_view input, size_t chunk = 0, bool strict = false) {
  Parsed out;
  GctraceReader reader({.source_name = "test.log", .strict = strict},
                       [&](const GcCycle& c) { out.cycles.push_back(c); });
  if (chunk == 0) chunk = input.size() ? input.size() : 1;
  for (size_t i = 0; i < input.size() && out.status.ok(); i += chunk) {
    out.status = reader.Feed(input.substr(i, chunk));
  }
  if (out.status.ok()) out.status = reader.Finish();
  out.stats = reader.stats();
  return out;
}

inline std::string SharedDir() { return GCPILOT_SHARED_DIR; }
inline std::string SourceDir() { return GCPILOT_SOURCE_DIR; }

// Reads a file whole; returns false if it does not exist.
inline bool ReadFile(const std::string& path, std::string* out) { return ReadFileToString(path, out); }

}  // namespace gcpilot::testing

// Reads a fixture from ../shared/testdata/gctrace-public or skips the test
// with a clear message when the shared folder is absent.
#define READ_PUBLIC_FIXTURE_OR_SKIP(name, out)                                                          \
  do {                                                                                                  \
    const std::string path_ = ::gcpilot::testing::SharedDir() + "/testdata/gctrace-public/" + name;     \
    if (!::gcpilot::testing::ReadFile(path_, out)) {                                                    \
      GTEST_SKIP() << "shared fixture " << path_ << " not found: ../shared is absent in this checkout"; \
    }                                                                                                   \
  } while (0)

#endif  // GCPILOT_GCLOG_GCTRACE_TEST_UTIL_H_
