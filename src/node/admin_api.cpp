#include "node/admin_api.hpp"

#include "node/topic_stream.hpp"

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <sstream>
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
  Session(tcp::socket socket, std::uint64_t id_)
      : stream(std::move(socket)), wait(stream.get_executor()), write_deadline(stream.get_executor()), id(id_) {}
  beast::tcp_stream stream;
  /// A connect's answer: cancelled when it comes, else the deadline. For a topic stream:
  /// cancelled when a line is queued or the client went away.
  asio::steady_timer wait;
  asio::steady_timer write_deadline;  ///< a topic stream's write: closes the socket when it expires
  Clock::time_point deadline{};
  std::uint64_t id;
  // Topic streams only.
  std::optional<std::uint64_t> listener;  ///< the backend's listener token while it is there
  bool client_gone = false;
  bool write_timed_out = false;
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
    if (session->listener) {
      backend_->remove_topic_listener(*session->listener);
      session->listener.reset();
      session->stream.socket().shutdown(tcp::socket::shutdown_both, ignored);  // the body ends
    }
    session->stream.socket().close(ignored);
    session->wait.cancel();
    session->write_deadline.cancel();
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
    auto* call = std::get_if<AdminCall>(&routed);
    if (call != nullptr && call->endpoint == AdminEndpoint::subscribe) {
      reply = co_await stream_topic(self, session, std::move(call->topic));
    } else if (call != nullptr) {
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
    case AdminEndpoint::subscribe: co_return error_reply(500, "internal", "a stream is not an answer");
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

asio::awaitable<std::optional<AdminReply>> AdminServer::stream_topic(std::shared_ptr<AdminServer> self,
                                                                     std::shared_ptr<Session> session,
                                                                     std::string topic) {
  const AdminConfig& config = self->config_;
  if (self->counters_.subscribers >= config.max_subscribers) {
    co_return error_reply(429, "too_many_subscribers",
                          "at most " + std::to_string(config.max_subscribers) + " topic streams at once");
  }
  auto queue = std::make_shared<TopicStreamQueue>(config.stream_queue_messages, config.stream_queue_bytes);
  std::weak_ptr<AdminServer> weak_self = self;
  std::weak_ptr<Session> weak_session = session;
  auto token = self->backend_->add_topic_listener(topic, [queue, weak_self, weak_session](std::string line) {
    const auto server = weak_self.lock();
    if (!server || server->stopped_) return;
    if (!queue->push(std::move(line))) ++server->counters_.stream_dropped;
    if (auto waiting = weak_session.lock()) waiting->wait.cancel();
  });
  if (!token) co_return error_reply(409, "gossip_off", token.error().message());
  session->listener = token.value();
  ++self->counters_.subscribers;

  // The stream has no overall deadline; each write has its own (write_stream).
  session->stream.expires_never();
  http::response<http::empty_body> header{http::status::ok, 11};
  header.set(http::field::server, "weft-admin");
  header.set(http::field::content_type, "application/x-ndjson");
  header.set(http::field::cache_control, "no-cache");
  header.keep_alive(false);  // no length: the body ends with the connection
  std::ostringstream head;
  head << header.base();
  bool open = co_await write_stream(self, session, head.str());
  if (open) asio::co_spawn(self->io_, watch_client(session), asio::detached);
  while (open && !self->stopped_ && !session->client_gone) {
    if (auto line = queue->pop()) {
      line->push_back('\n');
      open = co_await write_stream(self, session, std::move(*line));
      continue;
    }
    session->wait.expires_at(Clock::time_point::max());
    boost::system::error_code ec;
    co_await session->wait.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
  if (session->write_timed_out) ++self->counters_.timed_out;
  if (session->listener && !self->stopped_) self->backend_->remove_topic_listener(*session->listener);
  session->listener.reset();
  --self->counters_.subscribers;
  co_return std::nullopt;
}

asio::awaitable<void> AdminServer::watch_client(std::shared_ptr<Session> session) {
  std::array<char, 512> sink{};
  boost::system::error_code ec;
  while (!ec) {
    co_await session->stream.socket().async_read_some(asio::buffer(sink), asio::redirect_error(asio::use_awaitable, ec));
  }
  session->client_gone = true;
  session->wait.cancel();
}

asio::awaitable<bool> AdminServer::write_stream(std::shared_ptr<AdminServer> self, std::shared_ptr<Session> session,
                                                std::string bytes) {
  session->write_deadline.expires_after(self->config_.request_timeout);
  session->write_deadline.async_wait([weak = std::weak_ptr<Session>(session)](const boost::system::error_code& ec) {
    if (ec) return;
    if (auto stalled = weak.lock()) {
      stalled->write_timed_out = true;
      boost::system::error_code ignored;
      stalled->stream.socket().close(ignored);
    }
  });
  boost::system::error_code ec;
  co_await asio::async_write(session->stream.socket(), asio::buffer(bytes), asio::redirect_error(asio::use_awaitable, ec));
  session->write_deadline.cancel();
  co_return !ec;
}

}  // namespace weft::node
