#include "metrics.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <cmath>

namespace weft::sim {
namespace {

double ms(SimTime t) { return static_cast<double>(t) / static_cast<double>(kMillisecond); }
double round3(double x) { return std::round(x * 1000.0) / 1000.0; }
double ratio(double a, double b) { return b > 0 ? a / b : 0.0; }

nlohmann::ordered_json latency_json(const LatencySummary& s) {
  nlohmann::ordered_json j;
  j["n"] = s.n;
  j["p50"] = round3(s.p50);
  j["p99"] = round3(s.p99);
  j["max"] = round3(s.max);
  return j;
}

}  // namespace

RouterTotals& RouterTotals::operator+=(const RouterTotals& o) {
  messages_received += o.messages_received;
  messages_duplicate += o.messages_duplicate;
  messages_invalid += o.messages_invalid;
  messages_rejected += o.messages_rejected;
  idontwant_sent += o.idontwant_sent;
  idontwant_suppressed += o.idontwant_suppressed;
  ihave_sent += o.ihave_sent;
  ihave_ignored += o.ihave_ignored;
  iwant_sent_ids += o.iwant_sent_ids;
  iwant_served += o.iwant_served;
  promises_broken += o.promises_broken;
  graft_refused += o.graft_refused;
  rpcs_graylisted += o.rpcs_graylisted;
  peers_penalized += o.peers_penalized;
  queue_dropped_items += o.queue_dropped_items;
  return *this;
}

LatencySummary summarize(std::vector<SimTime> values) {
  LatencySummary s;
  s.n = values.size();
  if (values.empty()) return s;
  std::sort(values.begin(), values.end());
  auto rank = [&](double p) {
    const auto r = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(values.size())));
    return values[std::min(values.size() - 1, r > 0 ? r - 1 : 0)];
  };
  s.p50 = ms(rank(50));
  s.p99 = ms(rank(99));
  s.max = ms(values.back());
  return s;
}

DeliveryLog::DeliveryLog(std::size_t nodes, std::size_t messages)
    : messages_(messages), entries_(messages), seen_(nodes * messages, 0) {}

void DeliveryLog::published(std::uint32_t index, SimTime at, std::size_t receivers) {
  Entry& e = entries_.at(index);
  e.published_at = at;
  e.receivers = receivers;
  ++published_;
  expected_ += receivers;
}

void DeliveryLog::delivered(std::uint32_t node, std::uint32_t index, SimTime at) {
  Entry& e = entries_.at(index);
  std::uint8_t& seen = seen_.at(static_cast<std::size_t>(node) * messages_ + index);
  if (seen != 0 || e.published_at < 0) return;
  seen = 1;
  ++e.delivered;
  e.last = std::max(e.last, at);
  latencies_.push_back(at - e.published_at);
}

LatencySummary DeliveryLog::last_node_latency() const {
  std::vector<SimTime> last;
  for (const Entry& e : entries_) {
    if (e.published_at >= 0 && e.receivers > 0 && e.delivered == e.receivers) last.push_back(e.last - e.published_at);
  }
  return summarize(std::move(last));
}

std::size_t DeliveryLog::fully_delivered() const {
  std::size_t n = 0;
  for (const Entry& e : entries_) n += e.published_at >= 0 && e.delivered == e.receivers ? 1 : 0;
  return n;
}

nlohmann::ordered_json to_json(const SimResult& r, bool with_wall) {
  nlohmann::ordered_json j;
  j["mode"] = "gossip";
  j["nodes"] = r.nodes;
  j["messages"] = r.messages;
  j["size"] = r.size;
  j["seed"] = r.seed;
  j["topology"] = {{"kind", r.topology}, {"mean_degree", round3(r.mean_degree)}, {"edges_sha256", r.edges_sha256}};
  j["network"] = {{"latency_ms", {r.latency_min_ms, r.latency_max_ms}},
                  {"loss", r.loss},
                  {"bandwidth_mbps", r.bandwidth_mbps},
                  {"rate", r.rate}};
  j["gossip"] = {{"stagger_interval_us", r.stagger_interval_us}};
  j["attackers"] = {{"blackhole", r.blackhole}, {"invalid", r.invalid}, {"ihave_flood", r.ihave_flood},
                    {"churned", r.churned}};
  j["honest_nodes"] = r.honest_nodes;
  j["published"] = r.published;
  j["publish_errors"] = r.publish_errors;
  j["expected_deliveries"] = r.expected_deliveries;
  j["deliveries"] = r.deliveries;
  j["delivery_ratio"] = std::round(ratio(static_cast<double>(r.deliveries), static_cast<double>(r.expected_deliveries)) * 1e5) / 1e5;
  j["messages_fully_delivered"] = r.messages_fully_delivered;
  j["latency_ms"] = latency_json(r.latency);
  j["last_node_latency_ms"] = latency_json(r.last_node_latency);
  const double deliveries = static_cast<double>(r.deliveries);
  j["duplicates_per_delivery"] = round3(ratio(static_cast<double>(r.router.messages_duplicate), deliveries));
  j["bytes_per_delivery_over_size"] =
      round3(ratio(static_cast<double>(r.wire_bytes), deliveries * static_cast<double>(r.size)));
  j["control_bytes_share"] = round3(ratio(static_cast<double>(r.control_bytes), static_cast<double>(r.wire_bytes)));
  j["traffic"] = {{"wire_bytes", r.wire_bytes}, {"control_bytes", r.control_bytes}, {"rpcs_sent", r.rpcs_sent}};
  nlohmann::ordered_json mesh;
  std::size_t count = 0, total = 0;
  for (const auto& [degree, nodes] : r.mesh_degree) {
    count += nodes;
    total += degree * nodes;
  }
  nlohmann::ordered_json histogram = nlohmann::ordered_json::object();
  for (const auto& [degree, nodes] : r.mesh_degree) histogram[std::to_string(degree)] = nodes;
  mesh["min"] = r.mesh_degree.empty() ? 0 : r.mesh_degree.begin()->first;
  mesh["mean"] = round3(ratio(static_cast<double>(total), static_cast<double>(count)));
  mesh["max"] = r.mesh_degree.empty() ? 0 : r.mesh_degree.rbegin()->first;
  mesh["histogram"] = histogram;
  j["mesh_degree"] = mesh;
  const RouterTotals& t = r.router;
  j["router"] = {{"messages_received", t.messages_received},   {"messages_duplicate", t.messages_duplicate},
                 {"messages_invalid", t.messages_invalid},     {"messages_rejected", t.messages_rejected},
                 {"idontwant_sent", t.idontwant_sent},         {"idontwant_suppressed", t.idontwant_suppressed},
                 {"ihave_sent", t.ihave_sent},                 {"ihave_ignored", t.ihave_ignored},
                 {"iwant_sent_ids", t.iwant_sent_ids},         {"iwant_served", t.iwant_served},
                 {"promises_broken", t.promises_broken},       {"graft_refused", t.graft_refused},
                 {"rpcs_graylisted", t.rpcs_graylisted},       {"peers_penalized", t.peers_penalized},
                 {"queue_dropped_items", t.queue_dropped_items}};
  j["attacker_links"] = {{"total", r.attacker_links},
                         {"graylisted", r.attacker_links_graylisted},
                         {"in_mesh", r.attacker_links_in_mesh}};
  j["sim"] = {{"events", r.events},
              {"rpcs_delivered", r.rpcs_delivered},
              {"rpcs_lost", r.rpcs_lost},
              {"sim_seconds", round3(r.sim_seconds)}};
  if (with_wall) {
    j["wall_seconds"] = round3(r.wall_seconds);
    j["cpu_seconds"] = round3(r.cpu_seconds);
    j["peak_rss_kib"] = r.peak_rss_kib;
  }
  return j;
}

std::uint64_t peak_rss_kib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<std::uint64_t>(usage.ru_maxrss);
}

double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

}  // namespace weft::sim
