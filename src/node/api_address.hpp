#pragma once
// The admin API's address and its discovery file. While a node's admin API runs, the file
// <data_dir>/api.addr holds its address as one line, "127.0.0.1:43123\n"; `weft status`
// and the other admin commands read it to find the node. It is replaced atomically (a
// temporary file in the same directory, then rename), so a reader sees a whole address or
// no file, never part of one; the node removes it when it stops cleanly (a killed node
// leaves a stale one behind: a client then fails to connect to it, and says so).

#include <weft/error.hpp>

#include "util/asio.hpp"

#include <filesystem>
#include <string>
#include <string_view>

namespace weft::node {

inline constexpr std::string_view kApiAddressFileName = "api.addr";

/// "<ipv4>:<port>" or "[<ipv6>]:<port>" as an endpoint. Errors: config_invalid saying what
/// is expected.
Result<tcp::endpoint> parse_api_address(std::string_view text);
/// The inverse of parse_api_address.
std::string format_api_address(const tcp::endpoint& endpoint);

/// Writes `address` as <dir>/api.addr, atomically. Errors: the failing system call's code,
/// with the path as detail.
Result<void> write_api_address_file(const std::filesystem::path& dir, std::string_view address);
/// Removes <dir>/api.addr if it still holds `address` (another node may have replaced it).
void remove_api_address_file(const std::filesystem::path& dir, std::string_view address);
/// The address in <dir>/api.addr, validated. Errors: node_not_running (detail: the path)
/// when there is no such file; the read's system error; config_invalid (detail: the path)
/// when it does not hold an address.
Result<tcp::endpoint> read_api_address_file(const std::filesystem::path& dir);

}  // namespace weft::node
