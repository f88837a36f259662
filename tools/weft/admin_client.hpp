#pragma once
// The client side of the node's admin HTTP API (src/node/admin_api.hpp), for `weft status`,
// `weft peers` and `weft connect`: finds the API (an explicit HOST:PORT, else the running
// node's <data-dir>/api.addr) and makes one HTTP/1.1 request with a deadline.

#include <weft/error.hpp>

#include "util/asio.hpp"

#include <boost/beast/http/verb.hpp>

#include <chrono>
#include <string>

namespace weft::cli {

/// An HTTP answer: status code and body (JSON from a weft node).
struct AdminResponse {
  unsigned status = 0;
  std::string body;
};

/// Where to reach the admin API: `api` ("<ip>:<port>", "[<ipv6>]:<port>") when not empty,
/// else the address in <data_dir>/api.addr, with data_dir empty meaning $HOME/.weft.
/// Errors: config_invalid for a bad `api`, or HOME unset; node_not_running when there is no
/// api.addr (detail: its path); the file's read error; config_invalid for a file that does
/// not hold an address.
Result<tcp::endpoint> find_admin_api(const std::string& api, const std::string& data_dir);

/// One request with a JSON body (empty: none), answered within `timeout`. Any HTTP status
/// is a response. Errors: the connection's system error (connection refused: the node is
/// not running); request_timeout; request_too_large for an answer past 16 MiB;
/// request_malformed for one that is not HTTP.
Result<AdminResponse> admin_request(const tcp::endpoint& api, boost::beast::http::verb method, std::string target,
                                    std::string body, std::chrono::milliseconds timeout);

}  // namespace weft::cli
