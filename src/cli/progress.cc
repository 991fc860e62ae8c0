#include "cli/progress.h"

#include <unistd.h>

#include <cstdio>

namespace gcpilot::cli {

Progress::Progress() : enabled_(isatty(2) == 1), start_(std::chrono::steady_clock::now()), last_(start_) {}

Progress::~Progress() { Done(); }

double Progress::elapsed_s() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void Progress::Update(const std::string& text) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (drawn_ && now - last_ < std::chrono::milliseconds(250)) return;
  last_ = now;
  std::fprintf(stderr, "\r\033[K%s", text.c_str());
  std::fflush(stderr);
  drawn_ = true;
}

void Progress::Done() {
  if (enabled_ && drawn_) {
    std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
  }
  drawn_ = false;
}

}  // namespace gcpilot::cli
