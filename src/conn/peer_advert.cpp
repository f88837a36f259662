#include "conn/peer_advert.hpp"

#include "handshake/handshake_messages.hpp"

namespace weft::conn {

handshake::EarlyData make_early_data(const std::vector<Multiaddr>& listen, const std::vector<std::string>& protocols,
                                     std::size_t max_bytes) {
  handshake::EarlyData out;
  const auto fits = [&] { return handshake::serialize_early_data(out).size() <= max_bytes; };
  for (const auto& address : listen) {
    out.listen_addrs.push_back(address.bytes());
    if (!fits()) {
      out.listen_addrs.pop_back();
      return out;
    }
  }
  for (const auto& protocol : protocols) {
    out.protocols.push_back(protocol);
    if (!fits()) {
      out.protocols.pop_back();
      return out;
    }
  }
  return out;
}

PeerAdvert read_advert(const handshake::EarlyData& early_data) {
  PeerAdvert out;
  for (const auto& bytes : early_data.listen_addrs) {
    if (auto address = Multiaddr::from_bytes(bytes)) out.listen_addresses.push_back(std::move(address).value());
  }
  out.protocols = early_data.protocols;
  return out;
}

}  // namespace weft::conn
