// A study spec from the command line: `gcpilot tune` flags become the same
// StudySpec a TOML file would give, through the same rules, so the flags
// and a spec file cannot disagree (one default baseline per knob, one way
// to read a factor, one way to cut a URL's path).
#ifndef GCPILOT_TUNE_SPEC_FLAGS_H_
#define GCPILOT_TUNE_SPEC_FLAGS_H_

#include <string>
#include <vector>

#include "base/status.h"
#include "tune/spec.h"

namespace gcpilot {

// Overrides a user gives on top of a spec; "" / 0 / false / empty = keep.
struct SpecOverrides {
  std::string rate, duration, warmup, design, url, requests;
  // --min-gc-periods N, --max-duration D, --heap-horizon D, as written.
  std::string min_gc_periods, max_duration, heap_horizon;
  // --trace-seconds N, as written ("0" turns a spec's trace off).
  std::string trace_seconds;
  int repeats = 0;
  bool refine = false;
  std::vector<std::string> factors;  // "NAME=level,level,..."; replace the spec's
};

// "GOGC=50,100,400" as a factor, its baseline DefaultBaseline's.
[[nodiscard]] StatusOr<Factor> ParseFactorFlag(const std::string& text);

// The baseline a factor gets when none is given: the runtime's own default
// spelled as the runtime reads it (GOGC "100", GOMEMLIMIT "off"), else ""
// (unset), so a spec file and the flags make the same default setting.
std::string DefaultBaseline(const Factor& f);

// The spec for a service given by its argv (after --): load `url` (or the
// readiness URL), factors GOGC 50/100/400 x GOMEMLIMIT off/1GiB, the
// service and the load pinned apart.
[[nodiscard]] StatusOr<StudySpec> CommandLineSpec(const std::vector<std::string>& command, const std::string& ready,
                                                  const std::string& url);

// Applies `o` to `spec` (a bad value is kInvalidArgument naming its flag),
// then validates the result.
[[nodiscard]] Status ApplyOverrides(const SpecOverrides& o, StudySpec* spec);

}  // namespace gcpilot

#endif  // GCPILOT_TUNE_SPEC_FLAGS_H_
