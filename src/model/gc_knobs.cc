#include "model/gc_knobs.h"

#include <charconv>
#include <cmath>
#include <utility>

#include <fmt/format.h>

namespace gcpilot {
namespace {

// A whole number of ASCII digits (no sign, no spaces) that fits an int64.
bool ParseDigits(std::string_view s, int64_t* out) {
  if (s.empty() || s[0] < '0' || s[0] > '9') return false;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && p == s.data() + s.size();
}

struct Unit {
  std::string_view suffix;
  int shift;
};
// Longest suffix first: "B" is the tail of every other one.
constexpr Unit kUnits[] = {{"TiB", 40}, {"GiB", 30}, {"MiB", 20}, {"KiB", 10}, {"B", 0}};

// Cuts a unit suffix off `num`; the unit's shift, 0 when there is none.
int CutUnit(std::string_view* num) {
  for (const Unit& u : kUnits) {
    if (num->ends_with(u.suffix)) {
      num->remove_suffix(u.suffix.size());
      return u.shift;
    }
  }
  return 0;
}

Status Bad(std::string_view knob, std::string_view text, std::string_view why) {
  return Status::InvalidArgument(fmt::format("{} \"{}\": {}", knob, text, why));
}

}  // namespace

StatusOr<int64_t> ParseGogc(std::string_view text) {
  if (text == "off") return kGogcOff;
  int64_t n = 0;
  if (!ParseDigits(text, &n) || n > std::numeric_limits<int32_t>::max()) {
    return Bad("GOGC", text, "want \"off\" or a whole number of percent in 0..2147483647 (2^31-1)");
  }
  return n;
}

std::string FormatGogc(int64_t percent) { return percent < 0 ? "off" : std::to_string(percent); }

StatusOr<int64_t> ParseGomemlimit(std::string_view text) {
  if (text == "off") return kMemLimitOff;
  std::string_view num = text;
  const int shift = CutUnit(&num);
  int64_t n = 0;
  if (!ParseDigits(num, &n)) {
    return Bad("GOMEMLIMIT", text, "want \"off\" or a whole number with B, KiB, MiB, GiB or TiB (e.g. 512MiB)");
  }
  if (n > (std::numeric_limits<int64_t>::max() >> shift)) {
    return Bad("GOMEMLIMIT", text,
               "over the largest limit Go accepts (2^63-1 bytes; Go would stop with \"malformed GOMEMLIMIT\")");
  }
  return n << shift;
}

std::string FormatGomemlimit(int64_t bytes) {
  if (bytes == kMemLimitOff) return "off";
  for (const Unit& u : kUnits) {
    if (u.shift > 0 && bytes != 0 && bytes % (int64_t{1} << u.shift) == 0) {
      return fmt::format("{}{}", bytes >> u.shift, u.suffix);
    }
  }
  return fmt::format("{}B", bytes);
}

StatusOr<int32_t> ParseGomaxprocs(std::string_view text) {
  int64_t n = 0;
  if (!ParseDigits(text, &n) || n < 1 || n > std::numeric_limits<int32_t>::max()) {
    return Bad("GOMAXPROCS", text, "want a whole number in 1..2147483647 (2^31-1)");
  }
  return static_cast<int32_t>(n);
}

std::string FormatGomaxprocs(int32_t procs) { return std::to_string(procs); }

StatusOr<int64_t> ParseByteSize(std::string_view text) {
  std::string_view num = text;
  const int shift = CutUnit(&num);
  double v = 0;
  const auto [p, ec] = std::from_chars(num.data(), num.data() + num.size(), v);
  const double bytes = v * std::ldexp(1.0, shift);
  if (num.empty() || num[0] < '0' || num[0] > '9' || ec != std::errc() || p != num.data() + num.size() ||
      !std::isfinite(v) || bytes > 9.2e18) {
    return Status::InvalidArgument(
        fmt::format("\"{}\" is not a byte size (a number with B, KiB, MiB, GiB or TiB)", text));
  }
  return static_cast<int64_t>(std::llround(bytes));
}

std::string FormatBytes(int64_t b) {
  if (b >= (int64_t{1} << 30)) return fmt::format("{:.2f} GiB", b / 1073741824.0);
  if (b >= (int64_t{1} << 20)) return fmt::format("{:.1f} MiB", b / 1048576.0);
  if (b >= (int64_t{1} << 10)) return fmt::format("{:.1f} KiB", b / 1024.0);
  return fmt::format("{} B", b);
}

StatusOr<GcKnobs> GcKnobs::FromEnv(const std::map<std::string, std::string>& env) {
  GcKnobs k;
  auto get = [&](const char* name) -> std::string_view {
    const auto it = env.find(name);
    return it == env.end() ? std::string_view() : std::string_view(it->second);
  };
  if (auto v = get("GOGC"); !v.empty()) {
    auto n = ParseGogc(v);
    if (!n.ok()) return n.status();
    k.gogc_percent = *n;
  }
  if (auto v = get("GOMEMLIMIT"); !v.empty()) {
    auto n = ParseGomemlimit(v);
    if (!n.ok()) return n.status();
    k.memlimit_bytes = *n;
  }
  if (auto v = get("GOMAXPROCS"); !v.empty()) {
    auto n = ParseGomaxprocs(v);
    if (!n.ok()) return n.status();
    k.gomaxprocs = *n;
  }
  return k;
}

std::map<std::string, std::string> GcKnobs::ToEnv() const {
  std::map<std::string, std::string> env;
  if (gogc_percent) env["GOGC"] = FormatGogc(*gogc_percent);
  if (memlimit_bytes) env["GOMEMLIMIT"] = FormatGomemlimit(*memlimit_bytes);
  if (gomaxprocs) env["GOMAXPROCS"] = FormatGomaxprocs(*gomaxprocs);
  return env;
}

bool IsGcKnob(std::string_view name) { return name == "GOGC" || name == "GOMEMLIMIT" || name == "GOMAXPROCS"; }

std::string KnobValueProblem(std::string_view name, std::string_view value) {
  if (value.empty()) return "";
  Status st;
  if (name == "GOGC") st = ParseGogc(value).status();
  if (name == "GOMEMLIMIT") st = ParseGomemlimit(value).status();
  if (name == "GOMAXPROCS") st = ParseGomaxprocs(value).status();
  if (st.ok()) return "";
  // The parsers' messages are Bad()'s `NAME "value": why`.
  return st.message().substr(fmt::format("{} \"{}\": ", name, value).size());
}

std::optional<int64_t> KnobMagnitude(std::string_view name, std::string_view value) {
  // Unset is the runtime's default, which is a magnitude where it is fixed.
  if (name == "GOGC" && value.empty()) return 100;
  if (name == "GOMEMLIMIT" && (value.empty() || value == "off")) return kMemLimitOff;
  if (value.empty() || value == "off") return std::nullopt;
  if (name == "GOMEMLIMIT") {
    auto b = ParseGomemlimit(value);
    return b.ok() ? std::optional<int64_t>(*b) : std::nullopt;
  }
  int64_t n = 0;
  return ParseDigits(value, &n) ? std::optional<int64_t>(n) : std::nullopt;
}

std::string FormatKnob(std::string_view name, int64_t magnitude) {
  if (name == "GOMEMLIMIT") return FormatGomemlimit(magnitude);
  return std::to_string(magnitude);
}

std::string CanonicalKnobValue(std::string_view name, std::string_view value) {
  if (name == "GOGC") {
    auto n = ParseGogc(value);
    return !n.ok() ? std::string(value) : *n == 100 ? "" : FormatGogc(*n);
  }
  if (name == "GOMEMLIMIT") {
    auto n = ParseGomemlimit(value);
    return !n.ok() ? std::string(value) : *n == kMemLimitOff ? "" : FormatGomemlimit(*n);
  }
  if (name == "GOMAXPROCS") {
    auto n = ParseGomaxprocs(value);
    return n.ok() ? FormatGomaxprocs(*n) : std::string(value);
  }
  return std::string(value);
}

}  // namespace gcpilot
