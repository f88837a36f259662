#include "gossip/rpc_frame_reader.hpp"

#include "identity/varint.hpp"

#include <algorithm>
#include <string>

namespace weft::gossip {

Result<std::size_t> RpcFrameReader::put(ByteView in) {
  if (failed_) return *failed_;
  if (ready_) return std::size_t{0};
  std::size_t used = 0;
  while (!body_bytes_ && used < in.size()) {
    prefix_.push_back(in[used++]);
    auto decoded = identity::decode_uvarint_prefix(prefix_);
    if (!decoded) {
      const bool overflow = decoded.error() == Errc::varint_overflow;
      failed_ = Error(overflow ? Errc::gossip_rpc_too_large : Errc::gossip_rpc_malformed,
                      overflow ? "length prefix overflows" : "non-minimal length prefix");
      return *failed_;
    }
    if (!decoded.value()) {
      // Still incomplete: refuse as soon as every completion would exceed the cap.
      if (prefix_.size() >= identity::uvarint_size(max_rpc_bytes_)) {
        failed_ = Error(Errc::gossip_rpc_too_large, "length prefix above " + std::to_string(max_rpc_bytes_));
        return *failed_;
      }
      continue;
    }
    const std::uint64_t n = decoded.value()->value;
    if (n > max_rpc_bytes_) {
      failed_ = Error(Errc::gossip_rpc_too_large,
                      std::to_string(n) + " bytes, limit " + std::to_string(max_rpc_bytes_));
      return *failed_;
    }
    body_bytes_ = static_cast<std::size_t>(n);
  }
  if (body_bytes_) {
    const std::size_t take = std::min(in.size() - used, *body_bytes_ - body_.size());
    body_.insert(body_.end(), in.begin() + static_cast<std::ptrdiff_t>(used),
                 in.begin() + static_cast<std::ptrdiff_t>(used + take));
    used += take;
    if (body_.size() == *body_bytes_) ready_ = true;
  }
  return used;
}

std::optional<Bytes> RpcFrameReader::poll_frame() {
  if (!ready_) return std::nullopt;
  Bytes out = std::move(body_);
  body_ = Bytes();
  prefix_.clear();
  body_bytes_.reset();
  ready_ = false;
  return out;
}

}  // namespace weft::gossip
