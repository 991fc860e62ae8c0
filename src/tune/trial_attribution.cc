#include "tune/trial_attribution.h"

#include "attribution/attribute_run.h"
#include "model/gc_knobs.h"

namespace gcpilot {
namespace {

constexpr const char* kMemLimit = "GOMEMLIMIT";

// The estimate's figures where the window's own were.
void UseEstimate(const SteadyEstimate& e, RunMetrics* m) {
  m->p50_ns = e.p50_ns;
  m->p90_ns = e.p90_ns;
  m->p99_ns = e.p99_ns;
  m->p999_ns = e.p999_ns;
  m->max_ns = e.max_ns;
  m->mean_ns = e.mean_ns;
  m->latency_estimated = true;
}

}  // namespace

int64_t RunMemLimitBytes(const StudySpec& spec, const RunResult& run) {
  std::string value;
  if (const auto it = run.env.find(kMemLimit); it != run.env.end()) {
    value = it->second;  // "" = unset for this run
  } else {
    for (const auto& [k, v] : spec.env) {
      if (k == kMemLimit) value = v;
    }
  }
  const auto bytes = KnobMagnitude(kMemLimit, value);
  return !bytes || *bytes == kMemLimitOff ? -1 : *bytes;
}

void AttributeTrial(const StudySpec& spec, const MeasuredWindow& window, RunResult* run, RunData* data) {
  data->attribution =
      AttributeRun(data->requests, data->gc, window, RunMemLimitBytes(spec, *run), spec.heap_horizon_ns);
  RunAttribution& a = data->attribution;
  RunMetrics& m = run->metrics;
  m.live_heap_slope_bytes_per_sec = a.heap.slope_bytes_per_sec;
  m.limit_reached_in_ns = a.heap.limit_reached_in_ns;
  // A fixed window was what the study asked for: its figures are its own.
  if (!UsesPeriodWindow(spec)) a.estimate.used = false;
  if (a.estimate.used) UseEstimate(a.estimate, &m);
}

}  // namespace gcpilot
