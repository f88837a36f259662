#pragma once
// The orchestrator's handle on one `weft-bench gossip-worker` child (gossip_worker.cpp):
// starts it (this executable, re-executed), sends command lines, reads answer lines with a
// deadline, and reads its /proc figures. The child dies with the orchestrator
// (PR_SET_PDEATHSIG) and when its stdin closes.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace weft::bench {

class WorkerProcess {
 public:
  /// Starts the worker; `arguments` follow `gossip-worker`. Exits the program when fork
  /// or pipe fail.
  explicit WorkerProcess(const std::vector<std::string>& arguments);
  ~WorkerProcess();  ///< SIGKILLs the child if it still runs, then reaps it
  WorkerProcess(const WorkerProcess&) = delete;
  WorkerProcess& operator=(const WorkerProcess&) = delete;

  void send(const std::string& command);
  /// The next answer line, or nullopt when `timeout` passes first or the child is gone.
  std::optional<std::string> read_line(std::chrono::milliseconds timeout);
  /// send + read_line; exits the program (with the child's status) when no answer comes.
  std::string ask(const std::string& command, std::chrono::milliseconds timeout = std::chrono::seconds(60));

  pid_t pid() const noexcept { return pid_; }

  /// utime + stime of all its threads, seconds (10 ms ticks); NaN when unreadable.
  double cpu_seconds() const;
  /// VmRSS / VmHWM of /proc/<pid>/status, KiB (0 when unreadable).
  std::uint64_t rss_kib() const;
  std::uint64_t peak_rss_kib() const;

 private:
  pid_t pid_ = -1;
  int to_ = -1;
  int from_ = -1;
  std::string buffer_;
};

}  // namespace weft::bench
