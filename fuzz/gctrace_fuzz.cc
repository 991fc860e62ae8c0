// Fuzzes the gctrace reader: the input is split into chunks at positions
// taken from its first bytes (so chunk boundaries are fuzzed too), fed in
// both lenient and strict mode, and the analyzer and renderers run on what
// comes out. Invariants checked: the reader never reports more cycles than
// lines, and lenient and strict mode agree on every cycle strict mode saw.
// The parallel reader has its own target (gctrace_parallel_fuzz.cc), which
// parses segments inline: starting its threads for every input was slow.
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "gclog/gctrace_analysis.h"
#include "gclog/gctrace_parser.h"
#include "gclog/gctrace_report.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace gcpilot;
  if (size < 1) return 0;
  const size_t step = 1 + data[0] % 64;
  std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);

  GctraceAnalyzer analyzer;
  std::vector<int64_t> lenient_numbers;
  GctraceReader lenient({}, [&](const GcCycle& c) {
    analyzer.Add(c);
    lenient_numbers.push_back(c.number);
    GctraceCsvRow(c);
  });
  std::vector<int64_t> strict_numbers;
  GctraceReader strict({.source_name = "fuzz", .strict = true},
                       [&](const GcCycle& c) { strict_numbers.push_back(c.number); });
  bool strict_ok = true;
  for (size_t i = 0; i < input.size(); i += step) {
    std::string_view chunk = input.substr(i, step);
    if (!lenient.Feed(chunk).ok()) std::abort();  // lenient never fails
    if (strict_ok) strict_ok = strict.Feed(chunk).ok();
  }
  if (!lenient.Finish().ok()) std::abort();
  if (strict_ok) (void)strict.Finish();  // may fail: strict mode
  const GctraceParseStats& st = lenient.stats();
  if (st.cycles > st.lines) std::abort();
  if (strict_numbers.size() > lenient_numbers.size()) std::abort();
  for (size_t i = 0; i < strict_numbers.size(); ++i) {
    if (strict_numbers[i] != lenient_numbers[i]) std::abort();
  }
  GctraceSummary s = analyzer.Summarize(st);
  FormatGctraceTable(s, "fuzz");
  GctraceSummaryJson(s, "fuzz").dump();
  return 0;
}
