#include "tune/spec_flags.h"

#include <charconv>

#include <fmt/format.h>

#include "loadgen/schedule.h"
#include "tune/design.h"

namespace gcpilot {

std::string DefaultBaseline(const Factor& f) {
  if (f.name == "GOGC") return "100";
  if (f.name == "GOMEMLIMIT") return "off";
  return "";
}

StatusOr<Factor> ParseFactorFlag(const std::string& text) {
  const size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0) {
    return Status::InvalidArgument(
        fmt::format("--factor \"{}\": want NAME=level,level,... (e.g. GOGC=50,100,400)", text));
  }
  Factor f;
  f.name = text.substr(0, eq);
  const std::string rest = text.substr(eq + 1);
  for (size_t at = 0;;) {
    const size_t comma = rest.find(',', at);
    f.levels.push_back(rest.substr(at, comma - at));
    if (comma == std::string::npos) break;
    at = comma + 1;
  }
  f.baseline = DefaultBaseline(f);
  if (Status st = CheckFactor(f); !st.ok()) {
    return Status::InvalidArgument(fmt::format("--factor {}: {}", text, st.message()));
  }
  return f;
}

StatusOr<StudySpec> CommandLineSpec(const std::vector<std::string>& command, const std::string& ready,
                                    const std::string& url) {
  if (ready.empty()) {
    return Status::InvalidArgument("a command needs --ready URL (answers 200 when the service is up)");
  }
  StudySpec spec;
  spec.source = "command line";
  spec.command = command;
  spec.ready_url = ready;
  spec.load_url = url.empty() ? ready : url;
  RequestKindSpec k;
  k.path = LoadUrlPath(spec.load_url);
  spec.kinds = {k};
  for (const char* text : {"GOGC=50,100,400", "GOMEMLIMIT=off,1GiB"}) spec.factors.push_back(*ParseFactorFlag(text));
  SplitCpus(&spec);
  return spec;
}

namespace {

// --min-gc-periods, --max-duration, --heap-horizon: the measured window's
// flags, checked as their keys are.
Status ApplyWindowOverrides(const SpecOverrides& o, StudySpec* spec) {
  if (!o.min_gc_periods.empty()) {
    const std::string& t = o.min_gc_periods;
    int64_t n = -1;
    const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), n);
    if (ec != std::errc() || end != t.data() + t.size() || n < 0 || n > 1000000) {
      return Status::InvalidArgument(fmt::format("--min-gc-periods \"{}\": must be a whole number 0..1000000", t));
    }
    spec->min_gc_periods = n;
  }
  if (!o.max_duration.empty()) {
    auto d = ParseDurationNs(o.max_duration);
    if (!d.ok()) return Status::InvalidArgument("--max-duration: " + d.status().message());
    spec->max_duration_ns = *d;
  }
  if (!o.heap_horizon.empty()) {
    auto d = ParseDurationNs(o.heap_horizon);
    if (!d.ok()) return Status::InvalidArgument("--heap-horizon: " + d.status().message());
    spec->heap_horizon_ns = *d;
  }
  if (!o.trace_seconds.empty()) {
    const std::string& t = o.trace_seconds;
    int64_t n = -1;
    const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), n);
    if (ec != std::errc() || end != t.data() + t.size() || n < 0 || n > kMaxTraceSeconds) {
      return Status::InvalidArgument(
          fmt::format("--trace-seconds \"{}\": must be a whole number 0..{}", t, kMaxTraceSeconds));
    }
    spec->trace_seconds = static_cast<int>(n);
  }
  if (!o.trace_seconds.empty() || !o.duration.empty()) {
    if (Status st = CheckTraceSeconds(*spec, o.trace_seconds.empty() ? "trace.seconds" : "--trace-seconds",
                                      o.duration.empty() ? "load.duration" : "--duration");
        !st.ok()) {
      return st;
    }
  }
  if (o.max_duration.empty() && o.duration.empty()) return Status::Ok();
  return CheckWindowBound(*spec, o.max_duration.empty() ? "load.max_duration" : "--max-duration",
                          o.duration.empty() ? "load.duration" : "--duration");
}

}  // namespace

Status ApplyOverrides(const SpecOverrides& o, StudySpec* spec) {
  if (!o.requests.empty()) {
    auto kinds = LoadRequestKinds(o.requests);
    if (!kinds.ok()) return AsInputError(kinds.status());
    spec->kinds = *kinds;
  }
  if (!o.url.empty()) {
    if (Status st = CheckStudyUrl("--url", o.url); !st.ok()) return st;
    spec->load_url = o.url;
  }
  if (!o.rate.empty()) spec->rate = o.rate;
  if (!o.duration.empty()) {
    auto d = ParseDurationNs(o.duration);
    if (!d.ok()) return Status::InvalidArgument("--duration: " + d.status().message());
    spec->duration_ns = *d;
  }
  if (!o.warmup.empty()) {
    auto d = ParseOptionalDurationNs(o.warmup);
    if (!d.ok()) return Status::InvalidArgument("--warmup: " + d.status().message());
    spec->warmup_ns = *d;
  }
  if (!o.rate.empty()) {  // against the duration, so after it
    if (auto sched = RateSchedule::Parse(spec->rate, spec->duration_ns); !sched.ok()) return sched.status();
  }
  if (!o.rate.empty() || !o.duration.empty()) {
    const char* rate_key = o.rate.empty() ? "load.rate" : "--rate";
    if (Status st = FitDurationToRate("--duration", !o.duration.empty(), rate_key, spec); !st.ok()) return st;
  }
  if (Status st = ApplyWindowOverrides(o, spec); !st.ok()) return st;
  if (!o.design.empty() && !IsDesignKind(o.design)) {
    return Status::InvalidArgument(fmt::format("--design \"{}\" is unknown (known: {})", o.design, kDesignKinds));
  }
  if (!o.design.empty()) spec->design = o.design;
  if (o.repeats > 0) spec->repeats = o.repeats;
  if (o.refine) spec->refine = true;
  if (!o.factors.empty()) {
    spec->factors.clear();
    for (const std::string& text : o.factors) {
      auto f = ParseFactorFlag(text);
      if (!f.ok()) return f.status();
      spec->factors.push_back(std::move(*f));
    }
  }
  return ValidateStudySpec(*spec);
}

}  // namespace gcpilot
