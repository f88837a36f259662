#include "gossip/rpc_codec.hpp"

#include "gossip.pb.h"
#include "identity/varint.hpp"

#include <climits>
#include <string>

namespace weft::gossip {
namespace {

namespace pb = weft::wire::pubsub;

// ---- wire walk: counts and sizes before protobuf allocates anything ----------------------

constexpr std::uint32_t kVarint = 0, kFixed64 = 1, kLen = 2, kFixed32 = 5;

Error malformed(const std::string& detail) { return Error(Errc::gossip_rpc_malformed, detail); }

/// One field of a protobuf message: its number, wire type and, for kLen, its payload.
struct Field {
  std::uint32_t number = 0;
  std::uint32_t type = 0;
  ByteView payload;
};

class WireWalker {
 public:
  explicit WireWalker(ByteView in) : in_(in) {}
  bool done() const noexcept { return at_ == in_.size(); }

  /// The next field, or an error for anything protobuf would not parse as our schema's
  /// wire format (groups, field number 0, truncation).
  Result<Field> next() {
    Field f;
    BOOST_OUTCOME_TRY(tag, varint());
    f.number = static_cast<std::uint32_t>(tag >> 3);
    f.type = static_cast<std::uint32_t>(tag & 7);
    if (f.number == 0 || tag >> 3 > 0x1FFFFFFF) return malformed("bad field number");
    switch (f.type) {
      case kVarint: {
        BOOST_OUTCOME_TRY(ignored, varint());
        (void)ignored;
        return f;
      }
      case kFixed64: return skip(f, 8);
      case kFixed32: return skip(f, 4);
      case kLen: {
        BOOST_OUTCOME_TRY(n, varint());
        if (n > in_.size() - at_) return malformed("length past the end");
        f.payload = in_.subspan(at_, static_cast<std::size_t>(n));
        at_ += static_cast<std::size_t>(n);
        return f;
      }
      default: return malformed("unsupported wire type " + std::to_string(f.type));
    }
  }

 private:
  Result<Field> skip(Field f, std::size_t n) {
    if (n > in_.size() - at_) return malformed("fixed field past the end");
    at_ += n;
    return f;
  }
  /// A protobuf varint: up to 10 bytes, non-minimal forms allowed (protobuf accepts them).
  Result<std::uint64_t> varint() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 70; shift += 7) {
      if (at_ == in_.size()) return malformed("truncated varint");
      const std::uint8_t b = in_[at_++];
      if (shift == 63 && (b & 0x7E) != 0) return malformed("varint overflow");
      v |= std::uint64_t{b & 0x7Fu} << shift;
      if ((b & 0x80) == 0) return v;
    }
    return malformed("varint longer than 10 bytes");
  }

  ByteView in_;
  std::size_t at_ = 0;
};

Error over(Errc code, const char* what, std::size_t limit) {
  return Error(code, std::string("more than ") + std::to_string(limit) + " " + what);
}

Result<void> check_topic(ByteView topic, const RpcLimits& limits) {
  if (topic.size() > limits.max_topic_bytes) {
    return Error(Errc::gossip_topic_too_long,
                 std::to_string(topic.size()) + " bytes, limit " + std::to_string(limits.max_topic_bytes));
  }
  return success();
}

Result<void> check_data(std::size_t bytes, const RpcLimits& limits) {
  if (bytes > limits.max_message_bytes) {
    return Error(Errc::gossip_message_too_large,
                 std::to_string(bytes) + " bytes, limit " + std::to_string(limits.max_message_bytes));
  }
  return success();
}

/// Calls on_field(field) for every field of `in`, on a length-delimited one with its payload.
template <class Fn>
Result<void> walk(ByteView in, Fn&& on_field) {
  WireWalker w(in);
  while (!w.done()) {
    BOOST_OUTCOME_TRY(f, w.next());
    BOOST_OUTCOME_TRY(on_field(f));
  }
  return success();
}

struct ControlCounts {
  std::size_t entries = 0;
};

Result<void> count_entry(ControlCounts& c, const RpcLimits& limits) {
  if (++c.entries > limits.max_control_entries_per_rpc) {
    return over(Errc::gossip_too_many_control, "control entries", limits.max_control_entries_per_rpc);
  }
  return success();
}

/// An IHAVE (ids in field 2, topic in 1), IWANT or IDONTWANT (ids in field 1, no topic).
Result<void> scan_id_list(ByteView in, std::uint32_t ids_field, bool has_topic, const RpcLimits& limits) {
  std::size_t ids = 0;
  return walk(in, [&](const Field& f) -> Result<void> {
    if (f.type != kLen) return success();
    if (f.number == ids_field && ++ids > limits.max_ids_per_control_entry) {
      return over(Errc::gossip_too_many_ids, "message ids in one entry", limits.max_ids_per_control_entry);
    }
    if (has_topic && f.number == 1) return check_topic(f.payload, limits);
    return success();
  });
}

Result<void> scan_prune(ByteView in, ControlCounts& counts, const RpcLimits& limits) {
  return walk(in, [&](const Field& f) -> Result<void> {
    if (f.type != kLen) return success();
    if (f.number == 1) return check_topic(f.payload, limits);
    if (f.number == 2) return count_entry(counts, limits);  // a PX peer
    return success();
  });
}

Result<void> scan_control(ByteView in, ControlCounts& counts, const RpcLimits& limits) {
  return walk(in, [&](const Field& f) -> Result<void> {
    if (f.type != kLen || f.number < 1 || f.number > 5) return success();
    BOOST_OUTCOME_TRY(count_entry(counts, limits));
    switch (f.number) {
      case 1: return scan_id_list(f.payload, 2, true, limits);
      case 2: return scan_id_list(f.payload, 1, false, limits);
      case 3: return walk(f.payload, [&](const Field& g) -> Result<void> {
          return g.type == kLen && g.number == 1 ? check_topic(g.payload, limits) : success();
        });
      case 4: return scan_prune(f.payload, counts, limits);
      default: return scan_id_list(f.payload, 1, false, limits);
    }
  });
}

Result<void> scan_rpc(ByteView body, const RpcLimits& limits) {
  std::size_t subscriptions = 0, messages = 0;
  ControlCounts counts;
  return walk(body, [&](const Field& f) -> Result<void> {
    if (f.type != kLen) return success();
    switch (f.number) {
      case 1:
        if (++subscriptions > limits.max_subscriptions_per_rpc) {
          return over(Errc::gossip_too_many_subscriptions, "subscriptions", limits.max_subscriptions_per_rpc);
        }
        return walk(f.payload, [&](const Field& g) -> Result<void> {
          return g.type == kLen && g.number == 2 ? check_topic(g.payload, limits) : success();
        });
      case 2:
        if (++messages > limits.max_messages_per_rpc) {
          return over(Errc::gossip_too_many_messages, "messages", limits.max_messages_per_rpc);
        }
        return walk(f.payload, [&](const Field& g) -> Result<void> {
          if (g.type != kLen) return success();
          if (g.number == 2) return check_data(g.payload.size(), limits);
          if (g.number == 4) return check_topic(g.payload, limits);
          return success();
        });
      case 3: return scan_control(f.payload, counts, limits);
      default: return success();
    }
  });
}

// ---- conversion ---------------------------------------------------------------------------

Bytes bytes_of(const std::string& s) { return Bytes(s.begin(), s.end()); }
std::string string_of(const Bytes& b) { return std::string(b.begin(), b.end()); }

std::vector<MessageId> ids_of(const google::protobuf::RepeatedPtrField<std::string>& ids) {
  return std::vector<MessageId>(ids.begin(), ids.end());
}

Message from_pb(const pb::Message& m) {
  Message out;
  if (m.has_from()) out.from = bytes_of(m.from());
  if (m.has_data()) out.data = bytes_of(m.data());
  if (m.has_seqno()) out.seqno = bytes_of(m.seqno());
  if (m.has_topic()) out.topic = m.topic();
  if (m.has_signature()) out.signature = bytes_of(m.signature());
  if (m.has_key()) out.key = bytes_of(m.key());
  return out;
}

void to_pb(const Message& m, pb::Message& out, bool signed_fields_only) {
  if (m.from) out.set_from(string_of(*m.from));
  if (m.data) out.set_data(string_of(*m.data));
  if (m.seqno) out.set_seqno(string_of(*m.seqno));
  if (m.topic) out.set_topic(*m.topic);
  if (signed_fields_only) return;
  if (m.signature) out.set_signature(string_of(*m.signature));
  if (m.key) out.set_key(string_of(*m.key));
}

Rpc from_pb(const pb::RPC& r) {
  Rpc out;
  out.subscriptions.reserve(static_cast<std::size_t>(r.subscriptions_size()));
  for (const auto& s : r.subscriptions()) out.subscriptions.push_back({s.subscribe(), s.topicid()});
  out.publish.reserve(static_cast<std::size_t>(r.publish_size()));
  for (const auto& m : r.publish()) out.publish.push_back(std::make_shared<const Message>(from_pb(m)));
  if (!r.has_control()) return out;
  const pb::ControlMessage& c = r.control();
  for (const auto& e : c.ihave()) out.control.ihave.push_back({e.topicid(), ids_of(e.messageids())});
  for (const auto& e : c.iwant()) out.control.iwant.push_back({ids_of(e.messageids())});
  for (const auto& e : c.graft()) out.control.graft.push_back({e.topicid()});
  for (const auto& e : c.prune()) {
    ControlPrune p{e.topicid(), {}, std::nullopt};
    for (const auto& px : e.peers()) p.peers.push_back({bytes_of(px.peerid()), bytes_of(px.signedpeerrecord())});
    if (e.has_backoff()) p.backoff_s = e.backoff();
    out.control.prune.push_back(std::move(p));
  }
  for (const auto& e : c.idontwant()) out.control.idontwant.push_back({ids_of(e.messageids())});
  return out;
}

void to_pb(const Rpc& r, pb::RPC& out) {
  for (const SubOpts& s : r.subscriptions) {
    auto* e = out.add_subscriptions();
    e->set_subscribe(s.subscribe);
    e->set_topicid(s.topic);
  }
  for (const MessagePtr& m : r.publish) to_pb(*m, *out.add_publish(), false);
  if (r.control.empty()) return;
  pb::ControlMessage& c = *out.mutable_control();
  for (const auto& ih : r.control.ihave) {
    auto* e = c.add_ihave();
    e->set_topicid(ih.topic);
    for (const auto& id : ih.ids) e->add_messageids(id);
  }
  for (const auto& iw : r.control.iwant) {
    auto* e = c.add_iwant();
    for (const auto& id : iw.ids) e->add_messageids(id);
  }
  for (const auto& g : r.control.graft) c.add_graft()->set_topicid(g.topic);
  for (const auto& p : r.control.prune) {
    auto* e = c.add_prune();
    e->set_topicid(p.topic);
    for (const auto& px : p.peers) {
      auto* info = e->add_peers();
      info->set_peerid(string_of(px.peer_id));
      if (!px.signed_peer_record.empty()) info->set_signedpeerrecord(string_of(px.signed_peer_record));
    }
    if (p.backoff_s) e->set_backoff(*p.backoff_s);
  }
  for (const auto& d : r.control.idontwant) {
    auto* e = c.add_idontwant();
    for (const auto& id : d.ids) e->add_messageids(id);
  }
}

template <class M>
Bytes serialize(const M& message, std::size_t reserve_prefix) {
  const std::size_t n = message.ByteSizeLong();
  Bytes out;
  out.reserve(reserve_prefix + n);
  if (reserve_prefix > 0) identity::append_uvarint(out, n);
  const std::size_t at = out.size();
  out.resize(at + n);
  message.SerializeToArray(out.data() + at, static_cast<int>(n));
  return out;
}

template <class Entries>
Result<void> check_ids(const Entries& entries, const RpcLimits& limits) {
  for (const auto& e : entries) {
    if (e.ids.size() > limits.max_ids_per_control_entry) {
      return over(Errc::gossip_too_many_ids, "message ids in one entry", limits.max_ids_per_control_entry);
    }
  }
  return success();
}

}  // namespace

Result<Rpc> decode_rpc(ByteView body, const RpcLimits& limits) {
  if (body.size() > limits.max_rpc_bytes || body.size() > static_cast<std::size_t>(INT_MAX)) {
    return Error(Errc::gossip_rpc_too_large,
                 std::to_string(body.size()) + " bytes, limit " + std::to_string(limits.max_rpc_bytes));
  }
  BOOST_OUTCOME_TRY(scan_rpc(body, limits));
  pb::RPC message;
  if (!message.ParseFromArray(body.data(), static_cast<int>(body.size()))) {
    return malformed("protobuf parse failed");
  }
  return from_pb(message);
}

Result<void> check_rpc_limits(const Rpc& rpc, const RpcLimits& limits) {
  if (rpc.subscriptions.size() > limits.max_subscriptions_per_rpc) {
    return over(Errc::gossip_too_many_subscriptions, "subscriptions", limits.max_subscriptions_per_rpc);
  }
  for (const SubOpts& s : rpc.subscriptions) {
    BOOST_OUTCOME_TRY(check_topic(as_bytes(s.topic), limits));
  }
  if (rpc.publish.size() > limits.max_messages_per_rpc) {
    return over(Errc::gossip_too_many_messages, "messages", limits.max_messages_per_rpc);
  }
  for (const MessagePtr& m : rpc.publish) {
    BOOST_OUTCOME_TRY(check_data(m->data_bytes(), limits));
    if (m->topic) {
      BOOST_OUTCOME_TRY(check_topic(as_bytes(*m->topic), limits));
    }
  }
  const ControlMessage& c = rpc.control;
  std::size_t entries = c.ihave.size() + c.iwant.size() + c.graft.size() + c.prune.size() + c.idontwant.size();
  for (const ControlPrune& p : c.prune) entries += p.peers.size();
  if (entries > limits.max_control_entries_per_rpc) {
    return over(Errc::gossip_too_many_control, "control entries", limits.max_control_entries_per_rpc);
  }
  for (const auto& e : c.ihave) {
    BOOST_OUTCOME_TRY(check_topic(as_bytes(e.topic), limits));
  }
  for (const auto& e : c.graft) {
    BOOST_OUTCOME_TRY(check_topic(as_bytes(e.topic), limits));
  }
  for (const auto& e : c.prune) {
    BOOST_OUTCOME_TRY(check_topic(as_bytes(e.topic), limits));
  }
  BOOST_OUTCOME_TRY(check_ids(c.ihave, limits));
  BOOST_OUTCOME_TRY(check_ids(c.iwant, limits));
  BOOST_OUTCOME_TRY(check_ids(c.idontwant, limits));
  return success();
}

Bytes encode_rpc(const Rpc& rpc) {
  pb::RPC message;
  to_pb(rpc, message);
  return serialize(message, 0);
}

Bytes encode_rpc_frame(const Rpc& rpc) {
  pb::RPC message;
  to_pb(rpc, message);
  return serialize(message, identity::kMaxUvarintBytes);
}

Bytes encode_message_for_signing(const Message& message) {
  pb::Message m;
  to_pb(message, m, true);
  return serialize(m, 0);
}

bool operator==(const Rpc& a, const Rpc& b) {
  if (a.subscriptions != b.subscriptions || !(a.control == b.control)) return false;
  if (a.publish.size() != b.publish.size()) return false;
  for (std::size_t i = 0; i < a.publish.size(); ++i) {
    if (!(*a.publish[i] == *b.publish[i])) return false;
  }
  return true;
}

std::size_t estimated_rpc_bytes(const Rpc& rpc) noexcept {
  // Each length-delimited field costs at most 1 tag byte + a 5-byte length in these sizes;
  // counted as 8 per field to stay an upper bound with room to spare.
  constexpr std::size_t kField = 8;
  std::size_t n = 0;
  for (const SubOpts& s : rpc.subscriptions) n += 3 * kField + s.topic.size();
  for (const MessagePtr& m : rpc.publish) {
    n += kField;
    for (const auto* f : {&m->from, &m->data, &m->seqno, &m->signature, &m->key}) {
      if (*f) n += kField + (*f)->size();
    }
    if (m->topic) n += kField + m->topic->size();
  }
  const ControlMessage& c = rpc.control;
  n += kField;
  auto ids = [&](const std::vector<MessageId>& list) {
    for (const MessageId& id : list) n += kField + id.size();
  };
  for (const auto& e : c.ihave) { n += 2 * kField + e.topic.size(); ids(e.ids); }
  for (const auto& e : c.iwant) { n += kField; ids(e.ids); }
  for (const auto& e : c.graft) n += 2 * kField + e.topic.size();
  for (const auto& e : c.prune) {
    n += 4 * kField + e.topic.size();
    for (const auto& p : e.peers) n += 3 * kField + p.peer_id.size() + p.signed_peer_record.size();
  }
  for (const auto& e : c.idontwant) { n += kField; ids(e.ids); }
  return n;
}

}  // namespace weft::gossip
