// AssistPayers: who paid for the GC in mark assists. A TraceSink for the
// goroutines' creation (kGoCreate names each new goroutine's function, the
// one its creation stack leads to) and a GcIntervalSink for the assists
// (the builder's GoroutineGcSpans), so it is given to both the reader's
// fanout and the builder. Goroutines that existed before the trace began
// are "(unknown)".
//
// Memory: one entry per live goroutine (dropped at its kGoEnd), one per
// goroutine that assisted, and the distinct function names.
#ifndef GCPILOT_EXECTRACE_ASSIST_PAYERS_H_
#define GCPILOT_EXECTRACE_ASSIST_PAYERS_H_

#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/string_hash.h"
#include "exectrace/gc_intervals.h"
#include "exectrace/trace_event.h"
#include "model/trace_summary.h"

namespace gcpilot {

// One goroutine's mark assists.
struct AssistGoroutine {
  int64_t goroutine = 0;
  std::string function;  // as AssistPayer::function
  int64_t assists = 0;
  int64_t assist_ns = 0;
  bool operator==(const AssistGoroutine&) const = default;
};

inline constexpr char kUnknownCreator[] = "(unknown)";

class AssistPayers final : public TraceSink, public GcIntervalSink {
 public:
  void OnEvent(const TraceEvent& e) override;
  void OnGoroutineSpan(const GoroutineGcSpan& span) override;

  // Most assist time first (ties: more assists, then the smaller id or
  // name), at most `limit`.
  std::vector<AssistGoroutine> TopGoroutines(size_t limit = 20) const;
  std::vector<AssistPayer> Payers(size_t limit = 20) const;

 private:
  struct Assisted {
    int32_t function = 0;
    int64_t assists = 0;
    int64_t assist_ns = 0;
  };
  int32_t Intern(std::string_view function);

  std::unordered_map<int64_t, int32_t> creator_;  // live goroutine -> function
  std::unordered_map<int64_t, Assisted> assisted_;
  std::unordered_map<std::string, int32_t, StringHash, std::equal_to<>> ids_;
  std::vector<std::string> names_{kUnknownCreator};
};

}  // namespace gcpilot

#endif  // GCPILOT_EXECTRACE_ASSIST_PAYERS_H_
