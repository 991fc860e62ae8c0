#include "gclog/gctrace_overrun.h"

#include <algorithm>

#include <fmt/format.h>

#include "base/read_file.h"
#include "base/units.h"

namespace gcpilot {
namespace {

// Whether `next` continues `prev`'s process run, as the analyzer splits
// runs: the counter goes up and so does the clock.
bool SameRun(const GcCycle& prev, const GcCycle& next) {
  return next.number > prev.number && next.start_ns >= prev.start_ns;
}

}  // namespace

void GctraceOverrunFilter::Add(const GcCycle& c) {
  if (held_) {
    const int64_t overrun_ns = held_->end_ns() - c.start_ns;
    if (SameRun(*held_, c) && overrun_ns > kOverrunToleranceNs) {
      ++dropped_;
      if (errors_.size() < GctraceParseStats::kMaxKeptErrors) {
        GctraceLineError e;
        e.line = held_->origin.line;
        e.column = held_->origin.clock_column;
        e.expected = fmt::format("clock terms ending before the next cycle's @ (line {}); they end {} after it",
                                 c.origin.line, MsWithUnit(overrun_ns));
        errors_.push_back(std::move(e));
      }
    } else {
      sink_(*held_);
    }
  }
  held_ = c;
}

void GctraceOverrunFilter::Finish() {
  if (held_) sink_(*held_);
  held_.reset();
}

void GctraceOverrunFilter::MergeInto(GctraceParseStats* stats) const {
  stats->malformed += dropped_;
  std::vector<GctraceLineError>& kept = stats->first_errors;
  kept.insert(kept.end(), errors_.begin(), errors_.end());
  std::stable_sort(kept.begin(), kept.end(),
                   [](const GctraceLineError& a, const GctraceLineError& b) { return a.line < b.line; });
  if (kept.size() > GctraceParseStats::kMaxKeptErrors) kept.resize(GctraceParseStats::kMaxKeptErrors);
}

FilteredGctraceReader::FilteredGctraceReader(const std::string& source_name, CycleSink passed, CycleSink parsed)
    : overrun_(std::move(passed)),
      parsed_(std::move(parsed)),
      reader_({.source_name = source_name}, [this](const GcCycle& c) {
        if (parsed_) parsed_(c);
        overrun_.Add(c);
      }) {}

void FilteredGctraceReader::Finish() {
  (void)reader_.Finish();  // lenient: never fails
  overrun_.Finish();
}

GctraceParseStats FilteredGctraceReader::stats() const {
  GctraceParseStats s = reader_.stats();
  overrun_.MergeInto(&s);
  return s;
}

void ReadGctraceCycles(const std::string& path, std::vector<GcCycle>* gc_cycles, GctraceParseStats* stats) {
  FilteredGctraceReader reader(path, [&](const GcCycle& c) { gc_cycles->push_back(c); });
  reader.Feed(ReadFileOrEmpty(path));
  reader.Finish();
  *stats = reader.stats();
}

}  // namespace gcpilot
