#pragma once
// Runs a program to completion with given stdin, capturing stdout, stderr and the exit
// code. For black-box tests of the `weft` binary. No shell is involved, so arguments
// need no quoting.

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace weft::test {

struct ProcessResult {
  int exit_code = -1;  ///< exit status, or 128 + signal number
  std::string out;
  std::string err;

  /// Lines of `err` (without '\n').
  std::vector<std::string> err_lines() const;
  std::vector<std::string> out_lines() const;
};

inline std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

inline std::vector<std::string> ProcessResult::err_lines() const { return split_lines(err); }
inline std::vector<std::string> ProcessResult::out_lines() const { return split_lines(out); }

/// A fresh, empty directory under the system temp dir, removed on destruction.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "weft-test-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) std::abort();
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// In a forked child: replaces the process with `program args...`; exits 127 if it cannot.
[[noreturn]] inline void exec_in_child(const std::string& program, const std::vector<std::string>& args) {
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(program.c_str()));
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  execv(program.c_str(), argv.data());
  _exit(127);
}

/// Runs `program args...` with `input` on stdin and `env` added to the environment.
inline ProcessResult run_process(const std::string& program, const std::vector<std::string>& args,
                                 const std::string& input = {},
                                 const std::map<std::string, std::string>& env = {}) {
  TempDir dir;
  const auto in_path = dir.path() / "stdin";
  const auto out_path = dir.path() / "stdout";
  const auto err_path = dir.path() / "stderr";
  std::ofstream(in_path, std::ios::binary) << input;

  // Flush first: the child would otherwise write out a copy of our buffered output.
  std::fflush(nullptr);
  const pid_t pid = fork();
  if (pid < 0) std::abort();
  if (pid == 0) {
    if (!std::freopen(in_path.c_str(), "rb", stdin) || !std::freopen(out_path.c_str(), "wb", stdout) ||
        !std::freopen(err_path.c_str(), "wb", stderr)) {
      _exit(127);
    }
    for (const auto& [name, value] : env) setenv(name.c_str(), value.c_str(), 1);
    exec_in_child(program, args);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) std::abort();
  }
  ProcessResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = read_file(out_path);
  result.err = read_file(err_path);
  return result;
}

}  // namespace weft::test
