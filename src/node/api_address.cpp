#include "node/api_address.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <fstream>
#include <system_error>

namespace weft::node {
namespace {

namespace fs = std::filesystem;

/// Longer than any address; a bigger file is not ours.
constexpr std::streamsize kMaxFileBytes = 128;

Error invalid_address(std::string_view text) {
  return Error(Errc::config_invalid, "'" + std::string(text) + "' is not <ip>:<port> (IPv6 in brackets: [::1]:5001)");
}

Error system_error(const fs::path& path) { return Error(std::error_code(errno, std::generic_category()), path.string()); }

}  // namespace

Result<tcp::endpoint> parse_api_address(std::string_view text) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == text.size()) return invalid_address(text);
  std::string_view host = text.substr(0, colon);
  const std::string_view port_text = text.substr(colon + 1);
  const bool bracketed = host.front() == '[';
  if (bracketed) {
    if (host.size() < 3 || host.back() != ']') return invalid_address(text);
    host = host.substr(1, host.size() - 2);
  }
  unsigned port = 0;
  const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || end != port_text.data() + port_text.size() || port > 65535) return invalid_address(text);
  boost::system::error_code bad;
  const auto ip = asio::ip::make_address(std::string(host), bad);
  if (bad || ip.is_v6() != bracketed) return invalid_address(text);
  return tcp::endpoint(ip, static_cast<std::uint16_t>(port));
}

std::string format_api_address(const tcp::endpoint& endpoint) {
  const auto ip = endpoint.address();
  return (ip.is_v6() ? "[" + ip.to_string() + "]" : ip.to_string()) + ":" + std::to_string(endpoint.port());
}

Result<void> write_api_address_file(const fs::path& dir, std::string_view address) {
  const fs::path target = dir / kApiAddressFileName;
  const fs::path temporary = dir / (std::string(kApiAddressFileName) + ".tmp." + std::to_string(::getpid()));
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return system_error(temporary);
  const std::string line = std::string(address) + "\n";
  std::size_t written = 0;
  while (written < line.size()) {
    const ssize_t n = ::write(fd, line.data() + written, line.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      Error error = system_error(temporary);
      ::close(fd);
      ::unlink(temporary.c_str());
      return error;
    }
    written += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0 || ::rename(temporary.c_str(), target.c_str()) != 0) {
    Error error = system_error(target);
    ::unlink(temporary.c_str());
    return error;
  }
  return success();
}

void remove_api_address_file(const fs::path& dir, std::string_view address) {
  const fs::path target = dir / kApiAddressFileName;
  auto current = read_api_address_file(dir);
  if (current && format_api_address(current.value()) == address) ::unlink(target.c_str());
}

Result<tcp::endpoint> read_api_address_file(const fs::path& dir) {
  const fs::path path = dir / kApiAddressFileName;
  std::error_code exists_error;
  if (!fs::exists(path, exists_error) && !exists_error) return Error(Errc::node_not_running, "no " + path.string());
  std::ifstream in(path, std::ios::binary);
  if (!in) return exists_error ? Error(exists_error, path.string()) : system_error(path);
  std::string text(static_cast<std::size_t>(kMaxFileBytes), '\0');
  in.read(text.data(), kMaxFileBytes);
  text.resize(static_cast<std::size_t>(in.gcount()));
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
  auto endpoint = parse_api_address(text);
  if (!endpoint) return endpoint.error().with_context(path.string());
  return endpoint;
}

}  // namespace weft::node
