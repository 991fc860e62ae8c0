// A tuning study: what to run, how to load it, which knobs to vary, and
// what "better" means. Read from TOML (gcpilot tune --spec FILE) or built
// in for the bundled gateway. Everything is checked before any run starts.
//
//   [target]                     # the service, started once per run
//   command = ["./svc", "-port", "{port}"]   # argv, never a shell string
//   ready = "http://127.0.0.1:{port}/healthz"  # 200 means ready
//   ready_timeout = "60s"
//   env = { APP_MODE = "bench" }
//   cpus = [0]
//   [load]                       # see gcpilot load
//   url = "http://127.0.0.1:{port}/"
//   requests = "mix.toml"        # or path/method/body for one kind
//   rate = "3000"   duration = "20s"   warmup = "5s"   connections = 64
//   cpus = [1]
//   [[factor]]                   # GOGC, GOMEMLIMIT, GOMAXPROCS or any env switch
//   name = "GOGC"   levels = ["50", "100", "400"]   baseline = "100"
//   [design]
//   type = "auto"   repeats = 2   seed = 1   confirm = true   refine = false   verify = 0
//   [objective]
//   minimize = "p99"             # p50, p90, p99, p999, max, mean (corrected)
//   [constraints]
//   max_peak_rss = "1.5GiB"   max_error_rate = 0.01   min_gc_cycles = 1
//   [trace]                      # an execution trace inside each run's window
//   seconds = 2                  # /debug/pprof/trace?seconds=N; 0 = off (default)
// {port} is replaced by a free loopback port chosen for each run.
#ifndef GCPILOT_TUNE_SPEC_H_
#define GCPILOT_TUNE_SPEC_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "loadgen/request.h"
#include "model/gc_knobs.h"
#include "model/study_outline.h"

namespace gcpilot {

// The outline (source, rate, repeats, factors, objective, constraints:
// what the analysis and report read) plus how to run the target and the
// load.
struct StudySpec : StudyOutline {
  // target
  std::vector<std::string> command;
  std::string ready_url;
  int64_t ready_timeout_ns = 60'000'000'000;
  std::vector<std::pair<std::string, std::string>> env;
  std::vector<int> target_cpus, load_cpus;
  // load
  std::string load_url;
  std::vector<RequestKindSpec> kinds;
  int64_t duration_ns = 20'000'000'000, warmup_ns = 5'000'000'000;
  int connections = 64, max_connections = 512;
  int64_t timeout_ns = 5'000'000'000;
  // design
  std::string design = "auto";
  uint64_t seed = 1;
  bool confirm = true;  // also run the best predicted setting if untried
  bool refine = false;  // then try midpoints around the best setting
  // Then this many more runs each of the best setting and of the default,
  // alternating, so the verdict against the default rests on more than
  // the design's repeats.
  int verify = 0;
  // trace: capture an execution trace of this many seconds from the
  // target's /debug/pprof/trace (on the load URL's address) once the
  // warm-up is over; 0 = none. At most the duration, so it fits in the
  // measured window.
  int trace_seconds = 0;
};

// Checks a value for a Go runtime knob: GOGC ("off" or an integer >= 0),
// GOMEMLIMIT ("off" or bytes with B/KiB/MiB/GiB/TiB), GOMAXPROCS (>= 1);
// other names must be valid environment variable names, and names that
// are not Go knobs though often written about (GCPROCS) are refused.
// Errors read `factor NAME: WHAT "value": why`, WHAT "level" or "baseline".
Status CheckFactorValue(const std::string& name, const std::string& value, std::string_view what = "level");

// Checks one factor the same way for a spec file and the --factor flag:
// at least one level, each valid (CheckFactorValue; "" is the variable
// unset), no two levels that make the same setting (GOGC "100" and "",
// "007" and "7": CanonicalKnobValue), and a valid baseline.
// CheckFactorLevels is all of it but the baseline.
Status CheckFactor(const Factor& f);
Status CheckFactorLevels(const Factor& f);
// A factor whose variable [target] env also sets is refused: Go reads the
// first copy, env's, so the levels would never apply (GODEBUG is merged).
Status CheckFactorNotInEnv(const StudySpec& s, const Factor& f);

// Checks a target or load URL (loopback, {port} allowed); errors start
// with `key` ("load.url", "--url") and name the URL as written.
Status CheckStudyUrl(const std::string& key, const std::string& url);
// `message` with a leading `flag` ("--rate") replaced by `key`
// ("load.rate"): a library message said of a flag, said of a spec key.
std::string FlagToKey(const std::string& message, std::string_view flag, std::string_view key);

// Does the rate schedule set the measured time itself (steps or ramps,
// every segment with "@duration"), rather than last the duration?
bool RateSetsDuration(std::string_view rate);
// Makes spec->duration_ns the length of a rate that sets its own
// (RateSetsDuration), so every consumer uses the time actually measured.
// When the user also gave a duration (`duration_given`) that differs, it
// is refused: `DURATION_KEY 6s conflicts with the 2s the RATE_KEY
// segments add up to; give one of them` (keys "load.duration"/"--duration").
Status FitDurationToRate(std::string_view duration_key, bool duration_given, std::string_view rate_key,
                         StudySpec* spec);

// Reads and checks a study spec. Errors name file:line:column and the key,
// and are input errors (kCorruption), never usage errors (AsInputError).
StatusOr<StudySpec> LoadStudySpec(const std::string& path);

// The path (with any query) a load URL asks for; {port} allowed. "/" for a
// URL that is not one (validation refuses it).
std::string LoadUrlPath(const std::string& url);

// Pins the target and the load generator apart when the spec names
// neither's CPUs and 2 or more are usable: the load generator gets the last
// usable CPU, the target the others.
void SplitCpus(StudySpec* spec);

// The built-in study of the bundled gateway: GOGC x GOMEMLIMIT x GOMAXPROCS
// x PAYGATE_POOL on an L9 with 2 repeats and 3 verification runs, each run
// over 3 whole GC periods; ~10 minutes on 2 cores.
// `paygate` is the gateway binary, `source_dir` the checkout (load mix).
// `live_mb` is the gateway's -live-mb; the request mix's order ids follow
// it (the gateway prefills live_mb x 1024 orders, ord_0 ..).
StudySpec BuiltinPaygateSpec(const std::string& paygate, const std::string& source_dir, int live_mb = 32);

// Does a run measure over whole GC periods (min_gc_periods > 0), rather
// than a fixed window? A rate that sets its own length (RateSetsDuration)
// keeps the fixed window: its steps are what it measures.
bool UsesPeriodWindow(const StudySpec& spec);
// Checks max_duration_ns >= duration_ns (the window is at least the
// duration) where the bound is used: `MAX_KEY 4s is shorter than
// DURATION_KEY 10s: ...` with the keys or flags as given.
Status CheckWindowBound(const StudySpec& spec, std::string_view max_key = "load.max_duration",
                        std::string_view duration_key = "load.duration");

// The longest trace a run may capture (trace.seconds, --trace-seconds).
inline constexpr int kMaxTraceSeconds = 600;
// Checks trace_seconds is 0..kMaxTraceSeconds and no longer than the
// duration (the measured window's floor), so the trace ends inside the
// window: `TRACE_KEY 5 is longer than DURATION_KEY 2s: ...` with the keys
// or flags as given.
Status CheckTraceSeconds(const StudySpec& spec, std::string_view trace_key = "trace.seconds",
                         std::string_view duration_key = "load.duration");

// Checks a spec built by code or flags (LoadStudySpec calls it too).
Status ValidateStudySpec(const StudySpec& spec);

// The Go GC knobs (GOGC, GOMEMLIMIT, GOMAXPROCS, GODEBUG) set in gcpilot's
// own environment that every run would inherit: those neither a factor nor
// in spec.env, as (name, value) in that order.
std::vector<std::pair<std::string, std::string>> InheritedGoKnobs(const StudySpec& spec);
// Adds InheritedGoKnobs to spec.env, so the stored spec says what every run
// had and --resume from another shell runs the same.
void KeepInheritedGoKnobs(StudySpec* spec);

// The spec as JSON, stored with a study so --resume runs exactly it.
nlohmann::json StudySpecToJson(const StudySpec& spec);
StatusOr<StudySpec> StudySpecFromJson(const nlohmann::json& j);

}  // namespace gcpilot

#endif  // GCPILOT_TUNE_SPEC_H_
