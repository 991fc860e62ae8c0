// Each gcpilot verb lives in its own file: it declares its flags on a CLI11
// subcommand and returns the function that runs it. main() only dispatches.
#ifndef GCPILOT_CLI_VERBS_H_
#define GCPILOT_CLI_VERBS_H_

#include <cstdint>
#include <functional>
#include <string>

#include <CLI/CLI.hpp>

namespace gcpilot::cli {

// Exit codes shared by every verb (STYLE.md): 0 ok, 1 input or runtime
// error, 2 usage error.
inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;
inline constexpr int kExitUsage = 2;

// Runs a verb after flags are parsed; returns the process exit code.
using VerbRun = std::function<int()>;

struct Verb {
  CLI::App* command;  // the subcommand, owned by the parent App
  VerbRun run;
};

Verb AddGctraceVerb(CLI::App& app);
Verb AddLoadVerb(CLI::App& app);
Verb AddTuneVerb(CLI::App& app);
Verb AddReportVerb(CLI::App& app);
Verb AddTraceVerb(CLI::App& app);  // verb_trace.cc: `gcpilot trace FILE`, `gcpilot trace dump FILE`

// Writes the HTML report of study `study` (0: newest) in `db` to `out_path`.
int WriteStudyReport(const std::string& db, int64_t study, const std::string& out_path);

}  // namespace gcpilot::cli

#endif  // GCPILOT_CLI_VERBS_H_
