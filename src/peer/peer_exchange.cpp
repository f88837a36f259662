#include "peer/peer_exchange.hpp"

#include "peer_exchange.pb.h"

#include <google/protobuf/io/coded_stream.h>

#include <algorithm>
#include <climits>
#include <string>
#include <unordered_set>

namespace weft::peer {
namespace {

namespace pb = weft::wire;
using google::protobuf::io::CodedInputStream;

Error malformed(const std::string& detail) { return Error(Errc::px_malformed, detail); }

Error over(Errc code, std::size_t got, const char* what, std::size_t limit) {
  return Error(code, std::to_string(got) + " " + what + ", limit " + std::to_string(limit));
}

/// Walks the fields of one protobuf message, calling on_len(number, payload) for each
/// length-delimited field and skipping the others, without allocating. Errors (px_malformed)
/// for what protobuf would not parse: truncation, bad varints, field number 0, groups.
template <class OnLen>
Result<void> walk(ByteView in, OnLen&& on_len) {
  CodedInputStream s(in.data(), static_cast<int>(in.size()));
  for (;;) {
    const std::uint32_t tag = s.ReadTag();
    if (tag == 0) {
      if (static_cast<std::size_t>(s.CurrentPosition()) == in.size()) return success();
      return malformed("bad tag");
    }
    const std::uint32_t number = tag >> 3;
    if (number == 0) return malformed("field number 0");
    switch (tag & 7) {
      case 0: {
        std::uint64_t ignored = 0;
        if (!s.ReadVarint64(&ignored)) return malformed("bad varint");
        break;
      }
      case 1:
        if (!s.Skip(8)) return malformed("truncated fixed64");
        break;
      case 5:
        if (!s.Skip(4)) return malformed("truncated fixed32");
        break;
      case 2: {
        std::uint32_t n = 0;
        if (!s.ReadVarint32(&n)) return malformed("bad length");
        const auto at = static_cast<std::size_t>(s.CurrentPosition());
        if (n > in.size() - at) return malformed("length past the end");
        if (!s.Skip(static_cast<int>(n))) return malformed("length past the end");
        BOOST_OUTCOME_TRY(on_len(number, in.subspan(at, n)));
        break;
      }
      default: return malformed("unsupported wire type " + std::to_string(tag & 7));
    }
  }
}

/// The limits of a response, checked on its wire form.
Result<void> scan_response(ByteView body, const PeerExchangeLimits& limits) {
  std::size_t records = 0;
  return walk(body, [&](std::uint32_t number, ByteView record) -> Result<void> {
    if (number != 1) return success();  // an unknown field: protobuf skips it too
    if (++records > limits.max_peers_per_response) {
      return over(Errc::px_too_many_peers, records, "records", limits.max_peers_per_response);
    }
    std::size_t addrs = 0;
    return walk(record, [&](std::uint32_t field, ByteView value) -> Result<void> {
      if (field != 1 && field != 2) return success();
      if (value.size() > limits.max_addr_bytes) {
        return over(Errc::px_addr_too_long, value.size(), field == 1 ? "PeerId bytes" : "address bytes",
                    limits.max_addr_bytes);
      }
      if (field == 2 && ++addrs > limits.max_addrs_per_peer) {
        return over(Errc::px_too_many_addrs, addrs, "addresses in one record", limits.max_addrs_per_peer);
      }
      return success();
    });
  });
}

ByteView view(const std::string& s) { return as_bytes(s); }

template <class M>
Bytes serialize(const M& message) {
  Bytes out(message.ByteSizeLong());
  message.SerializeToArray(out.data(), static_cast<int>(out.size()));
  return out;
}

}  // namespace

Bytes encode_request(const PeerExchangeRequest& request) {
  pb::PeerExchangeRequest m;
  m.set_max_peers(request.max_peers);
  return serialize(m);
}

Result<PeerExchangeRequest> decode_request(ByteView body, const PeerExchangeLimits& limits) {
  if (body.size() > limits.max_request_bytes || body.size() > static_cast<std::size_t>(INT_MAX)) {
    return over(Errc::px_message_too_large, body.size(), "bytes", limits.max_request_bytes);
  }
  BOOST_OUTCOME_TRY(walk(body, [](std::uint32_t, ByteView) -> Result<void> { return success(); }));
  pb::PeerExchangeRequest m;
  if (!m.ParseFromArray(body.data(), static_cast<int>(body.size()))) return malformed("protobuf parse failed");
  return PeerExchangeRequest{m.max_peers()};
}

std::size_t requested_peers(const PeerExchangeRequest& request, const PeerExchangeLimits& limits) noexcept {
  if (request.max_peers == 0) return limits.max_peers_per_response;
  return std::min<std::size_t>(request.max_peers, limits.max_peers_per_response);
}

Result<Bytes> encode_response(const PeerExchangeResponse& response, const PeerExchangeLimits& limits) {
  if (response.peers.size() > limits.max_peers_per_response) {
    return over(Errc::px_too_many_peers, response.peers.size(), "records", limits.max_peers_per_response);
  }
  pb::PeerExchangeResponse m;
  for (const ExchangeRecord& r : response.peers) {
    if (r.addrs.size() > limits.max_addrs_per_peer) {
      return over(Errc::px_too_many_addrs, r.addrs.size(), "addresses in one record", limits.max_addrs_per_peer);
    }
    if (r.peer.bytes().size() > limits.max_addr_bytes) {
      return over(Errc::px_addr_too_long, r.peer.bytes().size(), "PeerId bytes", limits.max_addr_bytes);
    }
    pb::PeerRecord* out = m.add_peers();
    out->set_peer_id(r.peer.bytes().data(), r.peer.bytes().size());
    for (const Multiaddr& a : r.addrs) {
      if (a.bytes().size() > limits.max_addr_bytes) {
        return over(Errc::px_addr_too_long, a.bytes().size(), "address bytes", limits.max_addr_bytes);
      }
      out->add_addrs(a.bytes().data(), a.bytes().size());
    }
  }
  if (m.ByteSizeLong() > limits.max_message_bytes) {
    return over(Errc::px_message_too_large, m.ByteSizeLong(), "bytes", limits.max_message_bytes);
  }
  return serialize(m);
}

Result<DecodedPeerExchange> decode_response(ByteView body, const PeerExchangeLimits& limits) {
  if (body.size() > limits.max_message_bytes || body.size() > static_cast<std::size_t>(INT_MAX)) {
    return over(Errc::px_message_too_large, body.size(), "bytes", limits.max_message_bytes);
  }
  BOOST_OUTCOME_TRY(scan_response(body, limits));
  pb::PeerExchangeResponse m;
  if (!m.ParseFromArray(body.data(), static_cast<int>(body.size()))) return malformed("protobuf parse failed");

  DecodedPeerExchange out;
  std::unordered_set<PeerId> seen_peers;
  for (const pb::PeerRecord& r : m.peers()) {
    auto id = PeerId::from_bytes(view(r.peer_id()));
    if (!id || seen_peers.count(id.value()) != 0) {
      ++out.dropped_records;
      out.dropped_addrs += static_cast<std::size_t>(r.addrs_size());
      continue;
    }
    ExchangeRecord record{id.value(), {}};
    for (const std::string& raw : r.addrs()) {
      auto addr = Multiaddr::from_bytes(view(raw));
      const bool bad = !addr || (addr.value().peer_id() && *addr.value().peer_id() != record.peer) ||
                       std::find(record.addrs.begin(), record.addrs.end(), addr.value()) != record.addrs.end();
      if (bad) {
        ++out.dropped_addrs;
        continue;
      }
      record.addrs.push_back(std::move(addr).value());
    }
    if (record.addrs.empty()) {
      ++out.dropped_records;
      continue;
    }
    seen_peers.insert(record.peer);
    out.response.peers.push_back(std::move(record));
  }
  return out;
}

std::vector<ExchangeRecord> fit_to_limits(std::vector<ExchangeRecord> sample, const PeerId& requester,
                                      const PeerExchangeLimits& limits) {
  std::vector<ExchangeRecord> out;
  std::unordered_set<PeerId> seen;
  for (ExchangeRecord& record : sample) {
    if (out.size() == limits.max_peers_per_response) break;
    if (record.peer == requester || record.peer.bytes().size() > limits.max_addr_bytes) continue;
    if (seen.count(record.peer) > 0) continue;
    ExchangeRecord kept{record.peer, {}};
    for (Multiaddr& a : record.addrs) {
      if (kept.addrs.size() == limits.max_addrs_per_peer) break;
      if (a.bytes().size() <= limits.max_addr_bytes) kept.addrs.push_back(std::move(a));
    }
    if (kept.addrs.empty()) continue;
    seen.insert(kept.peer);
    out.push_back(std::move(kept));
  }
  return out;
}

}  // namespace weft::peer
