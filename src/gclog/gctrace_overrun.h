// Drops cycles whose printed times no run could have: a cycle whose clock
// span (`@T s` plus its clock terms) reaches past the next cycle's `@` in
// the same process run. One such line (a wrapped or corrupted clock term,
// say `99999999999 ms`) would otherwise put a cycle running for years into
// every figure: pause percentiles, wall time in GC over 100%.
#ifndef GCPILOT_GCLOG_GCTRACE_OVERRUN_H_
#define GCPILOT_GCLOG_GCTRACE_OVERRUN_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "gclog/gctrace_parser.h"
#include "model/gc_cycle.h"

namespace gcpilot {

// Sits between a reader and what consumes its cycles. It holds one cycle
// back until the next one shows whether it ended in time; a cycle that did
// not is not passed on but kept as a skipped line (its line, the column of
// its clock terms, by how much it overran). `@` is printed truncated to
// whole milliseconds and the clock terms truncated too, so a real cycle's
// printed end passes the next printed start by at most 1 ms
// (kOverrunToleranceNs); past that the line is impossible. Cycles of
// different runs (the counter goes back) are never compared.
class GctraceOverrunFilter {
 public:
  using CycleSink = std::function<void(const GcCycle&)>;
  static constexpr int64_t kOverrunToleranceNs = 1'000'000;

  explicit GctraceOverrunFilter(CycleSink sink) : sink_(std::move(sink)) {}

  // Takes the next cycle in input order; passes on the one held before it
  // unless it overran this one's start.
  void Add(const GcCycle& c);
  // Ends the input: passes on the cycle still held.
  void Finish();

  // The cycle held back until the next one shows it ended in time; none
  // before the first cycle and after Finish.
  const std::optional<GcCycle>& held() const { return held_; }

  int64_t dropped() const { return dropped_; }
  // The first dropped lines (at most GctraceParseStats::kMaxKeptErrors).
  const std::vector<GctraceLineError>& first_errors() const { return errors_; }

  // Counts the dropped lines in `stats` as malformed (skipped) lines, their
  // errors kept among the others in line order, at most kMaxKeptErrors.
  void MergeInto(GctraceParseStats* stats) const;

 private:
  CycleSink sink_;
  std::optional<GcCycle> held_;
  int64_t dropped_ = 0;
  std::vector<GctraceLineError> errors_;
};

// A lenient GctraceReader whose cycles go through a GctraceOverrunFilter:
// what a run's stderr is read with, whole (ReadGctraceCycles) or as it
// grows (GctraceFollower), so both skip the same lines.
class FilteredGctraceReader {
 public:
  using CycleSink = std::function<void(const GcCycle&)>;
  // `passed` gets the cycles the filter passes on; `parsed`, if set, every
  // cycle the reader parsed, before the filter sees it.
  FilteredGctraceReader(const std::string& source_name, CycleSink passed, CycleSink parsed = nullptr);

  void Feed(std::string_view chunk) { (void)reader_.Feed(chunk); }  // lenient: never fails
  // Ends the input: a last line without '\n', then the cycle held back.
  void Finish();
  const std::optional<GcCycle>& held() const { return overrun_.held(); }
  // The reader's counts with the overrun-dropped lines merged in.
  GctraceParseStats stats() const;

 private:
  GctraceOverrunFilter overrun_;
  CycleSink parsed_;
  GctraceReader reader_;
};

// Every cycle in the file at `path` (none if it does not exist), in order,
// appended to gc_cycles; its parse counts in `stats`.
void ReadGctraceCycles(const std::string& path, std::vector<GcCycle>* gc_cycles, GctraceParseStats* stats);

}  // namespace gcpilot

#endif  // GCPILOT_GCLOG_GCTRACE_OVERRUN_H_
