#pragma once
// Coroutines of one connection parked until a stream event (driver). A coroutine parks
// with park(id, event) and stays suspended until its owner takes it out with take() or
// take_all() and invokes the returned Resumer, which resumes it on the caller's stack:
// the owner chooses when that is safe (MuxedConnection resumes readers at the end of the
// network turn that made them readable, and posts the resumption otherwise).
//
// Contract: one executor; at most one parked coroutine per (stream, event). A parked
// coroutine usually holds its connection (through its Stream), so it must not outlive the
// io_context: when the io_context shuts down, every still-parked coroutine is released
// (destroyed, not resumed), so the cycle connection -> parked coroutine -> connection
// cannot leak.

#include "mux/session_event.hpp"
#include "util/asio.hpp"

#include <cstdint>
#include <vector>

namespace weft::conn {

class ParkedCoroutines {
 public:
  /// Resumes one parked coroutine when invoked (once), on the caller's stack.
  using Resumer = asio::async_result<asio::use_awaitable_t<>, void()>::handler_type;
  enum class Event : std::uint8_t { readable, writable };

  explicit ParkedCoroutines(asio::execution_context& context);
  ~ParkedCoroutines();
  ParkedCoroutines(const ParkedCoroutines&) = delete;
  ParkedCoroutines& operator=(const ParkedCoroutines&) = delete;

  /// Suspends the calling coroutine until it is taken out and resumed. A coroutine already
  /// parked for (id, event) is replaced and released (destroyed, not resumed).
  asio::awaitable<void> park(mux::StreamId id, Event event);

  /// Moves the coroutines parked for `id` (readers and/or writers) to the end of `out`.
  void take(mux::StreamId id, bool readers, bool writers, std::vector<Resumer>& out);
  /// Moves every parked coroutine to the end of `out`.
  void take_all(std::vector<Resumer>& out);

  bool empty() const noexcept { return parked_.empty(); }

 private:
  struct Parked {
    mux::StreamId id = 0;
    Event event = Event::readable;
    Resumer resumer;
  };
  class Service;  ///< the io_context's live instances, released at its shutdown

  /// Removes entry i (releasing a coroutine still in it); the last entry takes its place.
  void remove(std::size_t i) noexcept;

  std::vector<Parked> parked_;  ///< few entries: one per waiting reader or writer
  // Intrusive list of the Service's live instances (no allocation per connection).
  Service* service_ = nullptr;  ///< null once the io_context shut down
  ParkedCoroutines* prev_ = nullptr;
  ParkedCoroutines* next_ = nullptr;
};

}  // namespace weft::conn
