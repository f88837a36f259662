#pragma once
// A raw HTTP/1.1 exchange over a blocking loopback socket, for tests of the admin API: the
// test writes the exact bytes (malformed requests included) and gets back everything the
// server sent until it closed. A receive timeout bounds every wait, so a bug fails the
// test instead of hanging it.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <string>

namespace weft::test {

struct HttpAnswer {
  int status = 0;       ///< 0: the server closed without an answer
  std::string headers;  ///< the status line and header lines, as sent
  std::string body;
  /// The value of header `name` (case as sent by the server), or "".
  std::string header(const std::string& name) const {
    const auto at = headers.find("\r\n" + name + ": ");
    if (at == std::string::npos) return {};
    const auto start = at + name.size() + 4;
    return headers.substr(start, headers.find("\r\n", start) - start);
  }
};

/// A connected blocking TCP socket to 127.0.0.1:`port` (or -1), reads bounded by 30 s;
/// `receive_buffer` > 0 sets SO_RCVBUF before connecting (a small window, for slow readers).
inline int connect_loopback(std::uint16_t port, int receive_buffer = 0) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  timeval patience{30, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &patience, sizeof patience);
  if (receive_buffer > 0) ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

/// Sends all of `bytes` (stopping quietly if the server closed meanwhile).
inline void send_all(int fd, const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    sent += static_cast<std::size_t>(n);
  }
}

/// Everything the server sends until it closes (or the 30 s read bound passes).
inline std::string receive_all(int fd) {
  std::string out;
  char buffer[4096];
  for (;;) {
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return out;
    out.append(buffer, static_cast<std::size_t>(n));
  }
}

inline HttpAnswer parse_answer(const std::string& raw) {
  HttpAnswer answer;
  const auto end = raw.find("\r\n\r\n");
  if (raw.rfind("HTTP/1.1 ", 0) != 0 || end == std::string::npos) return answer;
  answer.status = std::atoi(raw.c_str() + 9);
  answer.headers = raw.substr(0, end + 2);
  answer.body = raw.substr(end + 4);
  return answer;
}

/// Sends `request` as is and returns the answer.
inline HttpAnswer http_exchange(std::uint16_t port, const std::string& request) {
  const int fd = connect_loopback(port);
  if (fd < 0) return {};
  send_all(fd, request);
  HttpAnswer answer = parse_answer(receive_all(fd));
  ::close(fd);
  return answer;
}

/// A well-formed request with `body` (Content-Length set when not empty).
inline std::string http_request(const std::string& method, const std::string& target, const std::string& body = {}) {
  std::string request = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  if (!body.empty() || method == "POST") {
    request += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  }
  return request + "\r\n" + body;
}

}  // namespace weft::test
