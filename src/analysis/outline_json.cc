#include "analysis/outline_json.h"

#include <fmt/format.h>

namespace gcpilot {

void OutlineToJson(const StudyOutline& o, nlohmann::json* j) {
  nlohmann::json factors = nlohmann::json::array();
  for (const Factor& f : o.factors) {
    factors.push_back({{"name", f.name}, {"levels", f.levels}, {"baseline", f.baseline}});
  }
  (*j)["source"] = o.source;
  (*j)["rate"] = o.rate;
  (*j)["repeats"] = o.repeats;
  (*j)["factors"] = factors;
  (*j)["objective"] = ObjectiveKey(o.objective);
  (*j)["max_peak_rss"] = o.max_peak_rss;
  (*j)["max_error_rate"] = o.max_error_rate;
  (*j)["min_gc_cycles"] = o.min_gc_cycles;
  (*j)["min_gc_periods"] = o.min_gc_periods;
  (*j)["max_duration_ns"] = o.max_duration_ns;
  (*j)["heap_horizon_ns"] = o.heap_horizon_ns;
}

StatusOr<StudyOutline> OutlineFromJson(const nlohmann::json& j) {
  if (!j.is_object()) return Status::Corruption("stored study spec: not a JSON object");
  StudyOutline o;
  const char* key = "source";
  try {
    o.source = j.at(key).get<std::string>();
    key = "rate";
    o.rate = j.at(key).get<std::string>();
    key = "repeats";
    o.repeats = j.at(key).get<int>();
    key = "factors";
    for (const auto& f : j.at(key)) {
      o.factors.push_back({f.at("name").get<std::string>(), f.at("levels").get<std::vector<std::string>>(),
                           f.at("baseline").get<std::string>()});
    }
    key = "objective";
    const auto objective = ParseObjective(j.at(key).get<std::string>());
    if (!objective) return Status::Corruption(fmt::format("stored study spec: objective: want {}", kObjectiveChoices));
    o.objective = *objective;
    key = "max_peak_rss";
    o.max_peak_rss = j.at(key).get<int64_t>();
    key = "max_error_rate";
    o.max_error_rate = j.at(key).get<double>();
    key = "min_gc_cycles";
    o.min_gc_cycles = j.value(key, 0.0);  // absent in studies before the constraint existed
    // Absent in studies before whole GC periods: they read the defaults.
    key = "min_gc_periods";
    o.min_gc_periods = j.value(key, o.min_gc_periods);
    key = "max_duration_ns";
    o.max_duration_ns = j.value(key, o.max_duration_ns);
    key = "heap_horizon_ns";
    o.heap_horizon_ns = j.value(key, o.heap_horizon_ns);
  } catch (const nlohmann::json::exception& e) {
    return Status::Corruption(fmt::format("stored study spec: {}: {}", key, e.what()));
  }
  return o;
}

}  // namespace gcpilot
