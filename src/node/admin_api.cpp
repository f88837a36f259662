#include "node/admin_api.hpp"

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string>

namespace weft::node {
namespace {

namespace http = beast::http;
using Clock = std::chrono::steady_clock;

/// After a refused request the client may still be sending its body; closing with unread
/// bytes would reset the connection and could destroy our answer in flight. So the answer
/// is followed by reading (and dropping) at most this much, for at most kDrainTime.
constexpr std::size_t kMaxDrainBytes = 1024 * 1024;
constexpr std::chrono::seconds kDrainTime{2};
/// A failed accept (out of descriptors, say) is retried after this pause, not at once.
constexpr std::chrono::milliseconds kAcceptRetryDelay{100};

std::string endpoint_text(const tcp::endpoint& endpoint) {
  const auto ip = endpoint.address();
  return (ip.is_v6() ? "[" + ip.to_string() + "]" : ip.to_string()) + ":" + std::to_string(endpoint.port());
}

bool is_parse_error(const boost::system::error_code& ec) { return ec.category() == http::make_error_code(http::error::bad_method).category(); }

http::response<http::string_body> to_response(const AdminReply& reply) {
  http::response<http::string_body> response{static_cast<http::status>(reply.status), 11};
  response.set(http::field::server, "weft-admin");
  response.set(http::field::content_type, "application/json");
  if (!reply.allow.empty()) response.set(http::field::allow, reply.allow);
  response.keep_alive(false);
  response.body() = reply.body + "\n";
  response.prepare_payload();
  return response;
}

}  // namespace

struct AdminServer::Session {
  Session(tcp::socket socket, std::uint64_t id_) : stream(std::move(socket)), wait(stream.get_executor()), id(id_) {}
  beast::tcp_stream stream;
  asio::steady_timer wait;  ///< a connect's answer: cancelled when it comes, else the deadline
  Clock::time_point deadline{};
  std::uint64_t id;
};

AdminServer::AdminServer(Private, asio::io_context& io, AdminConfig config, std::shared_ptr<AdminBackend> backend)
    : io_(io), config_(config), backend_(std::move(backend)), acceptor_(io), live_(std::make_shared<bool>(true)) {}

Result<std::shared_ptr<AdminServer>> AdminServer::start(asio::io_context& io, AdminConfig config,
                                                        std::shared_ptr<AdminBackend> backend) {
  auto server = std::make_shared<AdminServer>(Private{}, io, config, std::move(backend));
  boost::system::error_code ec;
  tcp::acceptor& acceptor = server->acceptor_;
  acceptor.open(config.listen.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(config.listen, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (!ec) server->local_ = acceptor.local_endpoint(ec);
  if (ec) return Error(std::error_code(ec), "admin API on " + endpoint_text(config.listen));
  asio::co_spawn(io, accept_loop(server), asio::detached);
  return server;
}

void AdminServer::stop() {
  if (stopped_) return;
  stopped_ = true;
  *live_ = false;
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  for (auto& [id, session] : sessions_) {
    session->stream.socket().close(ignored);
    session->wait.cancel();
  }
}

asio::awaitable<void> AdminServer::accept_loop(std::shared_ptr<AdminServer> self) {
  asio::steady_timer pause(self->io_);
  while (!self->stopped_) {
    boost::system::error_code ec;
    tcp::socket socket = co_await self->acceptor_.async_accept(asio::redirect_error(asio::use_awaitable, ec));
    if (self->stopped_) break;
    if (ec) {
      pause.expires_after(kAcceptRetryDelay);
      co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      continue;
    }
    if (self->sessions_.size() >= self->config_.max_connections) {
      ++self->counters_.refused_busy;
      socket.close(ec);
      continue;
    }
    auto session = std::make_shared<Session>(std::move(socket), self->next_session_++);
    self->sessions_.emplace(session->id, session);
    asio::co_spawn(self->io_, serve(self, std::move(session)), asio::detached);
  }
}

asio::awaitable<void> AdminServer::serve(std::shared_ptr<AdminServer> self, std::shared_ptr<Session> session) {
  const AdminConfig& config = self->config_;
  AdminCounters& counters = self->counters_;
  beast::tcp_stream& stream = session->stream;
  session->deadline = Clock::now() + config.request_timeout;
  stream.expires_at(session->deadline);

  // Bounded: the parser refuses a header block or body past its limit before buffering it.
  beast::flat_buffer buffer(config.max_header_bytes + config.max_body_bytes + 4096);
  http::request_parser<http::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(config.max_header_bytes, UINT32_MAX)));
  parser.body_limit(static_cast<std::uint64_t>(config.max_body_bytes));
  boost::system::error_code ec;
  co_await http::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));

  std::optional<AdminReply> reply;
  if (!ec) {
    ++counters.requests;
    const auto& request = parser.get();
    auto routed = route_admin_request(std::string_view(request.method_string().data(), request.method_string().size()),
                                      std::string_view(request.target().data(), request.target().size()),
                                      request.body());
    if (auto* call = std::get_if<AdminCall>(&routed)) {
      reply = co_await answer(self, session, std::move(*call));
    } else {
      reply = std::move(std::get<AdminReply>(routed));
    }
  } else if (ec == http::error::body_limit) {
    ++counters.too_large;
    reply = error_reply(413, "body_too_large", "the body exceeds " + std::to_string(config.max_body_bytes) + " bytes");
  } else if (ec == http::error::header_limit) {
    ++counters.too_large;
    reply = error_reply(431, "header_too_large",
                        "the header exceeds " + std::to_string(config.max_header_bytes) + " bytes");
  } else if (ec == beast::error::timeout) {
    ++counters.timed_out;  // a client too slow to send its request gets no answer
  } else if (is_parse_error(ec) && ec != http::error::end_of_stream && ec != http::error::partial_message) {
    reply = error_reply(400, "bad_request", "malformed HTTP request: " + ec.message());
  }
  // Otherwise the client went away, or the server stopped: nothing to answer.

  if (reply && !self->stopped_) {
    if (reply->status >= 400) ++counters.errors;
    const bool refused_early = ec.failed();
    auto response = to_response(*reply);
    stream.expires_after(config.request_timeout);  // writing the answer has as long again
    co_await http::async_write(stream, response, asio::redirect_error(asio::use_awaitable, ec));
    if (!ec) stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (!ec && refused_early) {
      // Let the client finish sending and read our answer before the connection closes.
      stream.expires_after(std::min<std::chrono::milliseconds>(config.request_timeout, kDrainTime));
      std::array<char, 4096> sink{};
      for (std::size_t drained = 0; drained < kMaxDrainBytes && !self->stopped_;) {
        const std::size_t n =
            co_await stream.async_read_some(asio::buffer(sink), asio::redirect_error(asio::use_awaitable, ec));
        if (ec) break;
        drained += n;
      }
    }
  }
  stream.socket().close(ec);
  self->sessions_.erase(session->id);
}

asio::awaitable<AdminReply> AdminServer::answer(std::shared_ptr<AdminServer> self, std::shared_ptr<Session> session,
                                                AdminCall call) {
  switch (call.endpoint) {
    case AdminEndpoint::status: co_return status_reply(self->backend_->status(), self->counters_);
    case AdminEndpoint::peers: co_return peers_reply(self->backend_->peers());
    case AdminEndpoint::topics: co_return topics_reply(self->backend_->topics());
    case AdminEndpoint::publish:
      co_return publish_reply(self->backend_->publish(call.topic, std::move(call.data)));
    case AdminEndpoint::connect: break;
  }
  auto result = std::make_shared<std::optional<Result<PeerId>>>();
  session->wait.expires_at(session->deadline);
  std::weak_ptr<Session> weak = session;
  self->backend_->connect(std::move(call.address), [result, weak, live = self->live_](Result<PeerId> r) {
    *result = std::move(r);
    // Once stop() ran the session is being torn down with the context: leave it alone.
    if (auto waiting = weak.lock(); waiting && *live) waiting->wait.cancel();
  });
  if (!*result) {
    boost::system::error_code ec;
    co_await session->wait.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
  if (*result) co_return connect_reply(**result);
  if (self->stopped_) co_return error_reply(503, "unavailable", "the node is stopping");
  ++self->counters_.timed_out;
  co_return error_reply(504, "timeout",
                        "no answer within " + std::to_string(self->config_.request_timeout.count()) + " ms");
}

}  // namespace weft::node
