// Coroutines parked on stream events (src/conn/parked_coroutines): resumed on the stack of
// whoever invokes the resumer, woken by stream and direction, replaced ones released,
// and every parked one released when the io_context goes away (no leak through the cycle
// connection -> parked coroutine -> connection).

#include "conn/parked_coroutines.hpp"
#include "util/asio.hpp"

#include <doctest/doctest.h>

#include <memory>

namespace weft {
namespace {

using Event = conn::ParkedCoroutines::Event;

/// Sets `*flag` when destroyed: tells whether a coroutine frame was destroyed.
struct Sentinel {
  bool* flag;
  ~Sentinel() { *flag = true; }
};

asio::awaitable<void> park_then_mark(std::shared_ptr<conn::ParkedCoroutines> parked, mux::StreamId id, Event event,
                                     bool* resumed, bool* destroyed) {
  Sentinel sentinel{destroyed};
  co_await parked->park(id, event);
  *resumed = true;
}

TEST_CASE("parked coroutines: a resumer runs its coroutine on the caller's stack, not in a later turn") {
  asio::io_context io;
  auto parked = std::make_shared<conn::ParkedCoroutines>(io);
  bool resumed = false, destroyed = false;
  asio::co_spawn(io, park_then_mark(parked, 1, Event::readable, &resumed, &destroyed), asio::detached);
  io.poll();
  REQUIRE(parked->has_parked());
  CHECK_FALSE(parked->has_woken());
  CHECK_FALSE(parked->take_woken().has_value());  // parked is not woken
  parked->wake(1, true, false);
  CHECK_FALSE(parked->has_parked());
  CHECK_FALSE(resumed);  // waking does not resume
  auto resumer = parked->take_woken();
  REQUIRE(resumer.has_value());
  CHECK_FALSE(parked->has_woken());
  (*resumer)();
  CHECK(resumed);    // before the io_context ran again
  CHECK(destroyed);  // it ran to its end
}

TEST_CASE("parked coroutines: wake() wakes only the named stream and directions, oldest woken first") {
  asio::io_context io;
  auto parked = std::make_shared<conn::ParkedCoroutines>(io);
  bool resumed[3] = {}, destroyed[3] = {};
  asio::co_spawn(io, park_then_mark(parked, 1, Event::readable, &resumed[0], &destroyed[0]), asio::detached);
  asio::co_spawn(io, park_then_mark(parked, 1, Event::writable, &resumed[1], &destroyed[1]), asio::detached);
  asio::co_spawn(io, park_then_mark(parked, 2, Event::readable, &resumed[2], &destroyed[2]), asio::detached);
  io.poll();
  parked->wake(3, true, true);  // nobody waits on stream 3
  CHECK_FALSE(parked->has_woken());
  parked->wake(1, false, true);
  auto writer = parked->take_woken();
  REQUIRE(writer.has_value());
  CHECK_FALSE(parked->has_woken());
  (*writer)();
  CHECK_FALSE(resumed[0]);
  CHECK(resumed[1]);
  CHECK_FALSE(resumed[2]);
  parked->wake(2, true, false);
  parked->wake_all();  // stream 1's reader
  CHECK_FALSE(parked->has_parked());
  auto first = parked->take_woken();
  REQUIRE(first.has_value());
  (*first)();
  CHECK(resumed[2]);  // woken first, resumed first
  CHECK_FALSE(resumed[0]);
  auto second = parked->take_woken();
  REQUIRE(second.has_value());
  (*second)();
  CHECK(resumed[0]);
  CHECK_FALSE(parked->take_woken().has_value());
}

TEST_CASE("parked coroutines: parking again on the same stream and direction releases the first without resuming it") {
  asio::io_context io;
  auto parked = std::make_shared<conn::ParkedCoroutines>(io);
  bool first_resumed = false, first_destroyed = false, second_resumed = false, second_destroyed = false;
  asio::co_spawn(io, park_then_mark(parked, 5, Event::readable, &first_resumed, &first_destroyed), asio::detached);
  io.poll();
  asio::co_spawn(io, park_then_mark(parked, 5, Event::readable, &second_resumed, &second_destroyed), asio::detached);
  io.poll();  // the second parks; the first one's frame is destroyed
  CHECK(first_destroyed);
  CHECK_FALSE(first_resumed);
  parked->wake_all();
  auto resumer = parked->take_woken();
  REQUIRE(resumer.has_value());
  CHECK_FALSE(parked->has_woken());
  (*resumer)();
  CHECK(second_resumed);
}

TEST_CASE("parked coroutines: the io_context's end releases coroutines still parked or woken, breaking the cycle through them") {
  bool resumed[2] = {}, destroyed[2] = {};
  std::weak_ptr<conn::ParkedCoroutines> watch;
  {
    asio::io_context io;
    auto parked = std::make_shared<conn::ParkedCoroutines>(io);
    watch = parked;
    // The coroutines hold the parking that holds them, as a stream reader holds its connection.
    asio::co_spawn(io, park_then_mark(parked, 1, Event::readable, &resumed[0], &destroyed[0]), asio::detached);
    asio::co_spawn(io, park_then_mark(parked, 2, Event::readable, &resumed[1], &destroyed[1]), asio::detached);
    io.poll();
    parked->wake(2, true, false);  // woken, never taken
    parked.reset();
    CHECK_FALSE(watch.expired());  // alive through the parked coroutines alone
  }
  CHECK(destroyed[0]);
  CHECK(destroyed[1]);
  CHECK_FALSE(resumed[0]);
  CHECK_FALSE(resumed[1]);
  CHECK(watch.expired());
}

}  // namespace
}  // namespace weft
