// Starting, watching and stopping a target service: argv (never a shell
// string), extra environment, CPU pinning, output to files, and on exit
// the exact peak RSS and CPU time the kernel accounted (wait4 rusage).
#ifndef GCPILOT_RUNNER_PROCESS_H_
#define GCPILOT_RUNNER_PROCESS_H_

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"

namespace gcpilot {

struct ProcessSpec {
  std::vector<std::string> argv;  // argv[0] is looked up in PATH if bare
  // Set (or override) in the inherited environment, in order.
  std::vector<std::pair<std::string, std::string>> env;
  std::vector<std::string> unset_env;  // removed from the inherited environment
  // The child is killed (SIGKILL) if this process dies, so a study killed
  // with kill -9 leaves no target running.
  bool kill_with_parent = true;
  std::vector<int> cpus;    // CPU affinity; empty inherits ours
  std::string stdout_path;  // file to write; empty: /dev/null
  std::string stderr_path;  // file to write; empty: /dev/null
  std::string working_dir;  // empty: ours
};

struct ExitInfo {
  bool signaled = false;
  int code = 0;                // exit status when !signaled
  int signal = 0;              // terminating signal when signaled
  int64_t peak_rss_bytes = 0;  // ru_maxrss of the process
  int64_t cpu_ns = 0;          // user + system CPU time
  // "exit 0", "exit 3", "killed by SIGKILL", ...
  std::string Describe() const;
  bool clean() const { return !signaled && code == 0; }
};

// A live child process. Move-only; the destructor kills (SIGKILL) and reaps
// a child still running, so no test or study leaves one behind.
class Process {
 public:
  // Forks and execs spec.argv. An argv[0] that cannot be executed is
  // reported here as kNotFound naming it (the exec error travels back over
  // a close-on-exec pipe), not as a child that exits 127.
  static StatusOr<Process> Start(const ProcessSpec& spec);

  Process(Process&& other) noexcept;
  Process& operator=(Process&& other) noexcept;
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;
  ~Process();

  pid_t pid() const { return pid_; }

  // Reaps the child if it has exited; nullopt while it runs.
  std::optional<ExitInfo> Poll();

  // Waits up to `timeout` for the child to exit on its own.
  std::optional<ExitInfo> Wait(std::chrono::milliseconds timeout);

  // SIGTERM, up to `grace` to exit, then SIGKILL. Returns how it ended.
  ExitInfo Stop(std::chrono::milliseconds grace);

  // Resident set size now, from /proc/PID/statm; -1 if it is gone.
  int64_t RssBytes() const;

 private:
  explicit Process(pid_t pid) : pid_(pid) {}
  pid_t pid_ = -1;
  std::optional<ExitInfo> exit_;
};

}  // namespace gcpilot

#endif  // GCPILOT_RUNNER_PROCESS_H_
