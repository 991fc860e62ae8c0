// The gateway builds the e2e tests run against: build/paygate (Go 1.19,
// always) and build/paygate-go1.NN (the newest Go the build found, when
// newer than 1.19). workloads/CMakeLists.txt lists them in the compile
// definition GCPILOT_PAYGATE_BUILDS as "go1.19=/path;go1.26=/path".
//
// Tests are parameterized over the two roles, not over what this machine
// has, so the same test names exist everywhere and a missing newer Go shows
// as a skip with the way to enable it, never as silence.
#ifndef GCPILOT_TESTS_PAYGATE_BUILDS_H_
#define GCPILOT_TESTS_PAYGATE_BUILDS_H_

#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

namespace gcpilot::testing {

struct PaygateBuild {
  std::string go;    // "go1.19", "go1.26"
  std::string path;  // the gateway binary
};

// Every build, in the order the build system listed them (oldest first).
inline std::vector<PaygateBuild> PaygateBuilds() {
  std::vector<PaygateBuild> out;
  std::string_view all = GCPILOT_PAYGATE_BUILDS;
  while (!all.empty()) {
    const size_t semi = all.find(';');
    const std::string_view item = all.substr(0, semi);
    const size_t eq = item.find('=');
    if (eq != std::string_view::npos) {
      out.push_back({std::string(item.substr(0, eq)), std::string(item.substr(eq + 1))});
    }
    all = semi == std::string_view::npos ? std::string_view() : all.substr(semi + 1);
  }
  return out;
}

enum class GoRole { kGo119, kNewest };

inline std::string GoRoleName(const ::testing::TestParamInfo<GoRole>& info) {
  return info.param == GoRole::kGo119 ? "Go119" : "NewestGo";
}
// So ctest's names read `GetParam() = Go119`, not raw bytes.
inline void PrintTo(GoRole role, std::ostream* os) { *os << (role == GoRole::kGo119 ? "Go119" : "NewestGo"); }

// The build for `role`, or nullopt when this machine built no newer one.
inline std::optional<PaygateBuild> BuildFor(GoRole role) {
  const std::vector<PaygateBuild> builds = PaygateBuilds();
  if (builds.empty()) return std::nullopt;
  if (role == GoRole::kGo119) return builds.front();
  if (builds.size() < 2) return std::nullopt;
  return builds.back();
}

inline constexpr const char* kEnableNewerGo =
    "no gateway build with a Go newer than 1.19: install Go >= 1.20 on PATH or set "
    "GCPILOT_GO_NEW=/path/to/go and re-run scripts/setup.sh";

}  // namespace gcpilot::testing

// Sets `var` (a PaygateBuild) to the build of the test's GoRole parameter,
// or skips the test saying how to get the newer build.
#define PAYGATE_BUILD_OR_SKIP(var)                                     \
  const auto var##_opt_ = ::gcpilot::testing::BuildFor(GetParam());    \
  if (!var##_opt_) GTEST_SKIP() << ::gcpilot::testing::kEnableNewerGo; \
  const ::gcpilot::testing::PaygateBuild& var = *var##_opt_

#endif  // GCPILOT_TESTS_PAYGATE_BUILDS_H_
