#include "conn/socket_deadline.hpp"

namespace weft::conn {

SocketDeadline::SocketDeadline(tcp::socket socket) : socket_(std::move(socket)), timer_(socket_.get_executor()) {}

void SocketDeadline::arm(std::chrono::steady_clock::time_point deadline) {
  expired_ = false;
  timer_.expires_at(deadline);
  timer_.async_wait([weak = weak_from_this()](const boost::system::error_code& ec) {
    if (ec) return;  // disarmed, re-armed or destroyed
    if (auto self = weak.lock()) {
      self->expired_ = true;
      boost::system::error_code ignored;
      self->socket_.cancel(ignored);
    }
  });
}

void SocketDeadline::disarm() { timer_.cancel(); }

}  // namespace weft::conn
