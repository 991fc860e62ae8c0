#include "base/output_target.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <charconv>
#include <filesystem>
#include <string_view>

namespace gcpilot {
namespace {

namespace fs = std::filesystem;

constexpr int kMaxLinks = 40;  // as the kernel's ELOOP bound

bool IsOpen(int fd) { return fcntl(fd, F_GETFD) != -1; }

bool IsOpenForWriting(int fd) {
  const int flags = fcntl(fd, F_GETFL);
  return flags != -1 && (flags & O_ACCMODE) != O_RDONLY;
}

// N of "PREFIX" + N (digits only), or -1.
int FdAfter(std::string_view path, std::string_view prefix) {
  if (path.substr(0, prefix.size()) != prefix) return -1;
  const std::string_view digits = path.substr(prefix.size());
  int fd = -1;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), fd);
  return ec == std::errc() && end == digits.data() + digits.size() && !digits.empty() ? fd : -1;
}

// The descriptor `path` names by its spelling, if one of ours is open.
int FdNamedBy(const std::string& path) {
  const std::string p = fs::path(path).lexically_normal().string();
  int fd = p == "/dev/stdin" ? 0 : p == "/dev/stdout" ? 1 : p == "/dev/stderr" ? 2 : -1;
  const std::string own_proc = "/proc/" + std::to_string(getpid()) + "/fd/";
  for (const char* prefix : {"/dev/fd/", "/proc/self/fd/", "/proc/thread-self/fd/"}) {
    if (fd < 0) fd = FdAfter(p, prefix);
  }
  if (fd < 0) fd = FdAfter(p, own_proc);
  return fd >= 0 && IsOpen(fd) ? fd : -1;
}

// Which of our writable descriptors 0..2 is the file `st` describes.
int StandardFdOf(const struct stat& st) {
  for (int fd = 0; fd <= 2; ++fd) {
    struct stat open {};
    if (IsOpenForWriting(fd) && fstat(fd, &open) == 0 && open.st_dev == st.st_dev && open.st_ino == st.st_ino) {
      return fd;
    }
  }
  return -1;
}

}  // namespace

OutputTarget ResolveOutput(const std::string& path) {
  std::string at = path;
  for (int links = 0; links <= kMaxLinks; ++links) {
    if (const int fd = FdNamedBy(at); fd >= 0) return {OutputTarget::Kind::kOpenFd, path, fd};
    std::error_code ec;
    if (!fs::is_symlink(at, ec)) break;
    const fs::path next = fs::read_symlink(at, ec);
    if (ec) break;
    at = (next.is_absolute() ? next : fs::path(at).parent_path() / next).lexically_normal().string();
  }
  struct stat st {};
  if (stat(at.c_str(), &st) != 0) return {OutputTarget::Kind::kFile, at};
  if (S_ISDIR(st.st_mode)) return {OutputTarget::Kind::kDirectory, path};
  if (const int fd = StandardFdOf(st); fd >= 0) return {OutputTarget::Kind::kOpenFd, path, fd};
  if (!S_ISREG(st.st_mode)) return {OutputTarget::Kind::kStream, path};  // a FIFO, /dev/null
  return {OutputTarget::Kind::kFile, at};
}

}  // namespace gcpilot
