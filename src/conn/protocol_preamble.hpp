#pragma once
// The protocol preamble that starts every pooled stream (docs/connection_table.md,
// "Streams"): the opener writes the protocol name as a uvarint length (1..256) followed
// by the name's bytes. Sans-IO: the encoder, and an incremental reader for the acceptor.

#include <weft/bytes.hpp>
#include <weft/error.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace weft::conn {

/// Longest protocol name in a preamble.
inline constexpr std::size_t kMaxProtocolNameBytes = 256;

/// The preamble the opener writes: uvarint length, then the name.
Bytes encode_protocol_preamble(std::string_view protocol);

/// Reads one preamble from a stream, never past its end: wanted() says how many bytes it
/// can take next, so the bytes after the preamble (the request) stay in the stream.
///
///   PreambleReader reader;
///   while (!reader.complete()) { read up to reader.wanted() bytes; reader.put(them) }
///   reader.protocol()  // the name
///
/// Errors (request_malformed): a length of 0 or over kMaxProtocolNameBytes, or a length
/// prefix that is overlong or longer than two bytes. After an error the reader takes
/// nothing more.
class PreambleReader {
 public:
  /// Bytes put() takes now: 0 once complete or failed.
  std::size_t wanted() const noexcept;
  /// Takes at most wanted() bytes (more is a contract violation and an error).
  Result<void> put(ByteView bytes);
  bool complete() const noexcept { return state_ == State::complete; }
  bool failed() const noexcept { return state_ == State::failed; }
  /// The protocol name once complete().
  const std::string& protocol() const noexcept { return protocol_; }

 private:
  enum class State : std::uint8_t { length, name, complete, failed };
  Result<void> fail(std::string detail);

  State state_ = State::length;
  std::uint8_t length_bytes_[2] = {0, 0};  ///< a length past 16383 is over the cap anyway
  std::size_t length_seen_ = 0;
  std::size_t name_length_ = 0;
  std::string protocol_;
};

}  // namespace weft::conn
