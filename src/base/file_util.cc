#include "base/file_util.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <vector>

#include <fmt/format.h>

#include "base/read_file.h"

namespace gcpilot {

namespace {

// What is at `path` (symlinks followed).
enum class Target { kAbsentOrRegular, kDirectory, kStream };
Target TargetAt(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0 || S_ISREG(st.st_mode)) return Target::kAbsentOrRegular;
  return S_ISDIR(st.st_mode) ? Target::kDirectory : Target::kStream;  // a FIFO, /dev/stdout, /dev/null
}

// Writes straight into a stream target: it holds no old contents to keep,
// and renaming over it would replace the device or pipe itself.
Status WriteInPlace(const std::string& path, const std::function<void(std::ostream& out)>& write) {
  std::ofstream out(path, std::ios::binary);
  errno = 0;
  if (out) write(out);
  out.close();
  if (!out) return Status::IoError(fmt::format("{}: cannot write: {}", path, std::strerror(errno ? errno : EIO)));
  return Status::Ok();
}

// Where a write to `path` lands: a symlink's target, so the link stays.
std::string Resolved(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_symlink(path, ec)) return path;
  const std::filesystem::path target = std::filesystem::canonical(path, ec);
  return ec ? path : target.string();
}

// The mode the new file gets: the old file's, or what a plain create gives.
mode_t ModeFor(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) == 0) return st.st_mode & 07777;
  const mode_t mask = umask(0);
  umask(mask);
  return 0666 & ~mask;
}

// Holds SIGINT and SIGTERM in this thread while it lives: a stop arrives
// after the temporary file is renamed or removed, never in between.
class StopSignalsHeld {
 public:
  StopSignalsHeld() {
    sigset_t stops;
    sigemptyset(&stops);
    sigaddset(&stops, SIGINT);
    sigaddset(&stops, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stops, &old_);
  }
  ~StopSignalsHeld() { pthread_sigmask(SIG_SETMASK, &old_, nullptr); }
  StopSignalsHeld(const StopSignalsHeld&) = delete;
  StopSignalsHeld& operator=(const StopSignalsHeld&) = delete;

 private:
  sigset_t old_;
};

// A temporary file beside `target` (".NAME.gcpilot-XXXXXX"), removed when
// this goes out of scope unless Commit() renamed it over the target.
class TempFile {
 public:
  explicit TempFile(const std::string& target) : target_(target) {
    const std::filesystem::path p(target);
    name_ = (p.parent_path() / ("." + p.filename().string() + ".gcpilot-XXXXXX")).string();
    const int fd = mkstemp(name_.data());
    if (fd < 0) {
      error_ = errno;
      name_.clear();
      return;
    }
    fchmod(fd, ModeFor(target));
    close(fd);
  }
  ~TempFile() {
    if (!name_.empty()) unlink(name_.c_str());
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  // errno of the failed create, 0 if the file exists.
  int error() const { return error_; }
  const std::string& name() const { return name_; }
  // Flushes the file to disk and renames it over the target; errno or 0.
  int Commit() {
    const int fd = open(name_.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fsync(fd) != 0) {
      const int e = errno;
      if (fd >= 0) close(fd);
      return e;
    }
    close(fd);
    if (std::rename(name_.c_str(), target_.c_str()) != 0) return errno;
    name_.clear();
    return 0;
  }

 private:
  std::string target_, name_;
  int error_ = 0;
};

Status CannotWrite(const std::string& path, int error) {
  return Status::IoError(fmt::format("{}: cannot write: {}", path, std::strerror(error)));
}

}  // namespace

Status WriteFileAtomically(const std::string& path, const std::function<void(std::ostream& out)>& write) {
  const Target target = TargetAt(path);
  if (target == Target::kDirectory) return Status::IoError(fmt::format("{}: is a directory", path));
  if (target == Target::kStream) return WriteInPlace(path, write);
  const StopSignalsHeld held;
  TempFile tmp(Resolved(path));
  if (tmp.error() != 0) return CannotWrite(path, tmp.error());
  std::ofstream out(tmp.name(), std::ios::binary | std::ios::trunc);
  errno = 0;
  write(out);
  out.close();
  if (!out) return CannotWrite(path, errno != 0 ? errno : EIO);
  if (const int e = tmp.Commit(); e != 0) return CannotWrite(path, e);
  return Status::Ok();
}

Status WriteFileAtomically(const std::string& path, std::string_view bytes) {
  return WriteFileAtomically(
      path, [&](std::ostream& out) { out.write(bytes.data(), static_cast<std::streamsize>(bytes.size())); });
}

Status ReadInputFile(const std::string& path, std::string* out) {
  struct stat st {};
  const bool is_dir = stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
  if (is_dir) return Status::IoError(fmt::format("{}: is a directory", path));
  errno = 0;
  if (!ReadFileToString(path, out)) {
    const int e = errno != 0 ? errno : EIO;
    const std::string why = fmt::format("{}: cannot open: {}", path, std::strerror(e));
    return e == ENOENT ? Status::NotFound(why) : Status::IoError(why);
  }
  return Status::Ok();
}

std::string TailLines(const std::string& path, int n, size_t max_bytes) {
  const std::string text = ReadFileOrEmpty(path);
  std::vector<std::string_view> lines;
  for (std::string_view rest = text; !rest.empty();) {
    const size_t nl = rest.find('\n');
    const std::string_view line = rest.substr(0, nl);
    if (!line.empty()) lines.push_back(line);
    rest.remove_prefix(nl == std::string_view::npos ? rest.size() : nl + 1);
  }
  std::string tail;
  for (size_t i = lines.size() > static_cast<size_t>(n) ? lines.size() - n : 0; i < lines.size(); ++i) {
    tail += (tail.empty() ? "" : "|") + std::string(lines[i]);
  }
  return tail.size() > max_bytes ? tail.substr(tail.size() - max_bytes) : tail;
}

std::string WhyUnwritable(const std::string& path) {
  const std::filesystem::path p(path);
  const std::filesystem::path dir = p.has_parent_path() ? p.parent_path() : std::filesystem::path(".");
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return fmt::format("directory {} does not exist", dir.string());
  if (TargetAt(path) == Target::kDirectory) return "is a directory";
  if (access(std::filesystem::exists(p, ec) ? path.c_str() : dir.c_str(), W_OK) != 0) {
    return fmt::format("cannot write: {}", std::strerror(errno));
  }
  return "";
}

}  // namespace gcpilot
