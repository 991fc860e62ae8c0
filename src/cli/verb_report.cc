// `gcpilot report STUDY.db -o report.html`: the study as one self-contained
// HTML page.
#include <cstdio>
#include <string>

#include "base/file_util.h"
#include "cli/verbs.h"
#include "report/report.h"
#include "store/study_store.h"

namespace gcpilot::cli {

// Shared with tune, which writes the report at its end.
int WriteStudyReport(const std::string& db, int64_t study, const std::string& out_path) {
  if (out_path != "-" && SameFile(out_path, db)) {
    std::fprintf(stderr, "gcpilot report: -o %s: is the study database: the page would replace the study\n",
                 out_path.c_str());
    return kExitUsage;
  }
  if (const std::string why = out_path == "-" ? "" : WhyUnwritable(out_path); !why.empty()) {
    std::fprintf(stderr, "gcpilot report: %s: %s\n", out_path.c_str(), why.c_str());
    return kExitError;  // before reading the study, and never DIR.tmp
  }
  auto store = StudyStore::OpenExisting(db);
  if (!store.ok()) {
    std::fprintf(stderr, "gcpilot report: %s\n", store.status().message().c_str());
    return kExitError;
  }
  auto in = LoadReportInput(*store, study);
  if (!in.ok()) {
    const std::string why = in.status().message();  // store errors name the file already
    if (why.rfind(db + ":", 0) == 0) {
      std::fprintf(stderr, "gcpilot report: %s\n", why.c_str());
    } else {
      std::fprintf(stderr, "gcpilot report: %s: %s\n", db.c_str(), why.c_str());
    }
    return kExitError;
  }
  const std::string html = RenderReport(*in);
  if (out_path == "-") {
    std::fwrite(html.data(), 1, html.size(), stdout);
    return kExitOk;
  }
  if (Status st = WriteFileAtomically(out_path, html); !st.ok()) {
    std::fprintf(stderr, "gcpilot report: %s\n", st.message().c_str());
    return kExitError;
  }
  return kExitOk;
}

namespace {

struct ReportFlags {
  std::string db;
  std::string out = "report.html";
  int64_t study = 0;
};

}  // namespace

Verb AddReportVerb(CLI::App& app) {
  auto f = std::make_shared<ReportFlags>();
  CLI::App* cmd =
      app.add_subcommand("report", "Write a study as one self-contained HTML page (inline SVG plots, no scripts)");
  cmd->add_option("STUDY.db", f->db, "study database written by gcpilot tune")->required();
  cmd->add_option("-o,--output", f->out, "HTML file to write, - for stdout")->capture_default_str();
  cmd->add_option("--study", f->study, "study id in the database (default: the newest)");
  cmd->footer("Exit status: 0 written, 1 unreadable database or unwritable output, 2 usage error.");
  return {cmd, [f] {
            const int rc = WriteStudyReport(f->db, f->study, f->out);
            if (rc == kExitOk && f->out != "-") std::fprintf(stderr, "gcpilot report: wrote %s\n", f->out.c_str());
            return rc;
          }};
}

}  // namespace gcpilot::cli
