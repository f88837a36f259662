// Coroutines parked on stream events (src/conn/parked_coroutines): resumed on the stack of
// whoever invokes the resumer, taken out by stream and direction, replaced ones released,
// and every parked one released when the io_context goes away (no leak through the cycle
// connection -> parked coroutine -> connection).

#include "conn/parked_coroutines.hpp"
#include "util/asio.hpp"

#include <doctest/doctest.h>

#include <memory>
#include <vector>

namespace weft {
namespace {

using Event = conn::ParkedCoroutines::Event;
using Resumer = conn::ParkedCoroutines::Resumer;

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
  REQUIRE_FALSE(parked->empty());
  CHECK_FALSE(resumed);
  std::vector<Resumer> woken;
  parked->take(1, true, false, woken);
  REQUIRE(woken.size() == 1);
  CHECK(parked->empty());
  woken.front()();
  CHECK(resumed);    // before the io_context ran again
  CHECK(destroyed);  // it ran to its end
}

TEST_CASE("parked coroutines: take() takes only the named stream and directions") {
  asio::io_context io;
  auto parked = std::make_shared<conn::ParkedCoroutines>(io);
  bool resumed[3] = {}, destroyed[3] = {};
  asio::co_spawn(io, park_then_mark(parked, 1, Event::readable, &resumed[0], &destroyed[0]), asio::detached);
  asio::co_spawn(io, park_then_mark(parked, 1, Event::writable, &resumed[1], &destroyed[1]), asio::detached);
  asio::co_spawn(io, park_then_mark(parked, 2, Event::readable, &resumed[2], &destroyed[2]), asio::detached);
  io.poll();
  std::vector<Resumer> woken;
  parked->take(3, true, true, woken);  // nobody waits on stream 3
  parked->take(1, false, true, woken);
  REQUIRE(woken.size() == 1);
  woken.front()();
  CHECK_FALSE(resumed[0]);
  CHECK(resumed[1]);
  CHECK_FALSE(resumed[2]);
  woken.clear();
  parked->take_all(woken);
  CHECK(woken.size() == 2);
  CHECK(parked->empty());
  for (auto& r : woken) r();
  CHECK(resumed[0]);
  CHECK(resumed[2]);
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
  std::vector<Resumer> woken;
  parked->take_all(woken);
  REQUIRE(woken.size() == 1);
  woken.front()();
  CHECK(second_resumed);
}

TEST_CASE("parked coroutines: the io_context's end releases coroutines still parked, breaking the cycle through them") {
  bool resumed = false, destroyed = false;
  std::weak_ptr<conn::ParkedCoroutines> watch;
  {
    asio::io_context io;
    auto parked = std::make_shared<conn::ParkedCoroutines>(io);
    watch = parked;
    // The coroutine holds the parking that holds it, as a stream reader holds its connection.
    asio::co_spawn(io, park_then_mark(parked, 1, Event::readable, &resumed, &destroyed), asio::detached);
    parked.reset();
    io.poll();
    CHECK_FALSE(watch.expired());  // alive through the parked coroutine alone
  }
  CHECK(destroyed);
  CHECK_FALSE(resumed);
  CHECK(watch.expired());
}

}  // namespace
}  // namespace weft
