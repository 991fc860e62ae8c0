// Fuzzes what a study database hands back as text: the knob grammar of
// GOGC / GOMEMLIMIT / GOMAXPROCS and byte sizes, and a stored study spec
// (its outline, then the whole tune spec). Invariants: nothing throws out
// of the libraries; a knob value that parses formats back to text that
// parses to the same value; KnobValueProblem is "" exactly when it parses.
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "analysis/outline_json.h"
#include "model/gc_knobs.h"
#include "tune/spec.h"

namespace {

using namespace gcpilot;

void CheckKnobs(std::string_view in) {
  if (auto g = ParseGogc(in); g.ok()) {
    if (*ParseGogc(FormatGogc(*g)) != *g || !KnobValueProblem("GOGC", in).empty()) std::abort();
  } else if (!in.empty() && KnobValueProblem("GOGC", in).empty()) {
    std::abort();
  }
  if (auto m = ParseGomemlimit(in); m.ok()) {
    auto back = ParseGomemlimit(FormatGomemlimit(*m));
    if (!back.ok() || *back != *m || !KnobValueProblem("GOMEMLIMIT", in).empty()) std::abort();
  } else if (!in.empty() && KnobValueProblem("GOMEMLIMIT", in).empty()) {
    std::abort();
  }
  if (auto p = ParseGomaxprocs(in); p.ok()) {
    if (*ParseGomaxprocs(FormatGomaxprocs(*p)) != *p) std::abort();
  }
  if (auto b = ParseByteSize(in); b.ok() && *b < 0) std::abort();
  (void)GcKnobs::FromEnv({{"GOGC", std::string(in)}, {"GOMEMLIMIT", std::string(in)}});
  (void)KnobMagnitude("GOMEMLIMIT", in);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  CheckKnobs(in.substr(0, 64));
  const nlohmann::json j = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return 0;
  (void)OutlineFromJson(j);
  (void)StudySpecFromJson(j);
  return 0;
}
