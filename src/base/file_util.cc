#include "base/file_util.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <vector>

#include <fmt/format.h>

#include "base/fd_ostream.h"
#include "base/interrupt_note.h"
#include "base/output_target.h"
#include "base/read_file.h"
#include "base/unique_fd.h"

namespace gcpilot {

namespace {

Status CannotWrite(const std::string& path, int error) {
  return Status::IoError(fmt::format("{}: cannot write: {}", path, std::strerror(error)));
}

// Writes straight into a FIFO or device by name: it holds no old contents
// to keep, and renaming over it would replace the device or pipe itself.
Status WriteInPlace(const std::string& path, const std::function<void(std::ostream& out)>& write) {
  std::ofstream out(path, std::ios::binary);
  errno = 0;
  if (out) write(out);
  out.close();
  if (!out) return CannotWrite(path, errno ? errno : EIO);
  return Status::Ok();
}

// Writes into one of our descriptors at its offset (O_APPEND kept): the
// table printed to a redirected stdout before stays in the user's file.
Status WriteToOpenFd(const std::string& path, int fd, const std::function<void(std::ostream& out)>& write) {
  std::fflush(nullptr);  // what stdio holds for this descriptor goes first
  FdOstream out(fd);
  write(out);
  out.flush();
  if (!out) return CannotWrite(path, out.error() != 0 ? out.error() : EIO);
  return Status::Ok();
}

// Six random letters or digits for a temporary file's name.
std::string RandomSuffix() {
  static constexpr char kChars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  thread_local std::mt19937_64 rng{std::random_device{}()};
  std::uniform_int_distribution<size_t> pick(0, sizeof kChars - 2);
  std::string s(6, ' ');
  for (char& c : s) c = kChars[pick(rng)];
  return s;
}

// A temporary file beside `target` (".NAME.gcpilot-XXXXXX"), open for
// writing, removed when this goes out of scope or a stop signal arrives
// unless Commit() renamed it over the target.
class TempFile {
 public:
  explicit TempFile(const std::string& target) : target_(target) {
    const std::filesystem::path p(target);
    const std::string stem = (p.parent_path() / ("." + p.filename().string() + ".gcpilot-")).string();
    for (int attempt = 0; attempt < 100 && !fd_.valid(); ++attempt) {
      name_ = stem + RandomSuffix();
      on_stop_.emplace(name_);  // before the file exists, so no stop can miss it
      // 0666: the kernel applies the umask, as for a plain create.
      fd_ = UniqueFd(open(name_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666));
      error_ = fd_.valid() ? 0 : errno;
      if (error_ != EEXIST) break;
    }
    if (!fd_.valid()) {
      on_stop_.reset();
      name_.clear();
      return;
    }
    struct stat old {};
    if (stat(target_.c_str(), &old) == 0) fchmod(fd_.get(), old.st_mode & 07777);  // a replaced file keeps its mode
  }
  ~TempFile() {
    if (!name_.empty()) unlink(name_.c_str());
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  // errno of the failed create, 0 if the file is open.
  int error() const { return error_; }
  int fd() const { return fd_.get(); }
  // Flushes the file to disk and renames it over the target; errno or 0.
  int Commit() {
    if (fsync(fd_.get()) != 0) return errno;
    fd_.Reset();
    if (std::rename(name_.c_str(), target_.c_str()) != 0) return errno;
    name_.clear();
    on_stop_.reset();
    return 0;
  }

 private:
  std::string target_, name_;
  UniqueFd fd_;
  std::optional<RemovedOnStop> on_stop_;
  int error_ = 0;
};

// The regular-file case: a temporary beside `target`, renamed over it.
Status WriteThroughTemporary(const std::string& path, const std::string& target,
                             const std::function<void(std::ostream& out)>& write) {
  TempFile tmp(target);
  if (tmp.error() != 0) return CannotWrite(path, tmp.error());
  {
    FdOstream out(tmp.fd());
    write(out);
    out.flush();
    if (!out) return CannotWrite(path, out.error() != 0 ? out.error() : EIO);
  }
  if (const int e = tmp.Commit(); e != 0) return CannotWrite(path, e);
  return Status::Ok();
}

}  // namespace

Status WriteFileAtomically(const std::string& path, const std::function<void(std::ostream& out)>& write) {
  const OutputTarget target = ResolveOutput(path);
  switch (target.kind) {
    case OutputTarget::Kind::kDirectory:
      return Status::IoError(fmt::format("{}: is a directory", path));
    case OutputTarget::Kind::kOpenFd:
      return WriteToOpenFd(path, target.fd, write);
    case OutputTarget::Kind::kStream:
      return WriteInPlace(path, write);
    case OutputTarget::Kind::kFile:
      break;
  }
  return WriteThroughTemporary(path, target.path, write);
}

Status WriteFileAtomically(const std::string& path, std::string_view bytes) {
  return WriteFileAtomically(
      path, [&](std::ostream& out) { out.write(bytes.data(), static_cast<std::streamsize>(bytes.size())); });
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

bool SameFile(const std::string& a, const std::string& b) {
  struct stat sa {
  }, sb{};
  if (stat(a.c_str(), &sa) == 0 && stat(b.c_str(), &sb) == 0) return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
  std::error_code ea, eb;
  const auto pa = std::filesystem::weakly_canonical(a, ea), pb = std::filesystem::weakly_canonical(b, eb);
  return !ea && !eb && pa == pb;
}

std::string WhyUnwritable(const std::string& path) {
  const OutputTarget target = ResolveOutput(path);
  if (target.kind == OutputTarget::Kind::kDirectory) return "is a directory";
  if (target.kind == OutputTarget::Kind::kOpenFd) {
    const int flags = fcntl(target.fd, F_GETFL);
    return flags != -1 && (flags & O_ACCMODE) != O_RDONLY ? "" : fmt::format("cannot write: {}", std::strerror(EBADF));
  }
  const std::filesystem::path p(target.path);
  const std::filesystem::path dir = p.has_parent_path() ? p.parent_path() : std::filesystem::path(".");
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return fmt::format("directory {} does not exist", dir.string());
  if (access(std::filesystem::exists(p, ec) ? target.path.c_str() : dir.c_str(), W_OK) != 0) {
    return fmt::format("cannot write: {}", std::strerror(errno));
  }
  return "";
}

}  // namespace gcpilot
