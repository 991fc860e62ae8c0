#include "exectrace/trace_analyzer.h"

#include <algorithm>
#include <unordered_set>
#include <vector>

#include <fmt/format.h>

namespace gcpilot {
namespace {

// Goroutines, tasks and regions, counted once each. A goroutine is
// remembered while it lives (Go never reuses an id). Every event names a
// goroutine, so the set is the hot path: most events name the previous
// event's goroutine (kept in last_, always live), and the runtime hands out
// ids counting up from 1, so ids below kDenseIds live in a bitmap (at most
// kDenseIds / 8 bytes, grown as ids appear); larger ones in a hash set.
class TraceTally final : public TraceSink {
 public:
  void OnStart(const TraceInfo& info) override { info_ = info; }
  void OnEvent(const TraceEvent& e) override {
    switch (e.kind) {
      case TraceEventKind::kGoCreate:
      case TraceEventKind::kGoStatus:
      case TraceEventKind::kGoUnblock:
        See(e.g);
        See(e.a);
        break;
      case TraceEventKind::kGoEnd:
        See(e.g);
        Forget(e.g);
        break;
      case TraceEventKind::kTaskBegin:
        ++tasks_;
        break;
      case TraceEventKind::kRegionBegin:
        ++regions_;
        break;
      default:
        See(e.g);
        break;
    }
  }
  int64_t goroutines() const { return goroutines_; }
  int64_t tasks() const { return tasks_; }
  int64_t regions() const { return regions_; }
  const TraceInfo& info() const { return info_; }

 private:
  static constexpr int64_t kDenseIds = int64_t{1} << 24;

  void See(int64_t g) {
    if (g == last_ || g == 0) return;
    last_ = g;
    if (g > 0 && g < kDenseIds) {
      const size_t i = static_cast<size_t>(g);
      if (i >= dense_.size()) dense_.resize(std::max(i + 1, dense_.size() * 2));
      if (!dense_[i]) {
        dense_[i] = true;
        ++goroutines_;
      }
      return;
    }
    if (live_.insert(g).second) ++goroutines_;
  }
  void Forget(int64_t g) {
    if (g == last_) last_ = 0;
    if (g > 0 && g < kDenseIds) {
      if (static_cast<size_t>(g) < dense_.size()) dense_[static_cast<size_t>(g)] = false;
      return;
    }
    live_.erase(g);
  }
  TraceInfo info_;
  int64_t last_ = 0;                  // live (or 0)
  std::vector<bool> dense_;           // live goroutines with ids in (0, kDenseIds)
  std::unordered_set<int64_t> live_;  // the others
  int64_t goroutines_ = 0, tasks_ = 0, regions_ = 0;
};

}  // namespace

struct TraceAnalyzer::Parts {
  explicit Parts(const TraceAnalyzerOptions& o)
      : timeline(o.timeline),
        mmu(o.mmu_windows_ns),
        requests(o.requests),
        builder(Sinks(o)),
        fanout({&tally, &payers, &requests, &builder}) {}
  std::vector<GcIntervalSink*> Sinks(const TraceAnalyzerOptions& o) {
    std::vector<GcIntervalSink*> out = {&stats, &mmu, &payers};
    if (o.keep_timeline) out.push_back(&timeline);
    out.insert(out.end(), o.extra_sinks.begin(), o.extra_sinks.end());
    return out;
  }
  TraceTally tally;
  AssistPayers payers;
  TraceGcStats stats;
  TimelineCollector timeline;
  MmuCurve mmu;
  RequestAttributor requests;
  GcIntervalBuilder builder;
  TraceFanout fanout;
};

TraceAnalyzer::TraceAnalyzer(TraceAnalyzerOptions options)
    : parts_(std::make_unique<Parts>(options)), options_(std::move(options)) {}
TraceAnalyzer::~TraceAnalyzer() = default;
TraceSink* TraceAnalyzer::sink() { return &parts_->fanout; }

TraceAnalysis TraceAnalyzer::Finish(const TraceReadResult& read) {
  TraceAnalysis a;
  a.read = read;
  a.version = read.go_minor > 0 ? fmt::format("go 1.{}", read.go_minor) : "";
  a.duration_ns = parts_->builder.end_ns();
  a.counts = parts_->builder.counts();
  a.goroutines = parts_->tally.goroutines();
  a.tasks = parts_->tally.tasks();
  a.regions = parts_->tally.regions();
  a.cycles = parts_->stats.cycles();
  a.pauses = parts_->stats.pauses();
  a.stw = parts_->stats.stw();
  a.assists = parts_->stats.assists();
  a.sweeps = parts_->stats.sweeps();
  a.assist_goroutines = parts_->payers.TopGoroutines(SIZE_MAX);
  a.top_goroutines.assign(a.assist_goroutines.begin(),
                          a.assist_goroutines.begin() + std::min(options_.top, a.assist_goroutines.size()));
  a.payers = parts_->payers.Payers(options_.top);
  a.mmu = parts_->mmu.points();
  a.requests = parts_->requests.result();
  if (options_.keep_timeline) {
    a.timeline = parts_->timeline.Take();
    a.timeline.monotonic_at_zero_ns = parts_->tally.info().monotonic_offset_ns;
  }
  return a;
}

TraceSummary ToTraceSummary(const TraceAnalysis& a) {
  TraceSummary s;
  s.version = a.version;
  s.bytes = a.read.bytes;
  s.span = {0, a.duration_ns};
  s.gc_cycles = a.counts.cycles;
  s.stw_pauses = a.counts.stw_pauses;
  s.stw_max_ns = a.stw.max_ns;
  s.mark_assists = a.counts.mark_assists;
  s.assist_ns = a.assists.total_ns;
  s.mmu = a.mmu;
  s.payers = a.payers;
  if (a.requests) s.attribution = *a.requests;
  return s;
}

}  // namespace gcpilot
