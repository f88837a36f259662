#include "gossip_worker_process.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace weft::bench {
namespace {

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "weft-bench gossip: %s\n", what.c_str());
  std::exit(1);
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// The number after `key` in a "key: value" file of /proc (0 when absent).
std::uint64_t proc_field(const std::string& path, const std::string& key) {
  std::istringstream lines(read_file(path));
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(key, 0) != 0 || line.size() <= key.size() || line[key.size()] != ':') continue;
    return std::strtoull(line.c_str() + key.size() + 1, nullptr, 10);
  }
  return 0;
}

}  // namespace

WorkerProcess::WorkerProcess(const std::vector<std::string>& arguments) {
  int to_child[2], from_child[2];
  if (pipe(to_child) != 0 || pipe(from_child) != 0) die("pipe failed");
  const pid_t parent = getpid();
  pid_ = fork();
  if (pid_ < 0) die("fork failed");
  if (pid_ == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(1);
    dup2(to_child[0], STDIN_FILENO);
    dup2(from_child[1], STDOUT_FILENO);
    for (int fd : {to_child[0], to_child[1], from_child[0], from_child[1]}) close(fd);
    std::vector<std::string> all{"weft-bench", "gossip-worker"};
    all.insert(all.end(), arguments.begin(), arguments.end());
    std::vector<char*> argv;
    for (auto& a : all) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv("/proc/self/exe", argv.data());
    _exit(127);
  }
  close(to_child[0]);
  close(from_child[1]);
  to_ = to_child[1];
  from_ = from_child[0];
}

WorkerProcess::~WorkerProcess() {
  if (to_ >= 0) close(to_);
  if (from_ >= 0) close(from_);
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
}

void WorkerProcess::send(const std::string& command) {
  const std::string line = command + "\n";
  std::size_t written = 0;
  while (written < line.size()) {
    const ssize_t n = write(to_, line.data() + written, line.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) die("worker " + std::to_string(pid_) + " is gone (write failed)");
    written += static_cast<std::size_t>(n);
  }
}

std::optional<std::string> WorkerProcess::read_line(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (const auto end = buffer_.find('\n'); end != std::string::npos) {
      std::string line = buffer_.substr(0, end);
      buffer_.erase(0, end + 1);
      return line;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    pollfd fd{from_, POLLIN, 0};
    const int ready = poll(&fd, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return std::nullopt;
    char chunk[65536];
    const ssize_t n = read(from_, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return std::nullopt;
    buffer_.append(chunk, static_cast<std::size_t>(n));
  }
}

std::string WorkerProcess::ask(const std::string& command, std::chrono::milliseconds timeout) {
  send(command);
  auto line = read_line(timeout);
  if (!line) {
    const std::string verb = command.substr(0, command.find(' '));
    die("worker " + std::to_string(pid_) + " did not answer '" + verb + "' within " +
        std::to_string(timeout.count()) + " ms");
  }
  return *line;
}

double WorkerProcess::cpu_seconds() const {
  const std::string stat = read_file("/proc/" + std::to_string(pid_) + "/stat");
  const auto close_paren = stat.rfind(')');
  if (close_paren == std::string::npos) return NAN;
  std::istringstream fields(stat.substr(close_paren + 2));
  std::vector<std::string> f;
  for (std::string field; fields >> field;) f.push_back(field);
  if (f.size() < 13) return NAN;
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  return (std::strtod(f[11].c_str(), nullptr) + std::strtod(f[12].c_str(), nullptr)) / ticks;
}

std::uint64_t WorkerProcess::rss_kib() const { return proc_field("/proc/" + std::to_string(pid_) + "/status", "VmRSS"); }
std::uint64_t WorkerProcess::peak_rss_kib() const {
  return proc_field("/proc/" + std::to_string(pid_) + "/status", "VmHWM");
}

}  // namespace weft::bench
