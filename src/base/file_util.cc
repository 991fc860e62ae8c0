#include "base/file_util.h"

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

Status WriteFileAtomically(const std::string& path, std::string_view bytes) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    if (!out.good()) {
      std::remove(tmp.c_str());
      return Status::IoError(fmt::format("{}: cannot write", path));
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return Status::IoError(fmt::format("{}: cannot write", path));
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
  if (std::filesystem::is_directory(p, ec)) return "is a directory";
  if (access(std::filesystem::exists(p, ec) ? path.c_str() : dir.c_str(), W_OK) != 0) {
    return fmt::format("cannot write: {}", std::strerror(errno));
  }
  return "";
}

}  // namespace gcpilot
