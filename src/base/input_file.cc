#include "base/input_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "base/unique_fd.h"

namespace gcpilot {

Status InputFileError(const std::string& path, int error, std::string_view what) {
  if (error == EISDIR) return Status::IoError(fmt::format("{}: is a directory, not {}", path, what));
  const std::string why = fmt::format("{}: cannot open: {}", path, std::strerror(error));
  return error == ENOENT ? Status::NotFound(why) : Status::IoError(why);
}

Status CheckInputFile(const std::string& path, std::string_view what) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) return InputFileError(path, errno, what);
  if (S_ISDIR(st.st_mode)) return InputFileError(path, EISDIR, what);
  if (access(path.c_str(), R_OK) != 0) return InputFileError(path, errno, what);
  return Status::Ok();
}

Status ReadInputFile(const std::string& path, std::string_view what, std::string* out, size_t max_bytes) {
  const UniqueFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return InputFileError(path, errno, what);
  struct stat st {};
  if (fstat(fd.get(), &st) == 0 && S_ISDIR(st.st_mode)) return InputFileError(path, EISDIR, what);
  out->clear();
  char buf[64 * 1024];
  for (;;) {
    const ssize_t n = read(fd.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::IoError(fmt::format("{}: read failed: {}", path, std::strerror(errno)));
    if (n == 0) return Status::Ok();
    if (out->size() + static_cast<size_t>(n) > max_bytes) {
      out->clear();
      return Status::Corruption(fmt::format("{}: larger than {} MiB, too large for {}", path, max_bytes >> 20, what));
    }
    out->append(buf, static_cast<size_t>(n));
  }
}

}  // namespace gcpilot
