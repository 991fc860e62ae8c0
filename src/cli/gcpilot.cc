// gcpilot: finds, proves and guards the Go GC settings that keep a
// service's tail latency low. This file only dispatches to the verbs.
#include <cstdio>
#include <string>
#include <vector>

#include "cli/verbs.h"

namespace {

using gcpilot::cli::Verb;

// Whether argv[1] is a word (not a flag) that no verb was parsed from.
bool FirstWordIsNoVerb(const std::vector<Verb>& verbs, int argc, char** argv) {
  if (argc < 2 || argv[1][0] == '-') return false;
  for (const Verb& verb : verbs) {
    if (verb.command->parsed()) return false;
  }
  return true;
}

// Prints a usage error naming the verb it belongs to, or the word that is
// not a verb; returns the usage exit status.
int UsageError(const std::vector<Verb>& verbs, const CLI::Error& e, int argc, char** argv) {
  std::string who = "gcpilot";
  for (const Verb& verb : verbs) {
    if (verb.command->parsed()) who += " " + verb.command->get_name();
  }
  std::string what = e.what();
  if (FirstWordIsNoVerb(verbs, argc, argv)) {
    std::string names;
    for (const Verb& verb : verbs) names += (names.empty() ? "" : ", ") + verb.command->get_name();
    what = "unknown command \"" + std::string(argv[1]) + "\" (commands: " + names + ")";
  }
  std::fprintf(stderr, "%s: %s\nRun '%s --help' for usage.\n", who.c_str(), what.c_str(), who.c_str());
  return gcpilot::cli::kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace gcpilot::cli;
  CLI::App app{
      "gcpilot: measure, explain, tune and guard Go GC settings for tail "
      "latency",
      "gcpilot"};  // fixed name: usage text must not depend on the path
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("gcpilot 0.1.0"));
  const std::vector<Verb> verbs = {
      AddGctraceVerb(app), AddLoadVerb(app), AddTuneVerb(app), AddReportVerb(app), AddTraceVerb(app),
  };
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    // "gcpilot NOSUCHVERB --help" is the unknown word, not a help request
    // (CLI11 acts on --help and --version before it looks at the word).
    if (FirstWordIsNoVerb(verbs, argc, argv)) return UsageError(verbs, e, argc, argv);
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    if (FirstWordIsNoVerb(verbs, argc, argv)) return UsageError(verbs, e, argc, argv);
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    if (FirstWordIsNoVerb(verbs, argc, argv)) return UsageError(verbs, e, argc, argv);
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    return UsageError(verbs, e, argc, argv);
  }
  for (const Verb& verb : verbs) {
    if (verb.command->parsed()) return verb.run();
  }
  return kExitUsage;
}
