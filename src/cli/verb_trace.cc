// `gcpilot trace FILE`: the GC in a Go execution trace (v1 and v2):
// cycles and their stop-the-world phases, pauses by reason, mark assists
// and who paid them, the MMU curve; `gcpilot trace dump FILE`: the trace
// as text, event by event; `gcpilot trace encode FILE`: text back to the
// binary form (test support).
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "base/chunk_source.h"
#include "base/file_util.h"
#include "base/input_file.h"
#include "base/mapped_file.h"
#include "cli/progress.h"
#include "cli/verbs.h"
#include "exectrace/mmu_svg.h"
#include "exectrace/perfetto_writer.h"
#include "exectrace/trace_analyzer.h"
#include "exectrace/trace_reader.h"
#include "exectrace/trace_report.h"
#include "exectrace/trace_text.h"

namespace gcpilot::cli {
namespace {

constexpr std::string_view kWhat = "an execution trace";

struct TraceFlags {
  std::string input;
  bool json = false;
  std::string csv;
  std::string mmu_svg;
  std::string perfetto;
  bool lenient = false;
  double slow_percentile = 99;
  std::string dump_input;
  std::string encode_input;
};

std::string NameOf(const std::string& input) { return input == "-" ? "<stdin>" : input; }

int Fail(const std::string& message) {
  std::fprintf(stderr, "gcpilot trace: %s\n", message.c_str());
  return kExitError;
}

// The input's bytes for the reader: a regular file mapped into `mapped`
// and read in place (stable: `mapped` must outlive the reader's Finish),
// else chunks (stdin, gzip).
Status FeedInput(const std::string& input, MappedFile& mapped, TraceReader& reader) {
  if (input != "-" && mapped.Open(input)) return reader.Feed(mapped.bytes(), /*stable=*/true);
  return ReadChunks(input, [&](std::string_view chunk) { return reader.Feed(chunk); });
}

// Reads and analyses the trace; extra sinks (the Perfetto writer) see the
// intervals too. A truncated trace is analysed up to its cut.
StatusOr<TraceAnalysis> Analyze(const TraceFlags& f, std::vector<GcIntervalSink*> extra) {
  TraceAnalyzer analyzer({.extra_sinks = std::move(extra), .requests = {.slow_percentile = f.slow_percentile}});
  Progress progress;
  MappedFile mapped;  // before the reader: its bytes are read until Finish returns
  TraceReadOptions options{.lenient = f.lenient};
  options.release = [&mapped](int64_t from, int64_t to) {
    const std::string_view bytes = mapped.bytes();
    if (from >= 0 && from < to && static_cast<size_t>(to) <= bytes.size()) {
      mapped.Release(bytes.substr(static_cast<size_t>(from), static_cast<size_t>(to - from)));
    }
  };
  if (progress.enabled()) {
    options.progress = [&](int64_t bytes) {
      const double mb = static_cast<double>(bytes) / 1e6;
      progress.Update(fmt::format("trace: {:.0f} MB read, {:.0f} MB/s", mb, mb / std::max(progress.elapsed_s(), 1e-3)));
    };
  }
  TraceReader reader(options, analyzer.sink());
  Status st = FeedInput(f.input, mapped, reader);
  TraceReadResult result;
  const Status finished = reader.Finish(&result);
  progress.Done();
  if (st.ok()) st = finished;
  if (!st.ok()) {
    // The input's own read errors (gzip cut off, I/O) already name the file
    // and are no batch --lenient could skip.
    const bool read_error = st.message().starts_with(NameOf(f.input) + ": ");
    if (read_error) return st;
    std::string message = fmt::format("{}: {}", NameOf(f.input), st.message());
    if (result.go_minor > 0 && st.code() == StatusCode::kCorruption && !f.lenient) {
      message += " (--lenient skips corrupt batches and reads on)";
    }
    return Status(Status::Corruption(message));
  }
  return analyzer.Finish(result);
}

// An output flag's path: not the input, and writable.
std::optional<int> CheckOutput(const std::string& flag, const std::string& path, const std::string& input) {
  if (path.empty()) return std::nullopt;
  if (input != "-" && SameFile(path, input)) {
    std::fprintf(stderr, "gcpilot trace: %s %s: is the input trace\n", flag.c_str(), path.c_str());
    return kExitUsage;
  }
  if (std::string why = WhyUnwritable(path); !why.empty()) {
    std::fprintf(stderr, "gcpilot trace: %s %s: %s\n", flag.c_str(), path.c_str(), why.c_str());
    return kExitError;
  }
  return std::nullopt;
}

int Print(const TraceFlags& f, const TraceAnalysis& a) {
  std::string out;
  if (!f.csv.empty()) {
    out = TraceCsv(a, *ParseTraceCsvKind(f.csv));
  } else if (f.json) {
    out = TraceAnalysisJson(a).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  } else {
    out = FormatTraceTable(a, NameOf(f.input));
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
  if (a.read.truncated && (f.json || !f.csv.empty())) {
    std::fprintf(
        stderr, "gcpilot trace: %s: warning: the trace is cut off at byte offset %lld: analysed what comes before it\n",
        NameOf(f.input).c_str(), static_cast<long long>(a.read.truncated_at));
  }
  if (!f.mmu_svg.empty()) {
    if (Status st = WriteFileAtomically(f.mmu_svg, MmuSvg(a.mmu, "MMU: " + NameOf(f.input))); !st.ok()) {
      return Fail("--mmu-svg " + st.message());
    }
  }
  return kExitOk;
}

int Run(const TraceFlags& f) {
  if (f.input != "-") {
    if (Status st = CheckInputFile(f.input, kWhat); !st.ok()) return Fail(st.message());
  }
  if (auto rc = CheckOutput("--mmu-svg", f.mmu_svg, f.input)) return *rc;
  if (auto rc = CheckOutput("--perfetto", f.perfetto, f.input)) return *rc;
  std::optional<StatusOr<TraceAnalysis>> analysis;
  if (f.perfetto.empty()) {
    analysis = Analyze(f, {});
  } else {
    // A failed analysis leaves the file as it was (a failed stream is not
    // committed), never half a timeline in place of the old one.
    const Status written = WriteFileAtomically(f.perfetto, [&](std::ostream& out) {
      PerfettoWriter writer(out);
      analysis = Analyze(f, {&writer});
      if (!analysis->ok()) out.setstate(std::ios::failbit);
    });
    if (!analysis->ok()) return Fail(analysis->status().message());
    if (!written.ok()) return Fail("--perfetto " + written.message());
  }
  if (!analysis->ok()) return Fail(analysis->status().message());
  return Print(f, analysis->value());
}

int RunDump(const std::string& input) {
  if (input != "-") {
    if (Status st = CheckInputFile(input, kWhat); !st.ok()) return Fail(st.message());
  }
  MappedFile mapped;
  std::string bytes;
  std::string_view view;
  if (input != "-" && mapped.Open(input)) {
    view = mapped.bytes();
  } else {
    Status st = ReadChunks(input, [&](std::string_view chunk) {
      bytes.append(chunk);
      return Status::Ok();
    });
    if (!st.ok()) return Fail(st.message());
    view = bytes;
  }
  const Status st = DumpTraceText(view, std::cout);
  std::cout.flush();
  if (!st.ok()) return Fail(fmt::format("{}: {}", NameOf(input), st.message()));
  return kExitOk;
}

// The text form a file holds: the file itself ("Trace Go1.N" first), or
// the trace section of a Go test fixture (txtar: "-- expect --", then
// "-- trace --" and the text form).
std::string_view TextForm(std::string_view file) {
  if (file.starts_with("Trace Go1.")) return file;
  const size_t at = file.find("\nTrace Go1.");
  return at == std::string_view::npos ? std::string_view() : file.substr(at + 1);
}

int RunEncode(const std::string& input) {
  std::string file;
  if (Status st = ReadInputFile(input, "a text-form trace", &file); !st.ok()) return Fail(st.message());
  StatusOr<std::string> bytes = EncodeTraceText(TextForm(file));
  if (!bytes.ok()) return Fail(fmt::format("{}: {}", input, bytes.status().message()));
  std::fwrite(bytes->data(), 1, bytes->size(), stdout);
  return std::fflush(stdout) == 0 ? kExitOk : kExitError;
}

}  // namespace

Verb AddTraceVerb(CLI::App& app) {
  auto flags = std::make_shared<TraceFlags>();
  CLI::App* cmd = app.add_subcommand(
      "trace", "Analyze a Go execution trace: GC cycles and stop-the-world phases, mark assists and who paid, MMU");
  cmd->footer(
      "Reads Go 1.11-1.26 execution traces (runtime/trace, /debug/pprof/trace) from FILE (plain or\n"
      "gzip) or stdin. A Go 1.22+ trace cut off mid-batch is analysed up to the cut, with a warning\n"
      "naming the byte offset (exit 0); a Go 1.11-1.21 one lacks its Frequency event (written last)\n"
      "and is refused: no time in it can be known. A corrupt batch is an error naming its offset\n"
      "(--lenient: skipped and counted). MMU follows Go's definition (internal/trace): a GC\n"
      "stop-the-world takes every P; a running mark assist, a sweep, a dedicated or fractional mark\n"
      "worker its P. Requests are runtime/trace tasks (or goroutine lives): server-side durations.\n"
      "Exit status: 0 ok, 1 input error, 2 usage error.\n\n"
      "Examples:\n"
      "  curl -o trace.out 'http://127.0.0.1:6060/debug/pprof/trace?seconds=5'; gcpilot trace trace.out\n"
      "  gcpilot trace --json trace.out\n"
      "  gcpilot trace --csv mmu --mmu-svg mmu.svg --perfetto gc.json trace.out\n"
      "  gcpilot trace dump trace.out | less\n"
      "  gcpilot trace encode go122-gc-stress.test > gc-stress.trace");
  cmd->add_option("FILE", flags->input, "execution trace; - (or none, with stdin redirected) for stdin");
  auto* json = cmd->add_flag("--json", flags->json, "print the analysis as JSON");
  cmd->add_option("--csv", flags->csv,
                  "print one CSV row per item instead: cycles, stw, assists, payers, mmu or requests (the slowest)")
      ->check(CLI::IsMember({"cycles", "stw", "assists", "payers", "mmu", "requests"}))
      ->excludes(json);
  cmd->add_option("--mmu-svg", flags->mmu_svg, "also write the MMU curve as an SVG to this file");
  cmd->add_option("--perfetto", flags->perfetto,
                  "also write the GC's timeline as Chrome trace-event JSON (opens in ui.perfetto.dev)");
  cmd->add_flag("--lenient", flags->lenient, "skip and count corrupt batches instead of failing");
  cmd->add_option("--slow-percentile", flags->slow_percentile,
                  "requests above this percentile of duration are the slow ones (request attribution)")
      ->default_val(99)
      ->check(CLI::Range(1.0, 99.999));
  CLI::App* dump = cmd->add_subcommand("dump", "Print an execution trace as text, one event per line");
  dump->add_option("FILE", flags->dump_input, "execution trace; - for stdin")->required();
  CLI::App* encode = cmd->add_subcommand(
      "encode", "Write the binary trace a text-form trace (or a Go txtar test fixture) describes, to stdout");
  encode->add_option("FILE", flags->encode_input, "text-form trace")->required();
  cmd->require_subcommand(0, 1);
  cmd->callback([dump, encode, flags] {
    // As gctrace: `gcpilot trace < trace.out` reads stdin; at a terminal a
    // FILE is asked for rather than waiting on the keyboard.
    if (!dump->parsed() && !encode->parsed() && flags->input.empty()) {
      if (isatty(STDIN_FILENO)) throw CLI::RequiredError("FILE");
      flags->input = "-";
    }
  });
  return {cmd, [flags, dump, encode] {
            if (dump->parsed()) return RunDump(flags->dump_input);
            if (encode->parsed()) return RunEncode(flags->encode_input);
            return Run(*flags);
          }};
}

}  // namespace gcpilot::cli
