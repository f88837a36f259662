#pragma once
// A child process that keeps running while the test talks to it (e.g. `weft node run`):
// its stdout and stderr go to files the test can poll; stop() sends SIGTERM and waits.

#include "run_process.hpp"

#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace weft::test {

class BackgroundProcess {
 public:
  BackgroundProcess(const std::string& program, const std::vector<std::string>& args) {
    out_path_ = dir_.path() / "stdout";
    err_path_ = dir_.path() / "stderr";
    std::fflush(nullptr);
    pid_ = fork();
    if (pid_ < 0) std::abort();
    if (pid_ == 0) {
      if (!std::freopen("/dev/null", "rb", stdin) || !std::freopen(out_path_.c_str(), "wb", stdout) ||
          !std::freopen(err_path_.c_str(), "wb", stderr)) {
        _exit(127);
      }
      exec_in_child(program, args);
    }
  }
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;
  ~BackgroundProcess() { stop(); }

  /// The first stdout line starting with `prefix`, waiting up to `patience` for it (polling;
  /// a generous bound for a slow machine, not a performance assertion). nullopt if the
  /// process exits or the time runs out.
  std::optional<std::string> wait_for_line(const std::string& prefix,
                                           std::chrono::seconds patience = std::chrono::seconds(60)) {
    const auto give_up = std::chrono::steady_clock::now() + patience;
    while (std::chrono::steady_clock::now() < give_up) {
      for (const auto& line : split_lines(read_file(out_path_))) {
        if (line.rfind(prefix, 0) == 0) return line;
      }
      if (exited()) return std::nullopt;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return std::nullopt;
  }

  /// Sends SIGTERM (once) and waits; returns the exit code (128 + signal if killed).
  int stop() { return stop_with(SIGTERM); }

  /// Sends `signal` (e.g. SIGKILL) unless the process already ended, and waits; returns
  /// the exit code (128 + signal if killed).
  int stop_with(int signal) {
    if (pid_ > 0 && !status_) {
      kill(pid_, signal);
      int status = 0;
      while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
      }
      status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    return status_.value_or(-1);
  }

  /// Waits up to `patience` for the process to exit on its own (polling); its exit code
  /// (128 + signal if killed), or nullopt if it is still running.
  std::optional<int> wait_for_exit(std::chrono::seconds patience = std::chrono::seconds(60)) {
    const auto give_up = std::chrono::steady_clock::now() + patience;
    while (!exited()) {
      if (std::chrono::steady_clock::now() >= give_up) return std::nullopt;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return status_;
  }

  std::string out() const { return read_file(out_path_); }
  std::string err() const { return read_file(err_path_); }

 private:
  bool exited() {
    if (status_) return true;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      return true;
    }
    return false;
  }

  TempDir dir_;
  std::filesystem::path out_path_, err_path_;
  pid_t pid_ = -1;
  std::optional<int> status_;
};

}  // namespace weft::test
