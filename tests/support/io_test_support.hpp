#pragma once
// Running coroutines to completion in tests on a real io_context, with a wall-clock limit
// so that a hang fails the test instead of stalling the suite.

#include "util/asio.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <optional>

namespace weft::test {

template <class T>
asio::awaitable<void> store_into(std::optional<T>& out, asio::awaitable<T> task) {
  out.emplace(co_await std::move(task));
}

/// Runs `io` until `done()`; fails the test after `limit` of wall time.
template <class Pred>
void run_until(asio::io_context& io, Pred done, std::chrono::milliseconds limit = std::chrono::seconds(20)) {
  const auto give_up = std::chrono::steady_clock::now() + limit;
  io.restart();
  while (!done() && std::chrono::steady_clock::now() < give_up) io.run_one_for(std::chrono::milliseconds(10));
  REQUIRE(done());
}

/// Runs `task` on `io` to completion and returns its value.
template <class T>
T run(asio::io_context& io, asio::awaitable<T> task) {
  std::optional<T> out;
  asio::co_spawn(io, store_into(out, std::move(task)), asio::detached);
  run_until(io, [&] { return out.has_value(); });
  return std::move(*out);
}

}  // namespace weft::test
