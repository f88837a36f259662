#include "wire_size.hpp"

namespace weft::sim {
namespace {

// Every field number in gossip.proto is below 16: one tag byte.
constexpr std::size_t kTag = 1;

/// A length-delimited field (bytes or a sub-message) whose payload is `n` bytes.
std::size_t field(std::size_t n) noexcept { return kTag + varint_bytes(n) + n; }

template <class Opt>
std::size_t optional_bytes(const Opt& value) noexcept {
  return value ? field(value->size()) : 0;
}

std::size_t ids_bytes(const std::vector<gossip::MessageId>& ids) noexcept {
  std::size_t n = 0;
  for (const auto& id : ids) n += field(id.size());
  return n;
}

std::size_t message_body(const gossip::Message& m) noexcept {
  return optional_bytes(m.from) + optional_bytes(m.data) + optional_bytes(m.seqno) + optional_bytes(m.topic) +
         optional_bytes(m.signature) + optional_bytes(m.key);
}

std::size_t control_body(const gossip::ControlMessage& c) noexcept {
  std::size_t n = 0;
  for (const auto& e : c.ihave) n += field(field(e.topic.size()) + ids_bytes(e.ids));
  for (const auto& e : c.iwant) n += field(ids_bytes(e.ids));
  for (const auto& e : c.graft) n += field(field(e.topic.size()));
  for (const auto& e : c.prune) {
    std::size_t p = field(e.topic.size());
    for (const auto& info : e.peers) {
      std::size_t i = field(info.peer_id.size());
      if (!info.signed_peer_record.empty()) i += field(info.signed_peer_record.size());
      p += field(i);
    }
    if (e.backoff_s) p += kTag + varint_bytes(*e.backoff_s);
    n += field(p);
  }
  for (const auto& e : c.idontwant) n += field(ids_bytes(e.ids));
  return n;
}

}  // namespace

std::size_t varint_bytes(std::uint64_t v) noexcept {
  std::size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}

WireSize rpc_wire_size(const gossip::Rpc& rpc) noexcept {
  std::size_t body = 0;
  for (const auto& s : rpc.subscriptions) body += field(kTag + 1 + field(s.topic.size()));  // bool + topic
  std::size_t messages = 0;
  for (const auto& m : rpc.publish) messages += field(message_body(*m));
  body += messages;
  if (!rpc.control.empty()) body += field(control_body(rpc.control));
  return WireSize{varint_bytes(body) + body, messages};
}

}  // namespace weft::sim
