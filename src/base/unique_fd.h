// UniqueFd: owns a file descriptor and closes it when destroyed. A
// borrowed descriptor (stdin) is held with owned = false and never closed.
#ifndef GCPILOT_BASE_UNIQUE_FD_H_
#define GCPILOT_BASE_UNIQUE_FD_H_

#include <unistd.h>

#include <utility>

namespace gcpilot {

class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd, bool owned = true) : fd_(fd), owned_(owned) {}
  UniqueFd(UniqueFd&& o) noexcept : fd_(std::exchange(o.fd_, -1)), owned_(o.owned_) {}
  UniqueFd& operator=(UniqueFd&& o) noexcept {
    if (this != &o) {
      Reset();
      fd_ = std::exchange(o.fd_, -1);
      owned_ = o.owned_;
    }
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { Reset(); }

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  void Reset() {
    if (owned_ && fd_ >= 0) close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
  bool owned_ = true;
};

}  // namespace gcpilot

#endif  // GCPILOT_BASE_UNIQUE_FD_H_
