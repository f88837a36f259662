#include "handshake/handshake_framing.hpp"

#include "identity/varint.hpp"

#include <algorithm>
#include <string>

namespace weft::handshake {

Bytes frame_message(ByteView body) {
  Bytes out;
  out.reserve(identity::uvarint_size(body.size()) + body.size());
  identity::append_uvarint(out, body.size());
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

Result<FrameReader::Step> FrameReader::put(ByteView in) {
  Step step;
  while (prefix_bytes_ == 0 && step.consumed < in.size()) {
    frame_.push_back(in[step.consumed++]);
    auto prefix = identity::decode_uvarint_prefix(frame_);
    if (!prefix) {
      if (prefix.error() == Errc::varint_overflow) {
        return Error(Errc::handshake_too_large, "length prefix overflows");
      }
      return Error(Errc::handshake_malformed, "length prefix: " + prefix.error().message());
    }
    if (!prefix.value().has_value()) {
      // Every byte so far has its continuation bit set, so the value is at least 2^(7n).
      const std::size_t bits = 7 * frame_.size();
      if (bits >= 64 || (std::uint64_t{1} << bits) > cap_bytes_) {
        return Error(Errc::handshake_too_large,
                     "length prefix of " + std::to_string(frame_.size()) + "+ bytes, cap " +
                         std::to_string(cap_bytes_) + " bytes");
      }
      continue;
    }
    const std::uint64_t length = prefix.value()->value;
    if (length > cap_bytes_) {
      return Error(Errc::handshake_too_large,
                   "length " + std::to_string(length) + ", cap " + std::to_string(cap_bytes_) + " bytes");
    }
    prefix_bytes_ = frame_.size();
    body_bytes_ = static_cast<std::size_t>(length);
    frame_.reserve(prefix_bytes_ + body_bytes_);
  }
  if (prefix_bytes_ == 0) return step;
  const std::size_t missing = prefix_bytes_ + body_bytes_ - frame_.size();
  const std::size_t take = std::min(missing, in.size() - step.consumed);
  frame_.insert(frame_.end(), in.begin() + static_cast<std::ptrdiff_t>(step.consumed),
                in.begin() + static_cast<std::ptrdiff_t>(step.consumed + take));
  step.consumed += take;
  step.complete = frame_.size() == prefix_bytes_ + body_bytes_;
  return step;
}

void FrameReader::reset(std::size_t cap_bytes) {
  cap_bytes_ = cap_bytes;
  Bytes().swap(frame_);
  prefix_bytes_ = 0;
  body_bytes_ = 0;
}

}  // namespace weft::handshake
