#pragma once
// The client side of the node's admin HTTP API (src/node/admin_api.hpp), for `weft status`,
// `weft peers` and `weft connect`: finds the API (an explicit HOST:PORT, else the running
// node's <data-dir>/api.addr) and makes one HTTP/1.1 request with a deadline.

#include <weft/error.hpp>

#include "util/asio.hpp"

#include <boost/beast/http/verb.hpp>

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

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

/// How admin_stream() ended: an answer other than 200 (`body` holds it: an error), or the
/// stream's end, `by_node` true when the node ended the body (it stopped, or the connection
/// broke), false when `on_line` asked to stop.
struct StreamEnd {
  unsigned status = 0;
  std::string body;
  bool by_node = false;
};

/// A GET of a streaming endpoint (`/v1/subscribe`): calls `on_line` with each line of the
/// body (without its newline) as it arrives, until it returns false or the body ends. No
/// deadline: a stream may be quiet for as long as it likes. Errors: the connection's system
/// error before the answer's header (connection refused: the node is not running);
/// request_malformed for an answer that is not HTTP; request_too_large for a line or an
/// error answer past 16 MiB.
Result<StreamEnd> admin_stream(const tcp::endpoint& api, std::string target,
                               const std::function<bool(std::string_view line)>& on_line);

/// `text` percent-encoded for a URL query value (all but A-Z a-z 0-9 - . _ ~ escaped).
std::string percent_encode(std::string_view text);

}  // namespace weft::cli
