#include "cli/bundled_gateway.h"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <vector>

#include <fmt/format.h>

namespace gcpilot::cli {
namespace {

// A place a gateway may be: its binary and the folder holding
// workloads/paygate/load.toml, and which kind of copy of gcpilot has it.
struct Layout {
  std::string binary, data_dir, what;
};

// "/opt/gcpilot/bin/../.." as "/opt": no "..", no trailing '/'.
std::string Normal(const std::filesystem::path& p) {
  std::string s = p.lexically_normal().string();
  if (s.size() > 1 && s.back() == '/') s.pop_back();
  return s;
}

std::vector<Layout> Layouts(const std::string& self_dir) {
  const std::filesystem::path self(self_dir);
  return {
      {Normal(self / "../../paygate"), Normal(self / "../.."), "a build tree"},
      {Normal(self / GCPILOT_BIN_TO_LIBEXEC / "paygate"), Normal(self / GCPILOT_BIN_TO_DATA), "an installed copy"},
  };
}

// A regular file we may execute (access() alone passes directories).
bool IsExecutableFile(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && access(path.c_str(), X_OK) == 0;
}

std::string MixOf(const std::string& data_dir) { return data_dir + "/workloads/paygate/load.toml"; }

// "  PATH (a build tree)" a line for each layout, for the errors.
std::string Tried(const std::vector<Layout>& layouts, std::string (*path)(const Layout&)) {
  std::string lines;
  for (const Layout& l : layouts) lines += fmt::format("\n  {} ({})", path(l), l.what);
  return lines;
}

Status NoGateway(const std::vector<Layout>& layouts) {
  return Status::NotFound(
      fmt::format("the built-in study's gateway (workloads/paygate) is not where gcpilot looks:{}\n"
                  "build it (ninja -C BUILD), install it (cmake --install BUILD), or name one: --paygate FILE or "
                  "GCPILOT_PAYGATE=FILE",
                  Tried(layouts, [](const Layout& l) { return l.binary; })));
}

Status NoMix(const std::vector<Layout>& layouts) {
  return Status::NotFound(
      fmt::format("the built-in study's request mix (workloads/paygate/load.toml) is not where gcpilot looks:{}\n"
                  "install gcpilot (cmake --install BUILD) or name one: --requests FILE",
                  Tried(layouts, [](const Layout& l) { return MixOf(l.data_dir); })));
}

}  // namespace

std::string SelfDir() {
  std::error_code ec;
  return std::filesystem::read_symlink("/proc/self/exe", ec).parent_path().string();
}

StatusOr<BundledGateway> FindBundledGateway(const std::string& self_dir, const std::string& flag, const char* env,
                                            bool need_mix) {
  const std::vector<Layout> layouts = Layouts(self_dir);
  BundledGateway found;
  const std::string named = !flag.empty() ? flag : env ? env : "";
  size_t from = 0;  // the layout the binary came from: its own mix first
  if (!named.empty()) {
    if (!IsExecutableFile(named)) {
      const std::string by = !flag.empty() ? "--paygate " + flag : fmt::format("GCPILOT_PAYGATE={}", named);
      return Status::NotFound(fmt::format("{}: does not exist or is not an executable file", by));
    }
    found.binary = named;
  } else {
    while (from < layouts.size() && !IsExecutableFile(layouts[from].binary)) ++from;
    if (from == layouts.size()) return NoGateway(layouts);
    found.binary = layouts[from].binary;
  }
  std::error_code ec;
  for (size_t i = 0; i < layouts.size() && found.data_dir.empty(); ++i) {
    const Layout& l = layouts[(from + i) % layouts.size()];
    if (std::filesystem::is_regular_file(MixOf(l.data_dir), ec)) found.data_dir = l.data_dir;
  }
  if (found.data_dir.empty() && need_mix) return NoMix(layouts);
  return found;
}

}  // namespace gcpilot::cli
