#pragma once
// Coroutines of one connection parked until a stream event (driver). A coroutine parks
// with park(id, event); wake() moves it to the woken list; its owner takes it from there
// with take_woken() and invokes the Resumer, which resumes it on the caller's stack: the
// owner chooses when that is safe (MuxedConnection resumes readers at the end of the
// network turn that woke them, and posts the resumption otherwise).
//
// Contract: one executor; at most one parked coroutine per (stream, event). A parked
// coroutine usually holds its connection (through its Stream), so it must not outlive the
// io_context: when the io_context shuts down, every parked or woken coroutine still here
// is released (destroyed, not resumed), so the cycle connection -> parked coroutine ->
// connection cannot leak. Memory: nothing on the heap until the first park (an idle,
// never-used connection holds two list links and one pointer).

#include "mux/session_event.hpp"
#include "util/asio.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace weft::conn {

namespace detail {
/// A link in the io_context's circular list of live ParkedCoroutines.
struct ParkedLink {
  ParkedLink* prev = nullptr;  ///< both null when not in a list
  ParkedLink* next = nullptr;
};
}  // namespace detail

class ParkedCoroutines : private detail::ParkedLink {
 public:
  /// Resumes one parked coroutine when invoked (once), on the caller's stack.
  using Resumer = asio::async_result<asio::use_awaitable_t<>, void()>::handler_type;
  enum class Event : std::uint8_t { readable, writable };

  explicit ParkedCoroutines(asio::execution_context& context);
  ~ParkedCoroutines();
  ParkedCoroutines(const ParkedCoroutines&) = delete;
  ParkedCoroutines& operator=(const ParkedCoroutines&) = delete;

  /// Suspends the calling coroutine until it is woken, taken and resumed. A coroutine
  /// already parked for (id, event) is replaced and released (destroyed, not resumed).
  asio::awaitable<void> park(mux::StreamId id, Event event);

  /// Moves the coroutines parked for `id` (readers and/or writers) to the woken list.
  void wake(mux::StreamId id, bool readers, bool writers);
  /// Moves every parked coroutine to the woken list.
  void wake_all();
  /// The oldest woken coroutine, taken out of the list; nullopt when none is woken.
  std::optional<Resumer> take_woken();

  bool has_parked() const noexcept { return lists_ && !lists_->parked.empty(); }
  bool has_woken() const noexcept { return lists_ && lists_->next_woken < lists_->woken.size(); }

 private:
  struct Parked {
    mux::StreamId id = 0;
    Event event = Event::readable;
    Resumer resumer;
  };
  struct Lists {
    std::vector<Parked> parked;   ///< few entries: one per waiting reader or writer
    std::vector<Resumer> woken;   ///< [next_woken, end) are still to be taken
    std::size_t next_woken = 0;
  };
  class Service;  ///< the io_context's live instances, released at its shutdown

  /// Removes parked entry i (releasing a coroutine still in it); the last takes its place.
  void remove_parked(std::size_t i) noexcept;

  std::unique_ptr<Lists> lists_;  ///< null until the first park
};

}  // namespace weft::conn
