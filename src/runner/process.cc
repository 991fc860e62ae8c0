#include "runner/process.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <thread>

#include <fmt/format.h>

namespace gcpilot {
namespace {

// What the child reports over the exec pipe when it cannot run argv[0].
struct ExecFailure {
  int step;  // 0 exec, 1 stdout, 2 stderr, 3 chdir, 4 affinity
  int err;
};

ExitInfo FromWait(int status, const rusage& ru) {
  ExitInfo e;
  if (WIFSIGNALED(status)) {
    e.signaled = true;
    e.signal = WTERMSIG(status);
  } else {
    e.code = WEXITSTATUS(status);
  }
  e.peak_rss_bytes = static_cast<int64_t>(ru.ru_maxrss) * 1024;
  auto ns = [](const timeval& tv) {
    return static_cast<int64_t>(tv.tv_sec) * 1'000'000'000 + static_cast<int64_t>(tv.tv_usec) * 1000;
  };
  e.cpu_ns = ns(ru.ru_utime) + ns(ru.ru_stime);
  return e;
}

[[noreturn]] void ChildFail(int fd, int step) {
  ExecFailure f{step, errno};
  [[maybe_unused]] ssize_t n = write(fd, &f, sizeof f);
  _exit(127);
}

}  // namespace

std::string ExitInfo::Describe() const {
  if (!signaled) return fmt::format("exit {}", code);
  const char* name = sigabbrev_np(signal);
  return fmt::format("killed by SIG{}", name ? name : std::to_string(signal));
}

StatusOr<Process> Process::Start(const ProcessSpec& spec) {
  if (spec.argv.empty() || spec.argv[0].empty()) {
    return Status::InvalidArgument("empty command line");
  }
  // Everything the child needs is prepared before fork: after fork only
  // async-signal-safe calls are allowed.
  std::vector<std::string> env_strings;
  for (char** e = environ; *e; ++e) {
    std::string_view kv(*e);
    const std::string_view key = kv.substr(0, kv.find('='));
    bool overridden = false;
    for (const auto& [k, v] : spec.env) overridden |= (k == key);
    for (const auto& k : spec.unset_env) overridden |= (k == key);
    if (!overridden) env_strings.emplace_back(kv);
  }
  for (const auto& [k, v] : spec.env) env_strings.push_back(k + "=" + v);
  std::vector<char*> envp, argv;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<std::string> args = spec.argv;
  for (auto& s : args) argv.push_back(s.data());
  argv.push_back(nullptr);
  cpu_set_t cpus;
  CPU_ZERO(&cpus);
  for (int c : spec.cpus) {
    if (c < 0 || c >= CPU_SETSIZE) {
      return Status::InvalidArgument(fmt::format("CPU {} out of range", c));
    }
    CPU_SET(c, &cpus);
  }
  const std::string out = spec.stdout_path.empty() ? "/dev/null" : spec.stdout_path;
  const std::string err = spec.stderr_path.empty() ? "/dev/null" : spec.stderr_path;

  int pipefd[2];
  if (pipe2(pipefd, O_CLOEXEC) != 0) {
    return Status::IoError(fmt::format("pipe: {}", std::strerror(errno)));
  }
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) {
    close(pipefd[0]);
    close(pipefd[1]);
    return Status::IoError(fmt::format("fork: {}", std::strerror(errno)));
  }
  if (pid == 0) {
    close(pipefd[0]);
    // Own process group, so a stop reaches only the target and its children.
    setpgid(0, 0);
    if (spec.kill_with_parent) {
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (getppid() != parent) _exit(127);  // the parent died before prctl
    }
    const int o = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (o < 0 || dup2(o, 1) < 0) ChildFail(pipefd[1], 1);
    const int e = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (e < 0 || dup2(e, 2) < 0) ChildFail(pipefd[1], 2);
    const int in = open("/dev/null", O_RDONLY);
    if (in >= 0) dup2(in, 0);
    if (!spec.working_dir.empty() && chdir(spec.working_dir.c_str()) != 0) {
      ChildFail(pipefd[1], 3);
    }
    if (!spec.cpus.empty() && sched_setaffinity(0, sizeof cpus, &cpus) != 0) {
      ChildFail(pipefd[1], 4);
    }
    signal(SIGPIPE, SIG_DFL);
    execvpe(argv[0], argv.data(), envp.data());
    ChildFail(pipefd[1], 0);
  }
  close(pipefd[1]);
  ExecFailure f{};
  ssize_t n;
  do {
    n = read(pipefd[0], &f, sizeof f);
  } while (n < 0 && errno == EINTR);
  close(pipefd[0]);
  Process p(pid);
  if (n == static_cast<ssize_t>(sizeof f)) {
    p.Wait(std::chrono::seconds(5));
    static constexpr const char* kStep[] = {"cannot execute", "cannot open stdout file", "cannot open stderr file",
                                            "cannot enter working directory", "cannot pin to CPUs"};
    const std::string what = f.step == 1 ? out : f.step == 2 ? err : f.step == 3 ? spec.working_dir : spec.argv[0];
    const std::string msg = fmt::format("{}: {}: {}", what, kStep[f.step], std::strerror(f.err));
    if (f.step == 0 && (f.err == ENOENT || f.err == EACCES)) {
      return Status::NotFound(msg);
    }
    return Status::IoError(msg);
  }
  return p;
}

Process::Process(Process&& other) noexcept : pid_(std::exchange(other.pid_, -1)), exit_(std::move(other.exit_)) {}

Process& Process::operator=(Process&& other) noexcept {
  if (this != &other) {
    if (pid_ > 0 && !exit_) Stop(std::chrono::milliseconds(0));
    pid_ = std::exchange(other.pid_, -1);
    exit_ = std::move(other.exit_);
  }
  return *this;
}

Process::~Process() {
  if (pid_ > 0 && !exit_) Stop(std::chrono::milliseconds(0));
}

std::optional<ExitInfo> Process::Poll() {
  if (exit_ || pid_ <= 0) return exit_;
  int status = 0;
  rusage ru{};
  pid_t r;
  do {
    r = wait4(pid_, &status, WNOHANG, &ru);
  } while (r < 0 && errno == EINTR);
  if (r == pid_) {
    exit_ = FromWait(status, ru);
    // Children the target left in its group go with it.
    kill(-pid_, SIGKILL);
  }
  return exit_;
}

std::optional<ExitInfo> Process::Wait(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  auto step = std::chrono::milliseconds(1);
  while (!Poll()) {
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(step);
    step = std::min(step * 2, std::chrono::milliseconds(20));
  }
  return exit_;
}

ExitInfo Process::Stop(std::chrono::milliseconds grace) {
  if (Poll()) return *exit_;
  if (grace.count() > 0) {
    kill(pid_, SIGTERM);
    if (Wait(grace)) return *exit_;
  }
  kill(-pid_, SIGKILL);
  kill(pid_, SIGKILL);
  while (!Wait(std::chrono::seconds(10))) kill(pid_, SIGKILL);
  return *exit_;
}

int64_t Process::RssBytes() const {
  if (exit_ || pid_ <= 0) return -1;
  std::ifstream in("/proc/" + std::to_string(pid_) + "/statm");
  int64_t size = 0, resident = 0;
  if (!(in >> size >> resident)) return -1;
  return resident * sysconf(_SC_PAGESIZE);
}

}  // namespace gcpilot
