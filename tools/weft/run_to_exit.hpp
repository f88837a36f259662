#pragma once
// Runs a subcommand's coroutine on its own io_context until it returns the exit code.

#include "util/asio.hpp"

#include <exception>

namespace weft::cli {

/// Runs `task` on `io` to completion and returns its value. The io_context is stopped when
/// the task ends, so background work it started (a pool's timers) does not keep the
/// command alive. An exception thrown by the task is rethrown here.
inline int run_to_exit(asio::io_context& io, asio::awaitable<int> task) {
  int exit_code = 1;
  asio::co_spawn(io, std::move(task), [&](std::exception_ptr e, int code) {
    if (e) std::rethrow_exception(e);
    exit_code = code;
    io.stop();
  });
  io.run();
  return exit_code;
}

}  // namespace weft::cli
