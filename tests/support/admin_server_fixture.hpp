#pragma once
// An AdminServer (src/node/admin_api) with a test's own backend, serving on 127.0.0.1 from
// its own network thread; the destructor stops it there and joins the thread.

#include "node/admin_api.hpp"
#include "node_test_support.hpp"
#include "util/asio.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <future>
#include <memory>
#include <thread>

namespace weft::test {

template <class Backend>
struct AdminServerFixture {
  explicit AdminServerFixture(node::AdminConfig config = {}) {
    auto started = node::AdminServer::start(io, config, backend);
    REQUIRE_MESSAGE(started.has_value(), (started ? "" : started.error().message()));
    server = std::move(started).value();
    thread = std::thread([this] { io.run(); });
  }
  ~AdminServerFixture() {
    std::promise<void> stopped;
    asio::post(io, [this, &stopped] {
      server->stop();
      stopped.set_value();
    });
    stopped.get_future().wait_for(kPatience);
    work.reset();
    io.stop();
    thread.join();
  }
  AdminServerFixture(const AdminServerFixture&) = delete;
  AdminServerFixture& operator=(const AdminServerFixture&) = delete;

  /// Runs `fn` on the network thread and returns its result.
  template <class Fn>
  auto on_io(Fn fn) {
    std::packaged_task<decltype(fn())()> task(std::move(fn));
    auto result = task.get_future();
    asio::post(io, [&task] { task(); });
    REQUIRE(result.wait_for(kPatience) == std::future_status::ready);
    return result.get();
  }
  node::AdminCounters counters() {
    return on_io([this] { return server->counters(); });
  }
  std::uint16_t port() const { return server->local_endpoint().port(); }

  asio::io_context io;
  asio::executor_work_guard<asio::io_context::executor_type> work{io.get_executor()};
  std::shared_ptr<Backend> backend = std::make_shared<Backend>();
  std::shared_ptr<node::AdminServer> server;
  std::thread thread;
};

}  // namespace weft::test
