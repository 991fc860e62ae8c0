// Writes the fixture reports (full, single, failed) into a directory, for
// the headless-browser test.
#include <cstdio>
#include <fstream>

#include "report/report_fixture.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: report_fixture DIR\n");
    return 2;
  }
  for (const char* kind : {"full", "single", "failed"}) {
    std::ofstream(std::string(argv[1]) + "/report_" + kind + ".html")
        << gcpilot::RenderReport(gcpilot::ReportFixture(kind));
  }
  return 0;
}
