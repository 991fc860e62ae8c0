// Progress lines for long work: shown on stderr only when it is a terminal,
// redrawn in place at most a few times a second; silent otherwise.
#ifndef GCPILOT_CLI_PROGRESS_H_
#define GCPILOT_CLI_PROGRESS_H_

#include <chrono>
#include <string>

namespace gcpilot::cli {

class Progress {
 public:
  Progress();
  ~Progress();
  // Redraws `text` if enough time passed since the last draw.
  void Update(const std::string& text);
  // Erases the line (if anything was drawn).
  void Done();
  bool enabled() const { return enabled_; }
  // Seconds since construction.
  double elapsed_s() const;

 private:
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_, last_;
};

}  // namespace gcpilot::cli

#endif  // GCPILOT_CLI_PROGRESS_H_
