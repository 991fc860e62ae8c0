// Helpers for the v2 tests: the shared text fixtures (txtar archives of
// golang.org/x/exp's trace tests) split into their expectation and trace,
// encoded to bytes.
#ifndef GCPILOT_EXECTRACE_V2_TEST_UTIL_H_
#define GCPILOT_EXECTRACE_V2_TEST_UTIL_H_

#include <algorithm>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "base/read_file.h"
#include "exectrace/trace_text.h"

namespace gcpilot::testing {

struct V2Fixture {
  std::string name;    // file name, e.g. "go122-gc-stress.test"
  std::string expect;  // "SUCCESS" or `FAILURE "regexp"`
  std::string text;    // the trace section: "Trace Go1.N" and the events
  bool success() const { return expect == "SUCCESS"; }
};

inline std::string V2FixtureDir() { return std::string(GCPILOT_SHARED_DIR) + "/testdata/gotrace-v2"; }
inline std::string SourceDir() { return GCPILOT_SOURCE_DIR; }

// The body of section `name` ("-- name --" up to the next section).
inline std::string TxtarSection(std::string_view archive, std::string_view name) {
  const std::string marker = "-- " + std::string(name) + " --\n";
  size_t at = archive.find(marker);
  if (at == std::string_view::npos) return "";
  at += marker.size();
  const size_t end = archive.find("\n-- ", at);
  return std::string(archive.substr(at, end == std::string_view::npos ? std::string_view::npos : end + 1 - at));
}

// Every *.test of `dir`, sorted by name; empty when the folder is absent.
inline std::vector<V2Fixture> LoadV2Fixtures(const std::string& dir = V2FixtureDir()) {
  std::vector<V2Fixture> out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().extension() != ".test") continue;
    std::string archive;
    if (!ReadFileToString(entry.path().string(), &archive)) continue;
    V2Fixture f{entry.path().filename().string(), TxtarSection(archive, "expect"), TxtarSection(archive, "trace")};
    while (!f.expect.empty() && f.expect.back() == '\n') f.expect.pop_back();
    out.push_back(std::move(f));
  }
  std::sort(out.begin(), out.end(), [](const V2Fixture& a, const V2Fixture& b) { return a.name < b.name; });
  return out;
}

// The fixture `name`'s trace as bytes, or "" when it is absent.
inline std::string EncodedV2Fixture(std::string_view name) {
  for (const V2Fixture& f : LoadV2Fixtures()) {
    if (f.name == name) {
      StatusOr<std::string> bytes = EncodeTraceText(f.text);
      return bytes.ok() ? *bytes : std::string();
    }
  }
  return "";
}

}  // namespace gcpilot::testing

#define SKIP_WITHOUT_V2_FIXTURES(fixtures)                                                             \
  do {                                                                                                 \
    if ((fixtures).empty()) {                                                                          \
      GTEST_SKIP() << "shared fixtures " << ::gcpilot::testing::V2FixtureDir()                         \
                   << " not found: ../shared is absent in this checkout";                              \
    }                                                                                                  \
  } while (0)

#endif  // GCPILOT_EXECTRACE_V2_TEST_UTIL_H_
