// `gcpilot gctrace [FILE|-]`: analyzes GODEBUG=gctrace=1 output.
#include <cstdio>
#include <string>

#include <fmt/format.h>

#include "base/chunk_source.h"
#include "base/mapped_file.h"
#include "base/plural.h"
#include "cli/flag_checks.h"
#include "cli/progress.h"
#include "cli/verbs.h"
#include "gclog/gctrace_analysis.h"
#include "gclog/gctrace_overrun.h"
#include "gclog/gctrace_parallel.h"
#include "gclog/gctrace_parser.h"
#include "gclog/gctrace_report.h"

namespace gcpilot::cli {
namespace {

struct GctraceFlags {
  std::string input = "-";
  bool json = false;
  bool csv = false;
  bool strict = false;
  int threads = 0;
};

// Buffers stdout writes; per-cycle CSV of a multi-GB log is millions of
// rows.
class Out {
 public:
  ~Out() { Flush(); }
  void Write(const std::string& s) {
    buf_ += s;
    if (buf_.size() >= (1 << 20)) Flush();
  }
  void Flush() {
    if (!buf_.empty()) std::fwrite(buf_.data(), 1, buf_.size(), stdout);
    buf_.clear();
    std::fflush(stdout);
  }

 private:
  std::string buf_;
};

// Strict mode's error for a cycle that overran the next one. It is found
// at that next cycle, which came before any line the reader stopped at,
// so it is the first skipped line.
Status OverrunError(const std::string& name, const GctraceLineError& e) {
  return Status::Corruption(fmt::format("{}:{}:{}: expected {}", name, e.line, e.column, e.expected));
}

int Run(const GctraceFlags& f) {
  const std::string name = f.input == "-" ? "<stdin>" : f.input;
  GctraceAnalyzer analyzer;
  Out out;
  if (f.csv) out.Write(GctraceCsvHeader());
  Progress progress;
  MappedFile mapped;
  const bool in_place = f.input != "-" && mapped.Open(f.input);
  ParallelGctraceOptions options{.reader = {.source_name = name, .strict = f.strict}, .threads = f.threads};
  if (in_place) {
    options.release = [&](std::string_view part) { mapped.Release(part); };
  }
  if (progress.enabled()) {
    options.progress = [&](const GctraceParseStats& s) {
      const double mb = s.bytes / 1e6;
      progress.Update(fmt::format("gctrace: {:.0f} MB read, {}, {:.0f} MB/s", mb, CountOf(s.cycles, "cycle"),
                                  mb / std::max(progress.elapsed_s(), 1e-3)));
    };
  }
  GctraceOverrunFilter overrun([&](const GcCycle& c) {
    analyzer.Add(c);
    if (f.csv) out.Write(GctraceCsvRow(c));
  });
  ParallelGctraceReader reader(std::move(options), [&](const GcCycle& c) { overrun.Add(c); });
  Status st = in_place ? reader.FeedWhole(mapped.bytes())
                       : ReadChunks(f.input, [&](std::string_view chunk) { return reader.Feed(chunk); });
  if (st.ok()) st = reader.Finish();
  overrun.Finish();
  progress.Done();
  if (f.strict && overrun.dropped() > 0) st = OverrunError(name, overrun.first_errors().front());
  if (!st.ok()) {
    out.Flush();
    std::fprintf(stderr, "gcpilot gctrace: %s\n", st.message().c_str());
    return kExitError;
  }
  GctraceParseStats stats = reader.stats();
  overrun.MergeInto(&stats);
  const GctraceSummary summary = analyzer.Summarize(stats);
  if (f.json) {
    out.Write(GctraceSummaryJson(summary, name).dump(2) + "\n");
  } else if (!f.csv) {
    out.Write(FormatGctraceTable(summary, name));
  }
  if (f.csv) {
    // The CSV owns stdout; skipped lines still deserve a word.
    const GctraceParseStats& p = stats;
    if (p.malformed > 0) {
      std::fprintf(stderr, "gcpilot gctrace: %s: skipped %s (first at line %lld)\n", name.c_str(),
                   CountOf(p.malformed, "malformed gc line").c_str(),
                   static_cast<long long>(p.first_errors.front().line));
    }
    if (p.overlong_lines > 0) {
      std::fprintf(stderr, "gcpilot gctrace: %s: skipped %s longer than %zu bytes (first at line %lld)\n", name.c_str(),
                   CountOf(p.overlong_lines, "line").c_str(), GctraceParseStats::kMaxLineBytes,
                   static_cast<long long>(p.first_overlong_line));
    }
  }
  return kExitOk;
}

}  // namespace

Verb AddGctraceVerb(CLI::App& app) {
  auto flags = std::make_shared<GctraceFlags>();
  CLI::App* cmd = app.add_subcommand("gctrace",
                                     "Analyze GODEBUG=gctrace=1 output: pauses, mark time, GC CPU, heap, "
                                     "and a verdict of what dominates");
  cmd->footer(
      "Reads Go 1.5-1.26 gctrace lines from FILE (plain or gzip) or stdin, "
      "with any line prefix,\ninterleaved with other output. Lines that "
      "start like a cycle but break the format are\nskipped and counted, "
      "and so are lines over 64 KiB (--strict: the first skipped line is an\nerror naming "
      "file:line:column, or file:line for an overlong line).\n"
      "Exit status: 0 ok, 1 input error, 2 usage error.\n\n"
      "Examples:\n"
      "  GODEBUG=gctrace=1 ./service 2> gc.log; gcpilot gctrace gc.log\n"
      "  kubectl logs pod | gcpilot gctrace --json\n"
      "  gcpilot gctrace --csv gc.log.gz > cycles.csv");
  cmd->add_option("FILE", flags->input, "gctrace log; - for stdin")->default_val("-");
  auto* json = cmd->add_flag("--json", flags->json, "print the summary as JSON");
  cmd->add_flag("--csv", flags->csv, "print one CSV row per cycle")->excludes(json);
  cmd->add_flag("--strict", flags->strict,
                "fail on the first skipped line (malformed gc line or over 64 KiB) instead of skipping it");
  cmd->add_option("--threads", flags->threads, "parser threads, a whole number 0..64 (0: one per usable CPU)")
      ->default_val(0)
      ->check(WholeNumberIn(0, 64, "0: one per usable CPU"));
  return {cmd, [flags] { return Run(*flags); }};
}

}  // namespace gcpilot::cli
