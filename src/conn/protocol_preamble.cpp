#include "conn/protocol_preamble.hpp"

#include "identity/varint.hpp"

namespace weft::conn {

Bytes encode_protocol_preamble(std::string_view protocol) {
  Bytes out;
  out.reserve(2 + protocol.size());  // one allocation (a valid length takes at most two bytes)
  identity::append_uvarint(out, protocol.size());
  out.insert(out.end(), protocol.begin(), protocol.end());
  return out;
}

std::size_t PreambleReader::wanted() const noexcept {
  switch (state_) {
    case State::length: return 1;  // one at a time: never read into the name
    case State::name: return name_length_ - protocol_.size();
    case State::complete:
    case State::failed: return 0;
  }
  return 0;
}

Result<void> PreambleReader::put(ByteView bytes) {
  if (state_ == State::failed) return Error(Errc::request_malformed, "protocol preamble: already failed");
  if (bytes.size() > wanted()) return fail("protocol preamble: " + std::to_string(bytes.size()) +
                                           " bytes given, " + std::to_string(wanted()) + " wanted");
  for (const std::uint8_t byte : bytes) {
    if (state_ == State::length) {
      if (length_seen_ == sizeof length_bytes_) return fail("protocol preamble: length prefix too long");
      length_bytes_[length_seen_++] = byte;
      auto decoded = identity::decode_uvarint_prefix(ByteView(length_bytes_, length_seen_));
      if (!decoded) return fail("protocol preamble: bad length: " + decoded.error().message());
      if (!decoded.value()) continue;  // more length bytes to come
      const std::uint64_t length = decoded.value()->value;
      if (length == 0 || length > kMaxProtocolNameBytes) {
        return fail("protocol preamble: name length " + std::to_string(length) + " not in 1.." +
                    std::to_string(kMaxProtocolNameBytes));
      }
      name_length_ = static_cast<std::size_t>(length);
      protocol_.reserve(name_length_);
      state_ = State::name;
    } else {
      protocol_.push_back(static_cast<char>(byte));
      if (protocol_.size() == name_length_) state_ = State::complete;
    }
  }
  return success();
}

Result<void> PreambleReader::fail(std::string detail) {
  state_ = State::failed;
  protocol_.clear();
  return Error(Errc::request_malformed, std::move(detail));
}

}  // namespace weft::conn
