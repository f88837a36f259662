#include "peer/peerstore.hpp"

#include "util/seeded_rng.hpp"

#include <algorithm>
#include <cmath>
#include <string_view>
#include <tuple>

namespace weft::peer {
namespace {

using std::chrono::milliseconds;

/// Times are held at millisecond resolution, the resolution they are persisted with.
WallTime to_ms(WallTime t) noexcept { return std::chrono::floor<milliseconds>(t); }

/// A later expiry is better; nullopt (never) is best.
bool expires_later(const std::optional<WallTime>& a, const std::optional<WallTime>& b) noexcept {
  if (!a) return b.has_value();
  return b && *a > *b;
}

/// Live addresses of `record`, most trusted source first (stable within a source).
std::vector<Multiaddr> live_addresses(const PeerRecord& record, WallTime now, std::size_t limit) {
  std::vector<const AddressRecord*> live;
  for (const auto& a : record.addresses) {
    if (a.live(now)) live.push_back(&a);
  }
  std::stable_sort(live.begin(), live.end(),
                   [](const AddressRecord* x, const AddressRecord* y) { return x->source < y->source; });
  std::vector<Multiaddr> out;
  for (const auto* a : live) {
    if (out.size() >= limit) break;
    out.push_back(a->address);
  }
  return out;
}

/// `address` without a trailing /p2p/<peer>; nullopt when empty or naming another peer.
std::optional<Multiaddr> normalize(const Multiaddr& address, const PeerId& peer) {
  if (address.empty()) return std::nullopt;
  const auto components = address.components();
  if (components.back().code != multiaddr_code::p2p) return address;
  const auto named = address.peer_id();
  if (!named || *named != peer) return std::nullopt;
  auto suffix = Multiaddr::parse("/p2p/" + peer.to_base58());
  if (!suffix) return std::nullopt;
  Multiaddr stripped = address.decapsulate(suffix.value());
  if (stripped.empty()) return std::nullopt;
  return stripped;
}

Error invalid(std::string_view setting, std::string_view why) {
  return Error(Errc::config_invalid, std::string(setting) + ": " + std::string(why));
}

}  // namespace

const char* to_string(AddressSource source) noexcept {
  switch (source) {
    case AddressSource::config: return "config";
    case AddressSource::bootstrap: return "bootstrap";
    case AddressSource::inbound: return "inbound";
    case AddressSource::peer_exchange: return "peer_exchange";
  }
  return "unknown";
}

bool is_trusted(AddressSource source) noexcept {
  return source == AddressSource::config || source == AddressSource::bootstrap;
}

Result<void> validate(const PeerstoreConfig& c) {
  if (c.max_peers == 0) return invalid("max_peers", "must be at least 1");
  if (c.max_banned_peers >= c.max_peers) return invalid("max_banned_peers", "must be below max_peers");
  if (c.max_addresses_per_peer == 0) return invalid("max_addresses_per_peer", "must be at least 1");
  if (c.max_addresses_per_subnet == 0) return invalid("max_addresses_per_subnet", "must be at least 1");
  if (c.peer_exchange_ttl_ms.count() <= 0) return invalid("peer_exchange_ttl_ms", "must be positive");
  if (c.inbound_ttl_ms.count() <= 0) return invalid("inbound_ttl_ms", "must be positive");
  if (c.max_address_ttl_ms.count() <= 0) return invalid("max_address_ttl_ms", "must be positive");
  if (c.max_protocols_per_peer == 0) return invalid("max_protocols_per_peer", "must be at least 1");
  if (c.max_protocol_bytes == 0) return invalid("max_protocol_bytes", "must be at least 1");
  if (c.max_public_key_bytes == 0) return invalid("max_public_key_bytes", "must be at least 1");
  if (!std::isfinite(c.min_score) || c.min_score > 0) return invalid("min_score", "must be finite and at most 0");
  if (!std::isfinite(c.max_score) || c.max_score < 0) return invalid("max_score", "must be finite and at least 0");
  if (!std::isfinite(c.connect_success_reward) || c.connect_success_reward < 0) {
    return invalid("connect_success_reward", "must be finite and not negative");
  }
  if (!std::isfinite(c.dial_failure_penalty) || c.dial_failure_penalty < 0) {
    return invalid("dial_failure_penalty", "must be finite and not negative");
  }
  if (!std::isfinite(c.exchange_min_score)) return invalid("exchange_min_score", "must be finite");
  return success();
}

bool PeerRecord::has_live_address(WallTime now) const noexcept {
  return std::any_of(addresses.begin(), addresses.end(), [now](const AddressRecord& a) { return a.live(now); });
}

bool PeerRecord::has_trusted_address() const noexcept {
  return std::any_of(addresses.begin(), addresses.end(), [](const AddressRecord& a) { return is_trusted(a.source); });
}

Peerstore::Peerstore(PeerstoreConfig config) : config_(std::move(config)) {}

double Peerstore::clamp_score(double score) const noexcept {
  if (std::isnan(score)) return 0.0;
  return std::clamp(score, config_.min_score, config_.max_score);
}

void Peerstore::mark_changed(const PeerId& peer) {
  if (all_changed_) return;
  changed_.insert(peer);
  // A churning store could name more distinct peers than it holds: past twice the peer cap,
  // a full rewrite is cheaper and keeps this set bounded.
  if (changed_.size() > 2 * config_.max_peers) {
    ++stats_.change_set_overflows;
    mark_all_changed();
  }
}

PeerstoreChanges Peerstore::take_changes() {
  PeerstoreChanges changes;
  changes.full_rewrite = all_changed_;
  changes.peers.assign(changed_.begin(), changed_.end());
  std::sort(changes.peers.begin(), changes.peers.end());
  changed_.clear();
  all_changed_ = false;
  return changes;
}

PeerRecord* Peerstore::find_mut(const PeerId& peer) {
  auto it = peers_.find(peer);
  return it == peers_.end() ? nullptr : &it->second;
}

const PeerRecord* Peerstore::find(const PeerId& peer) const {
  auto it = peers_.find(peer);
  return it == peers_.end() ? nullptr : &it->second;
}

std::size_t Peerstore::subnet_count(const SubnetKey& subnet) const {
  auto it = subnet_counts_.find(subnet);
  return it == subnet_counts_.end() ? 0 : it->second;
}

void Peerstore::for_each(const std::function<void(const PeerRecord&)>& visit) const {
  for (const auto& [id, record] : peers_) visit(record);
}

bool Peerstore::is_banned(const PeerId& peer, WallTime now) const {
  const auto* record = find(peer);
  return record && record->banned(now);
}

void Peerstore::drop_address(PeerRecord& record, std::size_t index) {
  const SubnetKey key = address_subnet(record.addresses[index].address);
  auto it = subnet_counts_.find(key);
  if (it != subnet_counts_.end() && --it->second == 0) subnet_counts_.erase(it);
  --address_count_;
  record.addresses.erase(record.addresses.begin() + static_cast<std::ptrdiff_t>(index));
}

void Peerstore::clear_addresses(PeerRecord& record) {
  while (!record.addresses.empty()) drop_address(record, record.addresses.size() - 1);
}

void Peerstore::set_ban(PeerRecord& record, std::optional<WallTime> until) {
  if (record.ban_until.has_value() != until.has_value()) {
    if (until) {
      ++banned_;
    } else {
      --banned_;
    }
  }
  record.ban_until = until;
}

void Peerstore::erase(std::unordered_map<PeerId, PeerRecord>::iterator it) {
  clear_addresses(it->second);
  set_ban(it->second, std::nullopt);
  mark_changed(it->first);
  peers_.erase(it);
}

bool Peerstore::remove(const PeerId& peer) {
  auto it = peers_.find(peer);
  if (it == peers_.end()) return false;
  erase(it);
  return true;
}

void Peerstore::clear() {
  peers_.clear();
  subnet_counts_.clear();
  address_count_ = 0;
  banned_ = 0;
  changed_.clear();
  all_changed_ = false;
}

bool Peerstore::evict_one() {
  // Evictable: no ban (a dropped banned record would let the peer back in early) and no
  // trusted address (the operator chose those). Worst first: lowest score, then the
  // longest unseen, then the highest PeerId (any fixed order). A peer with a positive
  // score (a proven one) is never evicted for a newcomer, which starts at 0.
  auto worst = peers_.end();
  for (auto it = peers_.begin(); it != peers_.end(); ++it) {
    const PeerRecord& r = it->second;
    if (r.ban_until || r.has_trusted_address() || r.score > 0) continue;
    if (worst == peers_.end() ||
        std::tie(r.score, r.last_seen, worst->first) < std::tie(worst->second.score, worst->second.last_seen, it->first)) {
      worst = it;
    }
  }
  if (worst == peers_.end()) return false;
  ++stats_.peers_evicted;
  erase(worst);
  return true;
}

PeerRecord* Peerstore::find_or_create(const PeerId& peer, WallTime now, bool& created) {
  created = false;
  if (auto* record = find_mut(peer)) return record;
  if (peers_.size() >= config_.max_peers && !evict_one()) {
    ++stats_.peers_refused;
    return nullptr;
  }
  PeerRecord record(peer);
  record.first_seen = to_ms(now);
  record.last_seen = record.first_seen;
  created = true;
  mark_changed(peer);
  return &peers_.emplace(peer, std::move(record)).first->second;
}

bool Peerstore::add_one(PeerRecord& record, const Multiaddr& address, AddressSource source,
                        std::optional<WallTime> expires_at, AddResult& result) {
  for (auto& known : record.addresses) {
    if (known.address != address) continue;
    bool improved = false;
    if (source < known.source) {
      known.source = source;
      improved = true;
    }
    if (is_trusted(known.source)) {
      if (known.expires_at) improved = true;
      known.expires_at.reset();
    } else if (expires_later(expires_at, known.expires_at)) {
      known.expires_at = expires_at;
      improved = true;
    }
    if (improved) ++result.refreshed;
    return improved;
  }

  const SubnetKey subnet = address_subnet(address);
  if (!is_trusted(source) && subnet_count(subnet) >= config_.max_addresses_per_subnet) {
    ++stats_.addresses_refused_subnet_cap;
    ++result.refused;
    return false;
  }

  if (record.addresses.size() >= config_.max_addresses_per_peer) {
    // Replace the weakest address no more trusted than the new one (an untrusted one, the
    // least trusted source, then the soonest expiry), if the new one beats it.
    std::optional<std::size_t> victim;
    for (std::size_t i = 0; i < record.addresses.size(); ++i) {
      const auto& a = record.addresses[i];
      if (is_trusted(a.source) || a.source < source) continue;
      if (!victim) {
        victim = i;
        continue;
      }
      const auto& v = record.addresses[*victim];
      if (a.source > v.source || (a.source == v.source && expires_later(v.expires_at, a.expires_at))) victim = i;
    }
    const bool beats = victim && (record.addresses[*victim].source > source ||
                                  expires_later(expires_at, record.addresses[*victim].expires_at));
    if (!beats) {
      ++stats_.addresses_refused_peer_cap;
      ++result.refused;
      return false;
    }
    ++stats_.addresses_replaced_peer_cap;
    drop_address(record, *victim);
  }

  record.addresses.push_back(AddressRecord{address, source, is_trusted(source) ? std::nullopt : expires_at});
  ++subnet_counts_[subnet];
  ++address_count_;
  ++result.added;
  return true;
}

AddResult Peerstore::add_addresses(const PeerId& peer, const std::vector<Multiaddr>& addresses,
                                   AddressSource source, std::optional<std::chrono::milliseconds> ttl,
                                   WallTime now) {
  AddResult result;
  if (is_banned(peer, now)) {
    stats_.addresses_refused_banned += addresses.size();
    result.refused = addresses.size();
    return result;
  }

  std::vector<Multiaddr> valid;
  valid.reserve(addresses.size());
  for (const auto& a : addresses) {
    if (auto n = normalize(a, peer)) {
      valid.push_back(std::move(*n));
    } else {
      ++stats_.addresses_refused_invalid;
      ++result.refused;
    }
  }
  if (valid.empty()) return result;

  const bool existed = find(peer) != nullptr;
  if (!existed && !is_trusted(source)) {
    // Do not evict anybody for a newcomer none of whose addresses would be stored.
    const bool any_fits = std::any_of(valid.begin(), valid.end(), [this](const Multiaddr& a) {
      return subnet_count(address_subnet(a)) < config_.max_addresses_per_subnet;
    });
    if (!any_fits) {
      stats_.addresses_refused_subnet_cap += valid.size();
      result.refused += valid.size();
      return result;
    }
  }

  PeerRecord* record = find_or_create(peer, now, result.peer_created);
  if (!record) {
    result.refused += valid.size();
    return result;
  }

  std::chrono::milliseconds lifetime =
      ttl.value_or(source == AddressSource::inbound ? config_.inbound_ttl_ms : config_.peer_exchange_ttl_ms);
  lifetime = std::clamp(lifetime, milliseconds(1), config_.max_address_ttl_ms);
  const std::optional<WallTime> expires_at =
      is_trusted(source) ? std::nullopt : std::optional<WallTime>(to_ms(now) + lifetime);

  bool changed = result.peer_created;
  for (const auto& a : valid) changed |= add_one(*record, a, source, expires_at, result);
  if (source == AddressSource::inbound) {
    record->last_seen = std::max(record->last_seen, to_ms(now));
    changed = true;
  }
  if (changed) mark_changed(peer);
  if (result.peer_created && result.added == 0) {
    // Every address was refused after all (e.g. duplicates in the batch hit the cap).
    remove(peer);
    result.peer_created = false;
  }
  return result;
}

bool Peerstore::set_public_key(const PeerId& peer, ByteView key) {
  auto* record = find_mut(peer);
  if (!record) return false;
  if (key.empty() || key.size() > config_.max_public_key_bytes) {
    ++stats_.public_keys_refused;
    return false;
  }
  record->public_key = Bytes(key.begin(), key.end());
  mark_changed(peer);
  return true;
}

bool Peerstore::set_protocols(const PeerId& peer, std::vector<std::string> protocols) {
  auto* record = find_mut(peer);
  if (!record) return false;
  std::vector<std::string> kept;
  for (auto& name : protocols) {
    if (kept.size() >= config_.max_protocols_per_peer || name.size() > config_.max_protocol_bytes || name.empty() ||
        std::find(kept.begin(), kept.end(), name) != kept.end()) {
      ++stats_.protocols_truncated;
      continue;
    }
    kept.push_back(std::move(name));
  }
  record->protocols = std::move(kept);
  mark_changed(peer);
  return true;
}

bool Peerstore::record_connected(const PeerId& peer, WallTime now) {
  bool created = false;
  auto* record = find_or_create(peer, now, created);
  if (!record) return false;
  ++record->successes;
  record->consecutive_failures = 0;
  record->last_connected = to_ms(now);
  record->last_seen = std::max(record->last_seen, to_ms(now));
  record->score = clamp_score(record->score + config_.connect_success_reward);
  mark_changed(peer);
  return true;
}

bool Peerstore::record_dial_failure(const PeerId& peer, WallTime now) {
  auto* record = find_mut(peer);
  if (!record) return false;
  ++record->failures;
  ++record->consecutive_failures;
  record->last_failure = to_ms(now);
  record->score = clamp_score(record->score - config_.dial_failure_penalty);
  mark_changed(peer);
  return true;
}

bool Peerstore::record_disconnected(const PeerId& peer, WallTime now) {
  auto* record = find_mut(peer);
  if (!record) return false;
  record->last_seen = std::max(record->last_seen, to_ms(now));
  mark_changed(peer);
  return true;
}

std::optional<double> Peerstore::adjust_score(const PeerId& peer, double delta, WallTime /*now*/) {
  auto* record = find_mut(peer);
  if (!record) return std::nullopt;
  record->score = clamp_score(record->score + (std::isfinite(delta) ? delta : 0.0));
  mark_changed(peer);
  return record->score;
}

void Peerstore::enforce_ban_cap(WallTime now) {
  if (banned_ <= config_.max_banned_peers) return;
  // First forget bans that already ended, then the ones ending soonest.
  for (auto& [id, record] : peers_) {
    if (record.ban_until && !record.banned(now)) {
      set_ban(record, std::nullopt);
      mark_changed(id);
    }
  }
  while (banned_ > config_.max_banned_peers) {
    auto first = peers_.end();
    for (auto it = peers_.begin(); it != peers_.end(); ++it) {
      if (!it->second.ban_until) continue;
      if (first == peers_.end() || std::tie(*it->second.ban_until, it->first) < std::tie(*first->second.ban_until, first->first)) {
        first = it;
      }
    }
    ++stats_.bans_dropped;
    // A banned record holds no address: without its ban it holds nothing worth keeping.
    erase(first);
  }
}

bool Peerstore::ban(const PeerId& peer, WallTime until, WallTime now) {
  until = to_ms(until);
  if (until <= now) return false;
  bool created = false;
  auto* record = find_or_create(peer, now, created);
  if (!record) return false;
  if (!record->ban_until || *record->ban_until < until) set_ban(*record, until);
  clear_addresses(*record);
  mark_changed(peer);
  enforce_ban_cap(now);
  return find(peer) != nullptr;
}

bool Peerstore::unban(const PeerId& peer) {
  auto* record = find_mut(peer);
  if (!record || !record->ban_until) return false;
  set_ban(*record, std::nullopt);
  mark_changed(peer);
  return true;
}

std::size_t Peerstore::expire(WallTime now) {
  std::size_t removed = 0;
  for (auto it = peers_.begin(); it != peers_.end();) {
    PeerRecord& record = it->second;
    bool changed = false;
    for (std::size_t i = record.addresses.size(); i-- > 0;) {
      if (!record.addresses[i].live(now)) {
        drop_address(record, i);
        ++stats_.addresses_expired;
        changed = true;
      }
    }
    if (record.ban_until && !record.banned(now)) {
      set_ban(record, std::nullopt);
      changed = true;
    }
    if (record.addresses.empty() && !record.ban_until) {
      ++stats_.peers_expired;
      ++removed;
      auto next = std::next(it);
      erase(it);
      it = next;
      continue;
    }
    if (changed) mark_changed(it->first);
    ++it;
  }
  return removed;
}

std::vector<DialCandidate> Peerstore::dial_candidates(WallTime now, const std::unordered_set<PeerId>& exclude,
                                                      std::size_t limit) const {
  std::vector<const PeerRecord*> eligible;
  for (const auto& [id, record] : peers_) {
    if (record.banned(now) || exclude.count(id) || !record.has_live_address(now)) continue;
    eligible.push_back(&record);
  }
  const auto better = [](const PeerRecord* a, const PeerRecord* b) {
    if (a->score != b->score) return a->score > b->score;
    if (a->last_seen != b->last_seen) return a->last_seen > b->last_seen;
    return a->id < b->id;
  };
  const std::size_t n = std::min(limit, eligible.size());
  std::partial_sort(eligible.begin(), eligible.begin() + static_cast<std::ptrdiff_t>(n), eligible.end(), better);
  std::vector<DialCandidate> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    out.push_back({eligible[i]->id, live_addresses(*eligible[i], now, config_.max_addresses_per_peer), eligible[i]->score, false});
  }
  return out;
}

std::vector<DialCandidate> Peerstore::exchange_sample(WallTime now, const std::unordered_set<PeerId>& exclude,
                                                      std::size_t max_peers, std::size_t max_addresses,
                                                      std::uint64_t seed) const {
  std::vector<const PeerRecord*> good;
  for (const auto& [id, record] : peers_) {
    if (record.banned(now) || exclude.count(id) || record.score < config_.exchange_min_score ||
        !record.has_live_address(now)) {
      continue;
    }
    good.push_back(&record);
  }
  // Hash-map order is not part of the contract: sort first so that a seed fixes the sample.
  std::sort(good.begin(), good.end(), [](const PeerRecord* a, const PeerRecord* b) { return a->id < b->id; });
  util::SeededRng rng(seed);
  const std::size_t n = std::min(max_peers, good.size());
  for (std::size_t i = 0; i < n; ++i) std::swap(good[i], good[i + rng.below(good.size() - i)]);
  std::vector<DialCandidate> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n && max_addresses > 0; ++i) {
    out.push_back({good[i]->id, live_addresses(*good[i], now, max_addresses), good[i]->score, false});
  }
  return out;
}

bool Peerstore::restore(PeerRecord record) {
  bool dropped_something = false;
  if (auto it = peers_.find(record.id); it != peers_.end()) {
    // Storage never holds a peer twice; if it did, the later row wins.
    clear_addresses(it->second);
    set_ban(it->second, std::nullopt);
    peers_.erase(it);
  }
  if (peers_.size() >= config_.max_peers) {
    ++stats_.restore_dropped;
    all_changed_ = true;
    changed_.clear();
    return false;
  }

  PeerRecord kept = std::move(record);
  kept.score = clamp_score(kept.score);
  std::vector<AddressRecord> addresses = std::move(kept.addresses);
  kept.addresses.clear();
  auto protocols = std::move(kept.protocols);
  kept.protocols.clear();
  std::optional<WallTime> ban_until = kept.ban_until;
  kept.ban_until.reset();
  if (kept.public_key && kept.public_key->size() > config_.max_public_key_bytes) {
    kept.public_key.reset();
    dropped_something = true;
  }

  const PeerId id = kept.id;
  PeerRecord& stored = peers_.emplace(id, std::move(kept)).first->second;
  if (ban_until) {
    if (banned_ < config_.max_banned_peers) {
      set_ban(stored, ban_until);
    } else {
      dropped_something = true;
    }
  }
  for (auto& a : addresses) {
    auto normalized = normalize(a.address, id);
    const bool duplicate = normalized && std::any_of(stored.addresses.begin(), stored.addresses.end(),
                                                     [&](const AddressRecord& s) { return s.address == *normalized; });
    if (!normalized || duplicate || stored.addresses.size() >= config_.max_addresses_per_peer ||
        (!is_trusted(a.source) && subnet_count(address_subnet(*normalized)) >= config_.max_addresses_per_subnet)) {
      dropped_something = true;
      continue;
    }
    const SubnetKey subnet = address_subnet(*normalized);
    stored.addresses.push_back(
        AddressRecord{std::move(*normalized), a.source, is_trusted(a.source) ? std::nullopt : a.expires_at});
    ++subnet_counts_[subnet];
    ++address_count_;
  }
  for (auto& name : protocols) {
    if (stored.protocols.size() >= config_.max_protocols_per_peer || name.empty() ||
        name.size() > config_.max_protocol_bytes) {
      dropped_something = true;
      continue;
    }
    stored.protocols.push_back(std::move(name));
  }
  if (dropped_something) {
    ++stats_.restore_dropped;
    all_changed_ = true;
    changed_.clear();
  }
  return true;
}

}  // namespace weft::peer
