#include "admin_client.hpp"

#include "node/api_address.hpp"

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

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

}  // namespace weft::cli
