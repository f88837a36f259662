// Fuzzes the gossip RPC decoder and frame reader (what the gossip stream driver calls).
// Input: byte 0 picks the limits (bit 0: small ones) and the read size for the frame
// reader (bits 1-7); the rest is the peer's bytes, decoded as one RPC body and fed as a
// stream. Invariants:
// - a decoded RPC passes check_rpc_limits, and its re-encoding decodes to the same RPC;
// - the frame reader takes only what it is offered, never buffers past the cap, and each
//   frame it returns is at most max_rpc_bytes.

#include "gossip/rpc_codec.hpp"
#include "gossip/rpc_frame_reader.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>

using namespace weft;
using namespace weft::gossip;

namespace {

RpcLimits limits_for(std::uint8_t mode) {
  RpcLimits l;
  if ((mode & 1) == 0) return l;
  l.max_rpc_bytes = 2048;
  l.max_message_bytes = 256;
  l.max_topic_bytes = 16;
  l.max_subscriptions_per_rpc = 4;
  l.max_messages_per_rpc = 4;
  l.max_control_entries_per_rpc = 8;
  l.max_ids_per_control_entry = 8;
  return l;
}

void check_body(ByteView body, const RpcLimits& limits) {
  auto rpc = decode_rpc(body, limits);
  if (!rpc) return;
  if (!check_rpc_limits(rpc.value(), limits)) __builtin_trap();
  const Bytes again = encode_rpc(rpc.value());
  // Re-encoding writes absent SubOpts fields explicitly, so it may outgrow a small cap.
  if (again.size() > limits.max_rpc_bytes) return;
  auto back = decode_rpc(again, limits);
  if (!back || !(back.value() == rpc.value())) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::uint8_t mode = data[0];
  const RpcLimits limits = limits_for(mode);
  const ByteView in(data + 1, size - 1);
  check_body(in, limits);

  RpcFrameReader reader(limits.max_rpc_bytes);
  const std::size_t step = 1 + (mode >> 1);
  ByteView rest = in;
  while (!rest.empty()) {
    const ByteView chunk = rest.first(std::min(step, rest.size()));
    auto used = reader.put(chunk);
    if (!used) break;
    if (used.value() > chunk.size()) __builtin_trap();
    if (reader.buffered_bytes() > limits.max_rpc_bytes + 16) __builtin_trap();
    rest = rest.subspan(used.value());
    if (auto frame = reader.poll_frame()) {
      if (frame->size() > limits.max_rpc_bytes) __builtin_trap();
      check_body(*frame, limits);
    } else if (used.value() < chunk.size()) {
      __builtin_trap();  // took less without a whole frame waiting
    }
  }
  return 0;
}
