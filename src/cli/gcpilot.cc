// gcpilot: finds, proves and guards the Go GC settings that keep a
// service's tail latency low. This file only dispatches to the verbs.
#include <cstdio>
#include <string>
#include <vector>

#include "cli/verbs.h"

int main(int argc, char** argv) {
  using namespace gcpilot::cli;
  CLI::App app{
      "gcpilot: measure, explain, tune and guard Go GC settings for tail "
      "latency",
      "gcpilot"};  // fixed name: usage text must not depend on the path
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("gcpilot 0.1.0"));
  const std::vector<Verb> verbs = {
      AddGctraceVerb(app),
      AddLoadVerb(app),
      AddTuneVerb(app),
      AddReportVerb(app),
  };
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // Name the verb the error belongs to, or the word that is not a verb.
    std::string who = "gcpilot";
    for (const Verb& verb : verbs) {
      if (verb.command->parsed()) who += " " + verb.command->get_name();
    }
    std::string what = e.what();
    if (who == "gcpilot" && argc > 1 && argv[1][0] != '-') {
      std::string names;
      for (const Verb& verb : verbs) names += (names.empty() ? "" : ", ") + verb.command->get_name();
      what = "unknown command \"" + std::string(argv[1]) + "\" (commands: " + names + ")";
    }
    std::fprintf(stderr, "%s: %s\nRun '%s --help' for usage.\n", who.c_str(), what.c_str(), who.c_str());
    return kExitUsage;
  }
  for (const Verb& verb : verbs) {
    if (verb.command->parsed()) return verb.run();
  }
  return kExitUsage;
}
