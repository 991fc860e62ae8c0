// The Go runtime's GC knobs, typed, with one parser and one formatter each
// for the grammar the runtime itself reads (Go 1.19 sources:
// runtime/mgcpacer.go readGOGC, runtime/string.go parseByteCount,
// runtime/proc.go schedinit). tune, load, report and the stages to come
// read and print knobs only through these, so no two grammars disagree.
#ifndef GCPILOT_MODEL_GC_KNOBS_H_
#define GCPILOT_MODEL_GC_KNOBS_H_

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"

namespace gcpilot {

// GOGC: "off" or a whole number of percent >= 0. (The runtime also reads a
// negative number as off; we ask for "off" so a typo is not a silent off.)
inline constexpr int64_t kGogcOff = -1;
[[nodiscard]] StatusOr<int64_t> ParseGogc(std::string_view text);
std::string FormatGogc(int64_t percent);  // "off", "100"

// GOMEMLIMIT: "off" or a whole number of bytes with an optional suffix B,
// KiB, MiB, GiB or TiB, up to 2^63-1 bytes ("off" is that maximum: no
// limit). No fractions, no spaces, no KB/MB: the runtime refuses them and
// stops with "malformed GOMEMLIMIT".
inline constexpr int64_t kMemLimitOff = std::numeric_limits<int64_t>::max();
[[nodiscard]] StatusOr<int64_t> ParseGomemlimit(std::string_view text);
// The largest exact unit: "off", "1GiB", "1200MiB", "1000B".
std::string FormatGomemlimit(int64_t bytes);

// GOMAXPROCS: a whole number in 1..2^31-1 (the runtime reads an int32 and
// ignores values <= 0).
[[nodiscard]] StatusOr<int32_t> ParseGomaxprocs(std::string_view text);
std::string FormatGomaxprocs(int32_t procs);

// A byte size for our own options (budgets such as max_peak_rss), in the
// GOMEMLIMIT grammar plus a decimal fraction ("1.5GiB"); the result is
// rounded to whole bytes.
[[nodiscard]] StatusOr<int64_t> ParseByteSize(std::string_view text);
// A size for people: "1.50 GiB", "512.0 MiB", "12 B".
std::string FormatBytes(int64_t bytes);

// The three knobs of one setting; nullopt where the variable is not set
// (the runtime's default applies: GOGC 100, no limit, one P per CPU or,
// from Go 1.25, the container's CPU limit).
struct GcKnobs {
  std::optional<int64_t> gogc_percent;    // kGogcOff for "off"
  std::optional<int64_t> memlimit_bytes;  // kMemLimitOff for "off"
  std::optional<int32_t> gomaxprocs;

  // Reads GOGC, GOMEMLIMIT and GOMAXPROCS from an environment (other names
  // are ignored; "" counts as unset). Errors name the variable and value.
  [[nodiscard]] static StatusOr<GcKnobs> FromEnv(const std::map<std::string, std::string>& env);
  // The set knobs as environment entries, in Go's own grammar.
  std::map<std::string, std::string> ToEnv() const;
  bool operator==(const GcKnobs&) const = default;
};

// Whether `name` is one of the knobs above.
bool IsGcKnob(std::string_view name);
// Checks `value` for knob `name` (GOGC, GOMEMLIMIT, GOMAXPROCS): "" when
// it is valid (or unset, or `name` is no knob), else what is wrong, without
// the name and value ("want a whole number in 1..2147483647").
std::string KnobValueProblem(std::string_view name, std::string_view value);
// The knob's value as a number on one scale (percent, bytes, Ps) for
// comparing levels. "" (unset) is the runtime's default where that is
// fixed: GOGC 100, GOMEMLIMIT kMemLimitOff (as is "off"). nullopt for
// GOGC "off", an unset GOMAXPROCS or other variable, and values that do
// not parse.
std::optional<int64_t> KnobMagnitude(std::string_view name, std::string_view value);
// Formats a magnitude of knob `name` back in Go's grammar.
std::string FormatKnob(std::string_view name, int64_t magnitude);

// The setting `value` of variable `name` makes, as one spelling, so values
// the runtime cannot tell apart compare equal: a knob's value parsed and
// formatted again (GOGC "007" -> "7", GOMEMLIMIT "1024MiB" -> "1GiB"), and
// the runtime's fixed default as "" (unset): GOGC "100" and GOMEMLIMIT
// "off". GOMAXPROCS has no fixed default (it is the CPU count), so "2"
// stays "2". Other variables and values that do not parse are returned as
// given.
std::string CanonicalKnobValue(std::string_view name, std::string_view value);

}  // namespace gcpilot

#endif  // GCPILOT_MODEL_GC_KNOBS_H_
