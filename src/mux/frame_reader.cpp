#include "mux/frame_reader.hpp"

#include <algorithm>

namespace weft::mux {

Result<FrameReader::Step> FrameReader::next(ByteView in) {
  if (failed_) return error_;
  Step step;
  if (in.empty()) return step;
  if (payload_left_ > 0) {
    const std::size_t take = std::min<std::size_t>(payload_left_, in.size());
    step.used = take;
    step.payload = in.first(take);
    payload_left_ -= static_cast<std::uint32_t>(take);
    step.frame_done = payload_left_ == 0;
    return step;
  }
  const std::size_t take = std::min<std::size_t>(kHeaderBytes - header_have_, in.size());
  std::copy_n(in.begin(), take, header_.begin() + header_have_);
  header_have_ = static_cast<std::uint8_t>(header_have_ + take);
  step.used = take;
  if (header_have_ < kHeaderBytes) return step;
  header_have_ = 0;
  auto header = decode_header(header_);
  if (!header) {
    failed_ = true;
    error_ = header.error();
    return error_;
  }
  payload_left_ = header.value().payload_bytes();
  step.header = header.value();
  step.frame_done = payload_left_ == 0;
  return step;
}

}  // namespace weft::mux
