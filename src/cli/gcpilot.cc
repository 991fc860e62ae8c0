// gcpilot: finds, proves and guards the Go GC settings that keep a
// service's tail latency low. This file only dispatches to the verbs.
#include <cstdio>
#include <vector>
#include <string>

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
    std::fprintf(stderr, "gcpilot: %s\nRun 'gcpilot --help' for usage.\n",
                 e.what());
    return kExitUsage;
  }
  for (const Verb& verb : verbs) {
    if (verb.command->parsed()) return verb.run();
  }
  return kExitUsage;
}
