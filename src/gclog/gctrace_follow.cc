#include "gclog/gctrace_follow.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include <fmt/format.h>

namespace gcpilot {

// The reader parses each line as its '\n' is fed, so every cycle it
// yields belongs to the bytes being fed: it takes their clock. The filter
// passes cycles on in the same order, minus those it drops, so the one it
// passes is the first parsed one equal to it.
GctraceFollower::GctraceFollower(std::string path)
    : path_(std::move(path)),
      reader_(
          path_,
          [this](const GcCycle& c) {
            while (!parsed_.empty() && !(parsed_.front().cycle == c)) parsed_.pop_front();
            if (parsed_.empty()) return;  // cannot happen: every passed cycle was parsed
            passed_.push_back(std::move(parsed_.front()));
            parsed_.pop_front();
          },
          [this](const GcCycle& c) {
            parsed_.push_back({c, feeding_ns_});
          }) {}

StatusOr<bool> GctraceFollower::Open() {
  if (fd_.valid()) return true;
  const int fd = open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT) return false;  // not written yet
  if (fd < 0) return Status::IoError(fmt::format("{}: {}", path_, std::strerror(errno)));
  fd_ = UniqueFd(fd);
  return true;
}

void GctraceFollower::Feed(std::string_view bytes, int64_t now_ns) {
  feeding_ns_ = now_ns;
  reader_.Feed(bytes);
}

StatusOr<std::vector<FollowedCycle>> GctraceFollower::Poll(int64_t now_ns) {
  if (!failed_.ok()) return failed_;
  auto open = Open();
  if (!open.ok()) return failed_ = open.status();
  if (!*open) return std::vector<FollowedCycle>{};
  struct stat st {};
  if (fstat(fd_.get(), &st) != 0) return failed_ = Status::IoError(fmt::format("{}: {}", path_, std::strerror(errno)));
  if (st.st_size < offset_) {
    return failed_ = Status::IoError(fmt::format("{}: shrank from {} to {} bytes while it was followed", path_, offset_,
                                                 static_cast<int64_t>(st.st_size)));
  }
  const size_t want = std::min<int64_t>(st.st_size - offset_, kMaxPollBytes);
  std::string buf(want, '\0');
  size_t got = 0;
  while (got < want) {
    const ssize_t n = pread(fd_.get(), buf.data() + got, want - got, offset_ + got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return failed_ = Status::IoError(fmt::format("{}: {}", path_, std::strerror(errno)));
    if (n == 0) break;  // truncated between fstat and read: the next poll says so
    got += n;
  }
  offset_ += got;
  Feed(std::string_view(buf.data(), got), now_ns);
  return std::exchange(passed_, {});
}

std::vector<FollowedCycle> GctraceFollower::Finish(int64_t now_ns) {
  feeding_ns_ = now_ns;
  reader_.Finish();
  return std::exchange(passed_, {});
}

std::optional<FollowedCycle> GctraceFollower::held() const {
  if (!reader_.held() || parsed_.empty()) return std::nullopt;
  return parsed_.back();
}

}  // namespace gcpilot
