#include "admin_client.hpp"

#include "node/api_address.hpp"

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <array>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>

namespace weft::cli {
namespace {

namespace http = boost::beast::http;

/// Bound on an answer (a /v1/peers list of a thousand connections is a few hundred KiB).
constexpr std::uint64_t kMaxResponseBytes = 16 * 1024 * 1024;

using Outcome = std::shared_ptr<std::optional<Result<AdminResponse>>>;

asio::awaitable<Result<AdminResponse>> exchange(tcp::endpoint api, http::request<http::string_body> request,
                                                std::chrono::milliseconds timeout) {
  beast::tcp_stream stream(co_await asio::this_coro::executor);
  stream.expires_after(timeout);
  boost::system::error_code ec;
  co_await stream.async_connect(api, asio::redirect_error(asio::use_awaitable, ec));
  if (!ec) co_await http::async_write(stream, request, asio::redirect_error(asio::use_awaitable, ec));
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(kMaxResponseBytes);
  if (!ec) co_await http::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
  const std::string where = node::format_api_address(api);
  if (ec == beast::error::timeout) {
    co_return Error(Errc::request_timeout, "admin API at " + where + ": no answer within " +
                                               std::to_string(timeout.count()) + " ms");
  }
  if (ec == http::error::body_limit) co_return Error(Errc::request_too_large, "admin API at " + where);
  if (ec && ec.category() == http::make_error_code(http::error::bad_method).category()) {
    co_return Error(Errc::request_malformed, "admin API at " + where + ": " + ec.message());
  }
  if (ec) co_return Error(std::error_code(ec), "admin API at " + where);
  co_return AdminResponse{parser.get().result_int(), std::move(parser.get().body())};
}

/// exchange() with its result stored in `out` (co_spawn's handler needs no default Result).
asio::awaitable<void> exchange_into(tcp::endpoint api, http::request<http::string_body> request,
                                    std::chrono::milliseconds timeout, Outcome out) {
  *out = co_await exchange(api, std::move(request), timeout);
}

}  // namespace

Result<tcp::endpoint> find_admin_api(const std::string& api, const std::string& data_dir) {
  if (!api.empty()) {
    auto endpoint = node::parse_api_address(api);
    if (!endpoint) return endpoint.error().with_context("--api");
    return endpoint;
  }
  std::filesystem::path dir = data_dir;
  if (dir.empty()) {
    const char* home = std::getenv("HOME");
    if (home == nullptr || *home == '\0') return Error(Errc::config_invalid, "HOME is not set; use --data-dir or --api");
    dir = std::filesystem::path(home) / ".weft";
  }
  return node::read_api_address_file(dir);
}

Result<AdminResponse> admin_request(const tcp::endpoint& api, http::verb method, std::string target, std::string body,
                                    std::chrono::milliseconds timeout) {
  http::request<http::string_body> request{method, target, 11};
  request.set(http::field::host, node::format_api_address(api));
  request.set(http::field::user_agent, "weft-cli");
  request.keep_alive(false);
  if (!body.empty()) {
    request.set(http::field::content_type, "application/json");
    request.body() = std::move(body);
  }
  request.prepare_payload();

  asio::io_context io;
  auto result = std::make_shared<std::optional<Result<AdminResponse>>>();
  asio::co_spawn(io, exchange_into(api, std::move(request), timeout, result), [](std::exception_ptr e) {
    if (e) std::rethrow_exception(e);
  });
  io.run();
  return std::move(**result);
}

Result<StreamEnd> admin_stream(const tcp::endpoint& api, std::string target,
                               const std::function<bool(std::string_view line)>& on_line) {
  const std::string where = node::format_api_address(api);
  asio::io_context io;
  tcp::socket socket(io);
  boost::system::error_code ec;
  socket.connect(api, ec);
  if (ec) return Error(std::error_code(ec), "admin API at " + where);

  http::request<http::empty_body> request{http::verb::get, target, 11};
  request.set(http::field::host, where);
  request.set(http::field::user_agent, "weft-cli");
  request.keep_alive(false);
  http::write(socket, request, ec);
  if (ec) return Error(std::error_code(ec), "admin API at " + where);

  beast::flat_buffer buffer;
  http::response_parser<http::buffer_body> parser;
  parser.body_limit(boost::none);  // a stream: bounded per line below instead
  http::read_header(socket, buffer, parser, ec);
  if (ec && ec.category() == http::make_error_code(http::error::bad_method).category() &&
      ec != http::error::end_of_stream && ec != http::error::partial_message) {
    return Error(Errc::request_malformed, "admin API at " + where + ": " + ec.message());
  }
  if (ec) return Error(std::error_code(ec), "admin API at " + where);

  StreamEnd end;
  end.status = parser.get().result_int();
  std::string pending;
  std::array<char, 16 * 1024> chunk{};
  while (!parser.is_done()) {
    parser.get().body().data = chunk.data();
    parser.get().body().size = chunk.size();
    http::read_some(socket, buffer, parser, ec);
    if (ec == http::error::need_buffer) ec = {};
    pending.append(chunk.data(), chunk.size() - parser.get().body().size);
    if (end.status == 200) {
      std::size_t start = 0;
      for (std::size_t newline; (newline = pending.find('\n', start)) != std::string::npos; start = newline + 1) {
        if (!on_line(std::string_view(pending).substr(start, newline - start))) return end;
      }
      pending.erase(0, start);
    }
    if (pending.size() > kMaxResponseBytes) return Error(Errc::request_too_large, "admin API at " + where);
    if (ec) break;  // the connection broke: the stream is over
  }
  if (end.status != 200) end.body = std::move(pending);
  end.by_node = true;
  return end;
}

std::string percent_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) != 0 || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0x0F]);
    }
  }
  return out;
}

}  // namespace weft::cli
