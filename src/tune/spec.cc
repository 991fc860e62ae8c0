#include "tune/spec.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <limits>
#include <map>
#include <set>
#include <vector>

#include <fmt/format.h>
#include <toml++/toml.h>

#include <nlohmann/json.hpp>
#include "loadgen/toml_file.h"

#include "analysis/outline_json.h"
#include "base/cpus.h"
#include "base/read_file.h"
#include "loadgen/request.h"
#include "loadgen/schedule.h"
#include "net/url.h"
#include "tune/design.h"
#include "tune/spec_flags.h"

namespace gcpilot {
namespace {

bool IsEnvName(std::string_view s) {
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) return false;
  for (char c : s) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  }
  return true;
}

// Edit distance, for "did you mean" on misspelled knobs.
size_t Distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

// A regular file we may execute (access() alone passes directories).
bool IsExecutableFile(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && access(path.c_str(), X_OK) == 0;
}

// Is `prog` (no '/') an executable file in one of $PATH's directories?
bool OnPath(const std::string& prog) {
  const char* path = std::getenv("PATH");
  std::string_view rest = path ? path : "/usr/local/bin:/usr/bin:/bin";
  while (true) {
    const size_t colon = rest.find(':');
    std::string dir(rest.substr(0, colon));
    if (dir.empty()) dir = ".";
    if (IsExecutableFile(dir + "/" + prog)) return true;
    if (colon == std::string_view::npos) return false;
    rest.remove_prefix(colon + 1);
  }
}

}  // namespace

Status CheckFactorValue(const std::string& name, const std::string& value, std::string_view what) {
  auto bad = [&](std::string why) {
    return Status::InvalidArgument(fmt::format("factor {}: {} \"{}\": {}", name, what, value, why));
  };
  // The Go runtime's GC knobs; another GO-prefixed name is a misspelling
  // (GOMEMLIMT) or folklore (GOGCPERCENT) and would silently do nothing.
  static constexpr std::string_view kKnobs[] = {"GOGC", "GOMEMLIMIT", "GOMAXPROCS", "GODEBUG"};
  const bool knob = std::find(std::begin(kKnobs), std::end(kKnobs), name) != std::end(kKnobs);
  // Folklore names that no Go runtime reads; other switches (GOTRACEBACK,
  // an app's GOPHER_POOL) are fine.
  static constexpr std::string_view kFolklore[] = {"GCPROCS",      "GOGCPROCS",     "GCPERCENTILE", "GOGCPERCENT",
                                                   "GOGC_PERCENT", "GOMEMORYLIMIT", "GOMAXMEM"};
  std::string_view nearest;
  size_t nearest_distance = std::string_view::npos;
  for (std::string_view k : kKnobs) {
    if (const size_t d = Distance(name, k); d < nearest_distance) {
      nearest = k;
      nearest_distance = d;
    }
  }
  const bool misspelled = !knob && nearest_distance <= 2;
  const bool folklore = std::find(std::begin(kFolklore), std::end(kFolklore), name) != std::end(kFolklore);
  if (misspelled || folklore) {
    const std::string hint = misspelled ? fmt::format("did you mean {}? ", nearest) : std::string();
    return Status::InvalidArgument(fmt::format(
        "factor {}: not a Go runtime knob ({}the runtime reads GOGC, GOMEMLIMIT, GOMAXPROCS, GODEBUG)", name, hint));
  }
  if (!IsEnvName(name)) {
    return Status::InvalidArgument(fmt::format("factor \"{}\": not an environment variable name", name));
  }
  // tune reads the target's gctrace: a level may not turn it off or change it.
  if (name == "GODEBUG" && value.find("gctrace=") != std::string::npos) {
    return bad("tune sets gctrace=1 itself to read the GC; vary other GODEBUG settings");
  }
  // The Go knobs in the runtime's own grammar; "" (unset) is the default.
  if (const std::string why = KnobValueProblem(name, value); !why.empty()) return bad(why);
  return Status::Ok();
}

Status CheckStudyUrl(const std::string& key, const std::string& url) {
  std::string u = url;
  const size_t at = u.find("{port}");
  if (at != std::string::npos) u.replace(at, 6, "1");
  auto p = ParseLoopbackUrl(u);
  if (!p.ok()) {
    std::string why = p.status().message();  // name the URL as written
    if (const size_t at = why.find(u); at != std::string::npos) why.replace(at, u.size(), url);
    return Status::InvalidArgument(fmt::format("{}: {}", key, why));
  }
  return Status::Ok();
}

std::string FlagToKey(const std::string& message, std::string_view flag, std::string_view key) {
  if (!message.starts_with(flag)) return message;
  return std::string(key) + message.substr(flag.size());
}

bool RateSetsDuration(std::string_view rate) {
  return rate.find('@') != std::string_view::npos && rate.find("burst:") == std::string_view::npos;
}

Status FitDurationToRate(std::string_view duration_key, bool duration_given, std::string_view rate_key,
                         StudySpec* spec) {
  if (!RateSetsDuration(spec->rate)) return Status::Ok();
  auto sched = RateSchedule::Parse(spec->rate, spec->duration_ns);
  if (!sched.ok()) return Status::Ok();  // refused at the rate itself
  if (duration_given && sched->duration_ns() != spec->duration_ns) {
    return Status::InvalidArgument(
        fmt::format("{} {} conflicts with the {} the {} segments add up to; give one of them", duration_key,
                    FormatDurationNs(spec->duration_ns), FormatDurationNs(sched->duration_ns()), rate_key));
  }
  spec->duration_ns = sched->duration_ns();
  return Status::Ok();
}

bool UsesPeriodWindow(const StudySpec& spec) { return spec.min_gc_periods > 0 && !RateSetsDuration(spec.rate); }

Status CheckWindowBound(const StudySpec& spec, std::string_view max_key, std::string_view duration_key) {
  if (RateSetsDuration(spec.rate)) return Status::Ok();  // the fixed window: the bound is unused
  if (spec.max_duration_ns < spec.duration_ns) {
    return Status::InvalidArgument(fmt::format("{} {} is shorter than {} {}: the window is at least the duration",
                                               max_key, FormatDurationNs(spec.max_duration_ns), duration_key,
                                               FormatDurationNs(spec.duration_ns)));
  }
  return Status::Ok();
}

Status CheckFactorLevels(const Factor& f) {
  if (f.levels.empty()) return Status::InvalidArgument(fmt::format("factor {} has no levels", f.name));
  std::map<std::string, std::string> seen;  // the setting each level makes -> the level
  for (const std::string& l : f.levels) {
    if (Status st = CheckFactorValue(f.name, l); !st.ok()) return st;
    const auto [it, added] = seen.emplace(CanonicalKnobValue(f.name, l), l);
    if (added) continue;
    if (it->second == l) {
      return Status::InvalidArgument(fmt::format("factor {}: level \"{}\" is given twice", f.name, l));
    }
    const std::string why = it->first.empty() ? " (Go's default is the same as leaving the variable unset)" : "";
    return Status::InvalidArgument(
        fmt::format("factor {}: levels \"{}\" and \"{}\" are the same setting to Go{}", f.name, it->second, l, why));
  }
  return Status::Ok();
}

Status CheckFactor(const Factor& f) {
  if (Status st = CheckFactorLevels(f); !st.ok()) return st;
  return CheckFactorValue(f.name, f.baseline, "baseline");
}

// Go reads the first copy of a variable, and [target] env comes first, so a
// factor also set there would never get its levels (a GODEBUG factor's level
// replaces env's GODEBUG instead: the trial merges the two).
Status CheckFactorNotInEnv(const StudySpec& s, const Factor& f) {
  if (f.name == "GODEBUG") return Status::Ok();
  for (const auto& [name, value] : s.env) {
    if (name == f.name) {
      return Status::InvalidArgument(fmt::format(
          "factor {} is also set in [target] env: the service would read that value, not the levels (remove it "
          "from env)",
          f.name));
    }
  }
  return Status::Ok();
}

namespace {

// A study whose every factor has the one level its baseline is runs the
// default setting against itself.
Status CheckSomethingToCompare(const StudySpec& s) {
  std::string settings;
  for (const Factor& f : s.factors) {
    if (f.levels.size() != 1 || CanonicalKnobValue(f.name, f.levels[0]) != CanonicalKnobValue(f.name, f.baseline)) {
      return Status::Ok();
    }
    settings +=
        fmt::format("{}{}={}", settings.empty() ? "" : " ", f.name, f.levels[0].empty() ? "(unset)" : f.levels[0]);
  }
  return Status::InvalidArgument(
      fmt::format("nothing to compare: every factor has one level and it is the default setting ({}), so every run "
                  "would be the same setting; give a factor a level other than its baseline",
                  settings));
}

bool HasPort(std::string_view s) { return s.find("{port}") != std::string_view::npos; }

// {port} is a free port chosen per run; a service told it by neither its
// argv nor its env cannot listen there, so every run would wait for
// readiness and fail.
Status CheckPortReachesTarget(const StudySpec& s) {
  if (!HasPort(s.ready_url) && !HasPort(s.load_url)) return Status::Ok();
  for (const std::string& a : s.command) {
    if (HasPort(a)) return Status::Ok();
  }
  for (const auto& [name, value] : s.env) {
    if (HasPort(value)) return Status::Ok();
  }
  return Status::InvalidArgument(
      fmt::format("{} uses {{port}}, a free port chosen for each run, but neither the command nor its env passes "
                  "{{port}} to the service, so it cannot listen there: put {{port}} in its arguments (e.g. -addr "
                  "127.0.0.1:{{port}}) or in [target] env",
                  HasPort(s.ready_url) ? "the readiness URL" : "the load URL"));
}

}  // namespace

Status CheckTraceSeconds(const StudySpec& spec, std::string_view trace_key, std::string_view duration_key) {
  if (spec.trace_seconds < 0 || spec.trace_seconds > kMaxTraceSeconds) {
    return Status::InvalidArgument(
        fmt::format("{} {}: must be a whole number 0..{}", trace_key, spec.trace_seconds, kMaxTraceSeconds));
  }
  if (int64_t{spec.trace_seconds} * 1'000'000'000 <= spec.duration_ns) return Status::Ok();
  return Status::InvalidArgument(
      fmt::format("{} {} is longer than {} {}: the trace must end inside the measured window", trace_key,
                  spec.trace_seconds, duration_key, FormatDurationNs(spec.duration_ns)));
}

Status ValidateStudySpec(const StudySpec& s) {
  auto bad = [](std::string m) { return Status::InvalidArgument(std::move(m)); };
  if (s.command.empty() || s.command[0].empty()) return bad("target.command is empty");
  const std::string& prog = s.command[0];
  if (prog.find('/') != std::string::npos) {
    struct stat st {};
    if (stat(prog.c_str(), &st) != 0) return bad(fmt::format("target.command: {} does not exist", prog));
    if (!IsExecutableFile(prog)) {
      return bad(fmt::format("target.command: {} is not an executable file", prog));
    }
  } else if (!OnPath(prog)) {
    return bad(fmt::format("target.command: {} is not an executable in $PATH", prog));
  }
  if (Status st = CheckStudyUrl("target.ready", s.ready_url); !st.ok()) return st;
  if (s.ready_timeout_ns <= 0) return bad("target.ready_timeout must be > 0");
  if (Status st = CheckStudyUrl("load.url", s.load_url); !st.ok()) return st;
  if (s.kinds.empty()) return bad("load: no requests");
  auto sched = RateSchedule::Parse(s.rate, s.duration_ns);
  if (!sched.ok()) return bad(FlagToKey(sched.status().message(), "--rate", "load.rate"));
  const std::vector<int> usable = UsableCpuList();
  for (const auto& [key, cpus] :
       {std::pair<const char*, const std::vector<int>&>{"target.cpus", s.target_cpus}, {"load.cpus", s.load_cpus}}) {
    for (int c : cpus) {
      if (std::find(usable.begin(), usable.end(), c) == usable.end()) {
        std::string list;
        for (int u : usable) list += (list.empty() ? "" : ",") + std::to_string(u);
        return bad(fmt::format("{}: CPU {} is not available to this process (usable: {})", key, c, list));
      }
    }
  }
  for (int c : s.target_cpus) {
    if (std::find(s.load_cpus.begin(), s.load_cpus.end(), c) != s.load_cpus.end()) {
      return bad(
          fmt::format("target.cpus and load.cpus share CPU {}: the load generator would compete with the "
                      "service it measures",
                      c));
    }
  }
  if (s.factors.empty()) return bad("no [[factor]] to vary");
  std::set<std::string> names;
  for (const Factor& f : s.factors) {
    if (!names.insert(f.name).second) return bad(fmt::format("factor {} is given twice", f.name));
    if (Status st = CheckFactor(f); !st.ok()) return st;
    if (Status st = CheckFactorNotInEnv(s, f); !st.ok()) return st;
  }
  if (Status st = CheckSomethingToCompare(s); !st.ok()) return st;
  if (Status st = CheckPortReachesTarget(s); !st.ok()) return st;
  if (s.repeats < 1 || s.repeats > 100) return bad("design.repeats must be 1..100");
  if (s.max_error_rate < 0 || s.max_error_rate > 1) return bad("constraints.max_error_rate must be 0..1");
  if (Status st = CheckWindowBound(s); !st.ok()) return bad(st.message());
  if (s.min_gc_periods < 0) return bad("load.min_gc_periods must be >= 0");
  if (Status st = CheckTraceSeconds(s); !st.ok()) return bad(st.message());
  if (s.heap_horizon_ns <= 0) return bad("constraints.heap_horizon must be > 0");
  if (s.connections < 1 || s.max_connections < s.connections) {
    return bad("load.connections must be >= 1 and <= load.max_connections");
  }
  return Status::Ok();
}

namespace {

// Reads a TOML table with a fixed set of keys; unknown keys are errors.
class TableReader {
 public:
  TableReader(const std::string& path, const toml::table* t, std::string name)
      : path_(path), t_(t), name_(std::move(name)) {}
  Status CheckKeys(std::initializer_list<std::string_view> known) const {
    if (!t_) return Status::Ok();
    for (const auto& [k, v] : *t_) {
      bool ok = false;
      for (std::string_view n : known) ok |= (k.str() == n);
      if (!ok) {
        std::string list;
        for (std::string_view n : known) list += (list.empty() ? "" : ", ") + std::string(n);
        return Status::InvalidArgument(
            fmt::format("{}: unknown key \"{}\" in {} (known: {})", At(k), k.str(), name_, list));
      }
    }
    return Status::Ok();
  }
  template <typename N>
  std::string At(const N& n) const {
    const auto& b = n.source().begin;
    if (b.line == 0) return path_;  // a node with no place in the file: no made-up ":0:0"
    return fmt::format("{}:{}:{}", path_, b.line, b.column);
  }
  const toml::node* Get(std::string_view key) const { return t_ ? t_->get(key) : nullptr; }
  Status String(std::string_view key, std::string* out) const {
    const toml::node* n = Get(key);
    if (!n) return Status::Ok();
    if (!n->is_string()) return Err(*n, key, "must be a string");
    *out = *n->value<std::string>();
    return Status::Ok();
  }
  // A positive duration; where `zero_ok`, also "0", "0s", "0ms".
  Status Duration(std::string_view key, int64_t* out, bool zero_ok = false) const {
    std::string s;
    if (Status st = String(key, &s); !st.ok() || s.empty()) return st;
    auto d = zero_ok ? ParseOptionalDurationNs(s) : ParseDurationNs(s);
    if (!d.ok()) return Err(*Get(key), key, d.status().message());
    *out = *d;
    return Status::Ok();
  }
  Status Int(std::string_view key, int64_t lo, int64_t hi, int64_t* out) const {
    const toml::node* n = Get(key);
    if (!n) return Status::Ok();
    auto v = n->value<int64_t>();
    if (!n->is_integer() || !v || *v < lo || *v > hi) {
      return Err(*n, key, fmt::format("must be a whole number {}..{}", lo, hi));
    }
    *out = *v;
    return Status::Ok();
  }
  Status Bool(std::string_view key, bool* out) const {
    const toml::node* n = Get(key);
    if (!n) return Status::Ok();
    if (!n->is_boolean()) return Err(*n, key, "must be true or false");
    *out = *n->value<bool>();
    return Status::Ok();
  }
  Status Strings(std::string_view key, std::vector<std::string>* out) const {
    const toml::node* n = Get(key);
    if (!n) return Status::Ok();
    const toml::array* a = n->as_array();
    if (!a) return Err(*n, key, "must be an array of strings");
    out->clear();
    for (const toml::node& e : *a) {
      if (!e.is_string()) return Err(e, key, "must be an array of strings");
      out->push_back(*e.value<std::string>());
    }
    return Status::Ok();
  }
  Status Cpus(std::string_view key, std::vector<int>* out) const {
    const toml::node* n = Get(key);
    if (!n) return Status::Ok();
    const toml::array* a = n->as_array();
    if (!a) return Err(*n, key, "must be an array of CPU numbers");
    out->clear();
    for (const toml::node& e : *a) {
      auto v = e.value<int64_t>();
      if (!e.is_integer() || !v || *v < 0 || *v > 1023) return Err(e, key, "must be an array of CPU numbers");
      out->push_back(static_cast<int>(*v));
    }
    return Status::Ok();
  }
  Status Err(const toml::node& n, std::string_view key, std::string_view why) const {
    return Status::InvalidArgument(fmt::format("{}: {}.{} {}", At(n), name_, key, why));
  }

 private:
  const std::string& path_;
  const toml::table* t_;
  std::string name_;
};

#define RETURN_IF_ERROR(expr)                       \
  do {                                              \
    if (Status st_ = (expr); !st_.ok()) return st_; \
  } while (0)

// Resolves a path written in the spec against the spec's directory.
using Rel = std::function<std::string(const std::string&)>;

// [target]: the service, its readiness URL, env and CPUs.
Status ReadTarget(const std::string& path, const toml::table& doc, const Rel& rel, StudySpec* spec) {
  StudySpec& s = *spec;
  TableReader target(path, doc["target"].as_table(), "target");
  if (!doc["target"].as_table()) return Status::InvalidArgument(fmt::format("{}: no [target] table", path));
  RETURN_IF_ERROR(target.CheckKeys({"command", "ready", "ready_timeout", "env", "cpus"}));
  RETURN_IF_ERROR(target.Strings("command", &s.command));
  if (!s.command.empty() && s.command[0].find('/') != std::string::npos && s.command[0][0] != '/') {
    s.command[0] = rel(s.command[0]);
  }
  RETURN_IF_ERROR(target.String("ready", &s.ready_url));
  if (const toml::node* ready = target.Get("ready")) {
    if (Status st = CheckStudyUrl("target.ready", s.ready_url); !st.ok()) {
      return Status::InvalidArgument(fmt::format("{}: {}", target.At(*ready), st.message()));
    }
  }
  RETURN_IF_ERROR(target.Duration("ready_timeout", &s.ready_timeout_ns));
  RETURN_IF_ERROR(target.Cpus("cpus", &s.target_cpus));
  if (const toml::node* env = target.Get("env")) {
    const toml::table* t = env->as_table();
    if (!t) return target.Err(*env, "env", "must be a table of strings");
    for (const auto& [k, v] : *t) {
      if (!v.is_string()) return target.Err(v, "env", "values must be strings");
      s.env.emplace_back(std::string(k.str()), *v.value<std::string>());
    }
  }

  return Status::Ok();
}

// [load]'s one request kind, compiled as the load engine will compile it,
// so a bad method or path is refused at its key before any run: the method
// alone first, then the whole kind at `path` (or `url`, whose path it is).
Status CheckOneKind(const TableReader& load, const RequestKindSpec& one) {
  RequestKindSpec method_only;
  method_only.method = one.method;
  const std::pair<const RequestKindSpec*, const char*> checks[] = {{&method_only, "method"},
                                                                   {&one, load.Get("path") ? "path" : "url"}};
  for (const auto& [kind, key] : checks) {
    auto compiled = RequestTemplate::Compile(*kind, "127.0.0.1");
    if (compiled.ok()) continue;
    const toml::node* n = load.Get(key);
    if (!n) return Status::InvalidArgument(fmt::format("[load]: {}", compiled.status().message()));
    std::string why = compiled.status().message();  // "request "request": method ..."
    if (const size_t colon = why.find(": "); colon != std::string::npos) why.erase(0, colon + 2);
    return load.Err(*n, key, fmt::format("gives a request no service can answer: {}", why));
  }
  return Status::Ok();
}

// [load]: the URL, the request mix or one kind, the schedule and CPUs.
Status ReadLoad(const std::string& path, const toml::table& doc, const Rel& rel, StudySpec* spec) {
  StudySpec& s = *spec;
  TableReader load(path, doc["load"].as_table(), "load");
  RETURN_IF_ERROR(
      load.CheckKeys({"url", "requests", "method", "path", "body", "rate", "duration", "warmup", "connections",
                      "max_connections", "timeout", "cpus", "min_gc_periods", "max_duration"}));
  RETURN_IF_ERROR(load.String("url", &s.load_url));
  if (const toml::node* url = load.Get("url")) {
    if (Status st = CheckStudyUrl("load.url", s.load_url); !st.ok()) {
      return Status::InvalidArgument(fmt::format("{}: {}", load.At(*url), st.message()));
    }
  }
  std::string requests;
  RETURN_IF_ERROR(load.String("requests", &requests));
  RequestKindSpec one;
  RETURN_IF_ERROR(load.String("method", &one.method));
  RETURN_IF_ERROR(load.String("path", &one.path));
  RETURN_IF_ERROR(load.String("body", &one.body));
  if (!requests.empty()) {
    auto kinds = LoadRequestKinds(rel(requests));
    if (!kinds.ok()) return kinds.status();
    s.kinds = std::move(*kinds);
  } else {
    if (!load.Get("path")) one.path = LoadUrlPath(s.load_url);  // e.g. .../healthz
    RETURN_IF_ERROR(CheckOneKind(load, one));
    s.kinds = {one};
  }
  RETURN_IF_ERROR(load.String("rate", &s.rate));
  RETURN_IF_ERROR(load.Duration("duration", &s.duration_ns));
  RETURN_IF_ERROR(load.Duration("warmup", &s.warmup_ns, /*zero_ok=*/true));
  RETURN_IF_ERROR(load.Duration("timeout", &s.timeout_ns));
  if (const toml::node* rate = load.Get("rate")) {  // against the duration, so after it
    if (auto sched = RateSchedule::Parse(s.rate, s.duration_ns); !sched.ok()) {
      return Status::InvalidArgument(
          fmt::format("{}: {}", load.At(*rate), FlagToKey(sched.status().message(), "--rate", "load.rate")));
    }
  }
  const toml::node* duration = load.Get("duration");
  if (Status st = FitDurationToRate("load.duration", duration != nullptr, "load.rate", &s); !st.ok()) {
    return Status::InvalidArgument(fmt::format("{}: {}", load.At(*duration), st.message()));
  }
  int64_t n = s.connections;
  RETURN_IF_ERROR(load.Int("connections", 1, 10000, &n));
  s.connections = static_cast<int>(n);
  n = std::max<int64_t>(s.max_connections, s.connections);
  RETURN_IF_ERROR(load.Int("max_connections", 1, 20000, &n));
  s.max_connections = static_cast<int>(n);
  RETURN_IF_ERROR(load.Cpus("cpus", &s.load_cpus));
  RETURN_IF_ERROR(load.Int("min_gc_periods", 0, 1000000, &s.min_gc_periods));
  RETURN_IF_ERROR(load.Duration("max_duration", &s.max_duration_ns));
  if (Status st = CheckWindowBound(s); !st.ok()) {
    const toml::node* at = load.Get("max_duration") ? load.Get("max_duration") : load.Get("duration");
    return at ? Status::InvalidArgument(fmt::format("{}: {}", load.At(*at), st.message())) : st;
  }
  return Status::Ok();
}

// [[factor]]: each knob or switch with its levels and baseline.
Status ReadFactors(const std::string& path, const toml::table& doc, const Rel& rel, StudySpec* spec) {
  StudySpec& s = *spec;
  (void)rel;
  if (const toml::node* fs = doc.get("factor")) {
    const toml::array* a = fs->as_array();
    if (!a) return TableReader(path, &doc, "the spec").Err(*fs, "factor", "must be [[factor]] tables");
    std::map<std::string, std::string> names;  // factor name -> where it is given
    for (const toml::node& fn : *a) {
      TableReader f(path, fn.as_table(), "factor");
      RETURN_IF_ERROR(f.CheckKeys({"name", "levels", "baseline"}));
      Factor factor;
      RETURN_IF_ERROR(f.String("name", &factor.name));
      RETURN_IF_ERROR(f.Strings("levels", &factor.levels));
      factor.baseline = DefaultBaseline(factor);  // as the --factor flag does
      RETURN_IF_ERROR(f.String("baseline", &factor.baseline));
      // The flags' checks (CheckFactor), each error at the key it is about.
      const auto at = [&](std::string_view key) { return f.Get(key) ? f.At(*f.Get(key)) : f.At(fn); };
      if (!names.emplace(factor.name, at("name")).second) {
        return Status::InvalidArgument(
            fmt::format("{}: factor {} is given twice (first at {})", at("name"), factor.name, names[factor.name]));
      }
      if (Status st = CheckFactorLevels(factor); !st.ok()) {
        return Status::InvalidArgument(fmt::format("{}: {}", at("levels"), st.message()));
      }
      if (Status st = CheckFactorValue(factor.name, factor.baseline, "baseline"); !st.ok()) {
        return Status::InvalidArgument(fmt::format("{}: {}", at("baseline"), st.message()));
      }
      if (Status st = CheckFactorNotInEnv(s, factor); !st.ok()) {
        return Status::InvalidArgument(fmt::format("{}: {}", at("name"), st.message()));
      }
      s.factors.push_back(std::move(factor));
    }
  }

  return Status::Ok();
}

// [design]: the array, repeats, seed and rounds.
Status ReadDesign(const std::string& path, const toml::table& doc, const Rel& rel, StudySpec* spec) {
  StudySpec& s = *spec;
  (void)rel;
  TableReader design(path, doc["design"].as_table(), "design");
  RETURN_IF_ERROR(design.CheckKeys({"type", "repeats", "seed", "confirm", "refine", "verify"}));
  RETURN_IF_ERROR(design.String("type", &s.design));
  if (const toml::node* type = design.Get("type"); type && !IsDesignKind(s.design)) {
    return design.Err(*type, "type", fmt::format("\"{}\" is unknown (known: {})", s.design, kDesignKinds));
  }
  int64_t n = s.repeats;
  RETURN_IF_ERROR(design.Int("repeats", 1, 100, &n));
  s.repeats = static_cast<int>(n);
  n = static_cast<int64_t>(s.seed);
  RETURN_IF_ERROR(design.Int("seed", 0, INT64_MAX, &n));
  s.seed = static_cast<uint64_t>(n);
  RETURN_IF_ERROR(design.Bool("confirm", &s.confirm));
  RETURN_IF_ERROR(design.Bool("refine", &s.refine));
  n = s.verify;
  RETURN_IF_ERROR(design.Int("verify", 0, 100, &n));
  s.verify = static_cast<int>(n);

  return Status::Ok();
}

// [objective] and [constraints]: what better means and what rules a setting out.
Status ReadJudgement(const std::string& path, const toml::table& doc, const Rel& rel, StudySpec* spec) {
  StudySpec& s = *spec;
  (void)rel;
  TableReader obj(path, doc["objective"].as_table(), "objective");
  RETURN_IF_ERROR(obj.CheckKeys({"minimize"}));
  std::string minimize;
  RETURN_IF_ERROR(obj.String("minimize", &minimize));
  if (const toml::node* node = obj.Get("minimize")) {
    const auto objective = ParseObjective(minimize);
    if (!objective) return obj.Err(*node, "minimize", fmt::format("\"{}\": want {}", minimize, kObjectiveChoices));
    s.objective = *objective;
  }

  TableReader cons(path, doc["constraints"].as_table(), "constraints");
  RETURN_IF_ERROR(cons.CheckKeys({"max_peak_rss", "max_error_rate", "min_gc_cycles", "heap_horizon"}));
  RETURN_IF_ERROR(cons.Duration("heap_horizon", &s.heap_horizon_ns));
  std::string rss;
  RETURN_IF_ERROR(cons.String("max_peak_rss", &rss));
  if (!rss.empty()) {
    auto b = ParseByteSize(rss);
    if (!b.ok()) return cons.Err(*cons.Get("max_peak_rss"), "max_peak_rss", b.status().message());
    s.max_peak_rss = *b;
  }
  if (const toml::node* e = cons.Get("max_error_rate")) {
    auto v = e->value<double>();
    if (!v || *v < 0 || *v > 1) return cons.Err(*e, "max_error_rate", "must be a number 0..1");
    s.max_error_rate = *v;
  }
  if (const toml::node* e = cons.Get("min_gc_cycles")) {
    auto v = e->value<double>();
    if (!v || *v < 0 || *v > 1e6) return cons.Err(*e, "min_gc_cycles", "must be a number 0..1000000");
    s.min_gc_cycles = *v;
  }
  return Status::Ok();
}

// [trace]: an execution trace captured inside each run's measured window.
Status ReadTrace(const std::string& path, const toml::table& doc, const Rel& rel, StudySpec* spec) {
  (void)rel;
  TableReader trace(path, doc["trace"].as_table(), "trace");
  RETURN_IF_ERROR(trace.CheckKeys({"seconds"}));
  int64_t n = spec->trace_seconds;
  static_assert(kMaxTraceSeconds == 600, "the range below is spelt out for tests/spec_doc_test.py");
  RETURN_IF_ERROR(trace.Int("seconds", 0, 600, &n));
  spec->trace_seconds = static_cast<int>(n);
  return Status::Ok();
}

StatusOr<StudySpec> ReadStudySpec(const std::string& path) {
  auto parsed = ReadTomlFile(path);
  if (!parsed.ok()) return parsed.status();
  const toml::table doc = std::move(*parsed);
  const std::filesystem::path dir = std::filesystem::path(path).parent_path();
  // Keeps a '/' in the result ("./svc", never "svc") so a command beside
  // the spec is run from there and never looked up in $PATH.
  const Rel rel = [dir](const std::string& p) {
    if (p.empty() || p[0] == '/') return p;
    const std::string resolved = (dir / p).lexically_normal().string();
    return resolved.find('/') == std::string::npos ? "./" + resolved : resolved;
  };
  TableReader top(path, &doc, "the spec");
  RETURN_IF_ERROR(top.CheckKeys({"target", "load", "factor", "design", "objective", "constraints", "trace"}));
  StudySpec s;
  s.source = path;
  for (auto read : {ReadTarget, ReadLoad, ReadFactors, ReadDesign, ReadJudgement, ReadTrace}) {
    RETURN_IF_ERROR(read(path, doc, rel, &s));
  }
  SplitCpus(&s);  // where the spec names no CPUs
  if (Status st = ValidateStudySpec(s); !st.ok()) {
    return Status::InvalidArgument(fmt::format("{}: {}", path, st.message()));
  }
  return s;
}

}  // namespace

StatusOr<StudySpec> LoadStudySpec(const std::string& path) {
  auto spec = ReadStudySpec(path);
  if (!spec.ok()) return AsInputError(spec.status());
  return spec;
}

std::string LoadUrlPath(const std::string& url) {
  std::string u = url;
  if (const size_t at = u.find("{port}"); at != std::string::npos) u.replace(at, 6, "1");
  auto parsed = ParseLoopbackUrl(u);
  return parsed.ok() ? parsed->path : "/";  // a bad URL is refused by validation
}

void SplitCpus(StudySpec* spec) {
  if (!spec->target_cpus.empty() || !spec->load_cpus.empty()) return;
  const std::vector<int> usable = UsableCpuList();
  if (usable.size() < 2) return;
  spec->load_cpus = {usable.back()};
  spec->target_cpus.assign(usable.begin(), usable.end() - 1);
}

StudySpec BuiltinPaygateSpec(const std::string& paygate, const std::string& source_dir, int live_mb) {
  StudySpec s;
  s.source = "built-in (workloads/paygate)";
  // Request-made orders and idempotency keys live 3 s, so the live heap is
  // steady by the end of the 3-s warm-up (the default 30 s would grow it
  // through every measured window).
  s.command = {paygate,      "-addr", "127.0.0.1:{port}", "-live-mb", std::to_string(live_mb),
               "-order-ttl", "3s",    "-idem-ttl",        "3s"};
  s.ready_url = "http://127.0.0.1:{port}/healthz";
  SplitCpus(&s);
  s.load_url = "http://127.0.0.1:{port}/";
  auto kinds = LoadRequestKinds(source_dir + "/workloads/paygate/load.toml");
  if (kinds.ok()) s.kinds = std::move(*kinds);
  // load.toml's ids assume the default history (256 MiB: 262144 orders).
  const std::string from = "{rand:262144}", to = fmt::format("{{rand:{}}}", int64_t{live_mb} * 1024);
  for (RequestKindSpec& k : s.kinds) {
    for (std::string* text : {&k.path, &k.body}) {
      for (size_t at = 0; (at = text->find(from, at)) != std::string::npos; at += to.size()) {
        text->replace(at, from.size(), to);
      }
    }
  }
  s.rate = "3000";
  s.duration_ns = 10'000'000'000;
  s.warmup_ns = 3'000'000'000;
  s.factors = {
      // GC periods of ~1.5, 2.5 and 5 s at 3000 req/s: three whole periods
      // fit in every run's 10-s floor but GOGC=200's (15 s).
      {"GOGC", {"50", "100", "200"}, "100"},
      // ~70 MiB of Go memory at the 32 MiB default history: 100MiB binds
      // every setting's goal, 160MiB GOGC=200's.
      {"GOMEMLIMIT", {"off", "100MiB", "160MiB"}, "off"},
      {"GOMAXPROCS", {"1", "2", "4"}, ""},
      {"PAYGATE_POOL", {"0", "1"}, "0"},
  };
  s.design = "auto";
  s.repeats = 2;
  s.verify = 3;  // the recommendation judged on 3 fresh runs, the default on 5
  s.objective = Objective::kP99;
  s.max_peak_rss = int64_t{1536} << 20;
  s.max_error_rate = 0.001;
  return s;
}

std::vector<std::pair<std::string, std::string>> InheritedGoKnobs(const StudySpec& spec) {
  std::vector<std::pair<std::string, std::string>> inherited;
  for (const char* name : {"GOGC", "GOMEMLIMIT", "GOMAXPROCS", "GODEBUG"}) {
    const char* value = std::getenv(name);
    if (!value || !*value) continue;
    const auto is_factor = [&](const Factor& f) { return f.name == name; };
    const auto in_env = [&](const auto& kv) { return kv.first == name; };
    if (std::any_of(spec.factors.begin(), spec.factors.end(), is_factor)) continue;
    if (std::any_of(spec.env.begin(), spec.env.end(), in_env)) continue;
    inherited.emplace_back(name, value);
  }
  return inherited;
}

void KeepInheritedGoKnobs(StudySpec* spec) {
  for (auto& kv : InheritedGoKnobs(*spec)) spec->env.push_back(std::move(kv));
}

nlohmann::json StudySpecToJson(const StudySpec& s) {
  nlohmann::json kinds = nlohmann::json::array();
  for (const RequestKindSpec& k : s.kinds) {
    kinds.push_back({{"name", k.name},
                     {"weight", k.weight},
                     {"method", k.method},
                     {"path", k.path},
                     {"headers", k.headers},
                     {"body", k.body},
                     {"sign_header", k.sign_header},
                     {"sign_key", k.sign_key}});
  }
  nlohmann::json j = {{"command", s.command},
                      {"ready_url", s.ready_url},
                      {"ready_timeout_ns", s.ready_timeout_ns},
                      {"env", s.env},
                      {"target_cpus", s.target_cpus},
                      {"load_cpus", s.load_cpus},
                      {"load_url", s.load_url},
                      {"kinds", kinds},
                      {"duration_ns", s.duration_ns},
                      {"warmup_ns", s.warmup_ns},
                      {"connections", s.connections},
                      {"max_connections", s.max_connections},
                      {"timeout_ns", s.timeout_ns},
                      {"design", s.design},
                      {"seed", s.seed},
                      {"confirm", s.confirm},
                      {"refine", s.refine},
                      {"verify", s.verify},
                      {"trace_seconds", s.trace_seconds}};
  OutlineToJson(s, &j);
  return j;
}

StatusOr<StudySpec> StudySpecFromJson(const nlohmann::json& j) {
  auto outline = OutlineFromJson(j);
  if (!outline.ok()) return outline.status();
  StudySpec s;
  static_cast<StudyOutline&>(s) = std::move(*outline);
  try {
    s.command = j.at("command").get<std::vector<std::string>>();
    s.ready_url = j.at("ready_url");
    s.ready_timeout_ns = j.at("ready_timeout_ns");
    s.env = j.at("env").get<std::vector<std::pair<std::string, std::string>>>();
    s.target_cpus = j.at("target_cpus").get<std::vector<int>>();
    s.load_cpus = j.at("load_cpus").get<std::vector<int>>();
    s.load_url = j.at("load_url");
    for (const auto& k : j.at("kinds")) {
      RequestKindSpec r;
      r.name = k.at("name");
      r.weight = k.at("weight");
      r.method = k.at("method");
      r.path = k.at("path");
      r.headers = k.at("headers").get<std::vector<std::pair<std::string, std::string>>>();
      r.body = k.at("body");
      r.sign_header = k.at("sign_header");
      r.sign_key = k.at("sign_key");
      s.kinds.push_back(std::move(r));
    }
    s.duration_ns = j.at("duration_ns");
    s.warmup_ns = j.at("warmup_ns");
    s.connections = j.at("connections");
    s.max_connections = j.at("max_connections");
    s.timeout_ns = j.at("timeout_ns");
    s.design = j.at("design");
    s.seed = j.at("seed");
    s.confirm = j.at("confirm");
    s.refine = j.value("refine", false);
    s.verify = j.value("verify", 0);
    s.trace_seconds = j.value("trace_seconds", 0);  // studies stored before traces: none
  } catch (const nlohmann::json::exception& e) {
    return Status::Corruption(fmt::format("stored study spec is damaged: {}", e.what()));
  }
  return s;
}

}  // namespace gcpilot
