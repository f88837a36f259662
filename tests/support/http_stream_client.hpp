#pragma once
// A streaming HTTP/1.1 GET over a blocking loopback socket, for the admin API's topic
// streams: the test reads the answer's header, then the body line by line as the server
// writes it. Reads are bounded by 30 s (connect_loopback), so a bug fails the test instead
// of hanging it.

#include "http_test_client.hpp"

#include <optional>
#include <string>

namespace weft::test {

class HttpStream {
 public:
  /// `receive_buffer` > 0 fixes the socket's receive buffer (SO_RCVBUF, before connecting,
  /// so the kernel does not grow it): a client that does not read then stalls the server
  /// after a bounded number of bytes.
  HttpStream(std::uint16_t port, const std::string& target, int receive_buffer = 0)
      : fd_(connect_loopback(port, receive_buffer)) {
    if (fd_ >= 0) send_all(fd_, http_request("GET", target));
  }
  ~HttpStream() { close(); }
  HttpStream(const HttpStream&) = delete;
  HttpStream& operator=(const HttpStream&) = delete;

  /// Reads the status line and the headers; the status, 0 if the server closed first.
  int read_header() {
    std::size_t end;
    while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!receive()) return 0;
    }
    headers_ = buffer_.substr(0, end + 2);
    buffer_.erase(0, end + 4);
    if (headers_.rfind("HTTP/1.1 ", 0) != 0) return 0;
    return std::atoi(headers_.c_str() + 9);
  }
  /// The value of header `name` (after read_header), or "".
  std::string header(const std::string& name) const {
    HttpAnswer answer;
    answer.headers = headers_;
    return answer.header(name);
  }
  /// The next body line without its newline; nullopt once the server closed (or the read
  /// bound passed) before a whole line came.
  std::optional<std::string> next_line() {
    std::size_t newline;
    while ((newline = buffer_.find('\n')) == std::string::npos) {
      if (!receive()) return std::nullopt;
    }
    std::string line = buffer_.substr(0, newline);
    buffer_.erase(0, newline + 1);
    return line;
  }
  /// The rest of the body, until the server closes.
  std::string rest() {
    while (receive()) {
    }
    return std::move(buffer_);
  }
  /// Closes our side (the server sees the client go away).
  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  bool connected() const { return fd_ >= 0; }

 private:
  bool receive() {
    if (fd_ < 0) return false;
    char chunk[4096];
    for (;;) {
      const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      buffer_.append(chunk, static_cast<std::size_t>(n));
      return true;
    }
  }

  int fd_;
  std::string buffer_;
  std::string headers_;
};

}  // namespace weft::test
