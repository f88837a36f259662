#pragma once
// A TCP socket guarded by one deadline (driver helper). When the deadline passes, the
// socket's pending operations are cancelled and expired() turns true, so the coroutine
// waiting on them wakes up and reports a timeout. One timer per socket, armed once per
// phase (connect, handshake), instead of re-arming a timer on every read and write.
//
// Shared by the coroutine and the timer's handler (which holds only a weak reference):
// the coroutine may move the socket out once done; a late handler then touches nothing.

#include "util/asio.hpp"

#include <chrono>
#include <memory>

namespace weft::conn {

class SocketDeadline : public std::enable_shared_from_this<SocketDeadline> {
 public:
  explicit SocketDeadline(tcp::socket socket);

  tcp::socket& socket() noexcept { return socket_; }

  /// Arms (or re-arms) the deadline; expired() is false until it passes.
  void arm(std::chrono::steady_clock::time_point deadline);
  /// Disarms the deadline (e.g. before handing the socket on).
  void disarm();

  bool expired() const noexcept { return expired_; }

 private:
  tcp::socket socket_;
  asio::steady_timer timer_;
  bool expired_ = false;
};

}  // namespace weft::conn
