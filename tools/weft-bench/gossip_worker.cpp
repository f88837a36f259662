// The node side of `weft-bench gossip`: one weft::Node per process (the hidden subcommand
// `weft-bench gossip-worker`), driven by the orchestrator (gossip_bench.cpp) over
// stdin/stdout, one command line in, one answer line out. It plays the part of the
// anchor's worker.mjs: a node on 127.0.0.1 subscribed to topic "bench", with an Ed25519
// key from sha256("gossip-bench:<seed>:<index>") (the anchor's key derivation, so the
// PeerIds are the same), no peer manager (no discovery, no peer exchange), no admin API.
//
// Commands (answers in brackets):
//   clock                          [t <CLOCK_MONOTONIC ns>]
//   cpu                            [us <user+system µs of this process>]
//   dial <retries> <addr>...       [JSON {ms, ok, failed, retries, first_error}]
//   stat                           [JSON {conns, peers, topic_peers, mesh, received}]
//   count                          [received <first deliveries in the phase>]
//   phase <seq_start> <count>      [ok]   starts recording deliveries of those seqs
//   publish <seq_start> <count> <rate> <size>
//                                  [JSON {t_start, interval, actual[], errors, first_error}]
//   collect                        [JSON {lat[], received, stray, counters{}}] (counters: deltas
//                                  since `phase`, TCP payload bytes included)
//   quit                           (exits)
// The payload (the anchor's): seq u64 BE, publish time u64 BE (CLOCK_MONOTONIC ns, taken
// just before publish(), so signing counts), then filler (b * 31 + k) & 0xff.
// A delivery's latency is taken in the topic handler, at the first delivery of the message.

#include "gossip_clock.hpp"

#include <weft/keys.hpp>
#include <weft/node.hpp>

#include <nlohmann/json.hpp>
#include <sodium.h>
#include <dirent.h>
#include <netinet/in.h>
#include <linux/tcp.h>  // tcp_info with tcpi_bytes_sent (glibc's netinet/tcp.h lacks it)
#include <sys/resource.h>
#include <sys/socket.h>

#include <atomic>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <iostream>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace weft::bench {
namespace {

using json = nlohmann::json;
const char* const kTopic = "bench";

std::uint64_t read_be64(const std::uint8_t* p) {
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | p[i];
  return v;
}

void write_be64(std::uint8_t* p, std::uint64_t v) {
  for (int i = 7; i >= 0; --i) {
    p[i] = static_cast<std::uint8_t>(v & 0xff);
    v >>= 8;
  }
}

/// First deliveries of the current phase, written by the topic handler (network thread)
/// and read by the command loop.
class DeliveryLog {
 public:
  void start(std::uint64_t seq_start, std::size_t count) {
    std::lock_guard lock(mutex_);
    seq_start_ = seq_start;
    latency_ns_.assign(count, -1);
    received_ = 0;
    stray_ = 0;
  }
  void record(std::uint64_t seq, std::uint64_t published_ns, std::uint64_t received_ns) {
    std::lock_guard lock(mutex_);
    if (seq < seq_start_ || seq - seq_start_ >= latency_ns_.size()) {
      ++stray_;
      return;
    }
    auto& slot = latency_ns_[seq - seq_start_];
    if (slot >= 0) return;
    slot = static_cast<std::int64_t>(received_ns - published_ns);
    received_.fetch_add(1, std::memory_order_relaxed);
  }
  std::size_t received() const { return received_.load(std::memory_order_relaxed); }
  json to_json() const {
    std::lock_guard lock(mutex_);
    return json{{"lat", latency_ns_}, {"received", received_.load()}, {"stray", stray_}};
  }

 private:
  mutable std::mutex mutex_;
  std::uint64_t seq_start_ = 0;
  std::vector<std::int64_t> latency_ns_;  ///< -1: not delivered
  std::atomic<std::size_t> received_{0};
  std::uint64_t stray_ = 0;
};

std::uint64_t cpu_microseconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto us = [](const timeval& t) { return std::uint64_t(t.tv_sec) * 1'000'000 + std::uint64_t(t.tv_usec); };
  return us(usage.ru_utime) + us(usage.ru_stime);
}

/// TCP payload bytes sent and received on this process's open TCP sockets (TCP_INFO:
/// tcpi_bytes_sent, retransmissions included, and tcpi_bytes_received): what crossed the
/// wire with encryption and yamux framing, the figure the anchor reads from wchar/rchar
/// (libuv writes sockets with write(2); Asio uses sendmsg(2), which wchar does not count).
std::pair<std::uint64_t, std::uint64_t> tcp_bytes() {
  std::uint64_t sent = 0, received = 0;
  DIR* fds = opendir("/proc/self/fd");
  if (fds == nullptr) return {0, 0};
  while (const dirent* entry = readdir(fds)) {
    const int fd = std::atoi(entry->d_name);
    if (fd <= 2 || fd == dirfd(fds)) continue;
    tcp_info info{};
    socklen_t length = sizeof info;
    if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &length) != 0) continue;
    sent += info.tcpi_bytes_sent;
    received += info.tcpi_bytes_received;
  }
  closedir(fds);
  return {sent, received};
}

Keypair bench_key(std::uint64_t seed, std::size_t index) {
  const std::string text = "gossip-bench:" + std::to_string(seed) + ":" + std::to_string(index);
  std::uint8_t digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  auto key = Keypair::from_seed(ByteView(digest, sizeof digest));
  if (!key) {
    std::fprintf(stderr, "gossip-worker: key: %s\n", key.error().message().c_str());
    std::exit(1);
  }
  return std::move(key).value();
}

class Worker {
 public:
  Worker(std::size_t index, std::uint64_t seed, std::size_t idontwant_bytes, std::uint64_t stagger_interval_us,
         std::string data_dir) {
    NodeConfig config;
    config.data_dir = std::move(data_dir);
    config.identity = bench_key(seed, index);
    config.listen = {"/ip4/127.0.0.1/tcp/0"};
    config.log_level = "off";
    config.peer_manager.enabled = false;
    config.admin.enabled = false;
    config.gossip.idontwant_min_message_bytes = idontwant_bytes;
    config.gossip.stagger_interval_us = stagger_interval_us;
    auto node = Node::create(std::move(config));
    if (!node) fail("node: " + node.error().message());
    node_ = std::move(node).value();
    auto log = log_;
    node_->subscribe(kTopic, [log](const TopicMessage& message) {
      const std::uint64_t now = monotonic_ns();
      if (message.data.size() < 16) return;
      log->record(read_be64(message.data.data()), read_be64(message.data.data() + 8), now);
    });
    if (auto started = node_->start(); !started) fail("start: " + started.error().message());
  }

  /// Answers one command; false on `quit`.
  bool handle(const std::string& line) {
    std::istringstream in(line);
    std::string command;
    in >> command;
    if (command == "quit") return false;
    if (command == "hello") return reply("ready " + node_->listen_addresses().front().to_string());
    if (command == "clock") return reply("t " + std::to_string(monotonic_ns()));
    if (command == "cpu") return reply("us " + std::to_string(cpu_microseconds()));
    if (command == "count") return reply("received " + std::to_string(log_->received()));
    if (command == "stat") return reply(stat().dump());
    if (command == "dial") {
      std::size_t retries = 0;
      in >> retries;
      std::vector<std::string> addresses;
      for (std::string a; in >> a;) addresses.push_back(a);
      return reply(dial(addresses, retries).dump());
    }
    if (command == "phase") {
      std::uint64_t seq_start = 0;
      std::size_t count = 0;
      in >> seq_start >> count;
      log_->start(seq_start, count);
      counters_at_phase_ = counters();
      return reply("ok");
    }
    if (command == "publish") {
      std::uint64_t seq_start = 0;
      std::size_t count = 0, size = 0;
      double rate = 0;
      in >> seq_start >> count >> rate >> size;
      return reply(publish(seq_start, count, rate, size).dump());
    }
    if (command == "collect") {
      json answer = log_->to_json();
      const json now = counters();
      json delta = json::object();
      for (const auto& [name, value] : now.items()) {
        delta[name] = value.get<std::uint64_t>() - counters_at_phase_.value(name, std::uint64_t{0});
      }
      answer["counters"] = delta;
      return reply(answer.dump());
    }
    return reply("error unknown command " + command);
  }

 private:
  [[noreturn]] static void fail(const std::string& what) {
    std::fprintf(stderr, "gossip-worker: %s\n", what.c_str());
    std::exit(1);
  }
  static bool reply(const std::string& line) {
    std::cout << line << '\n' << std::flush;
    return true;
  }

  json stat() const {
    json s{{"conns", 0}, {"peers", 0}, {"topic_peers", 0}, {"mesh", 0}, {"received", log_->received()}};
    if (auto table = node_->statistics()) {
      s["conns"] = table.value().open_connections();
      s["peers"] = table.value().connections_per_peer.size();
    }
    if (auto gossip = node_->gossip_statistics()) {
      for (const auto& topic : gossip.value().topics) {
        if (topic.topic != kTopic) continue;
        s["topic_peers"] = topic.peers;
        s["mesh"] = topic.mesh_peers;
      }
    }
    return s;
  }

  /// The gossip and table counters a phase reports as deltas.
  json counters() const {
    json c = json::object();
    if (auto statistics = node_->gossip_statistics()) {
      const GossipStatistics* gossip = &statistics.value();
      c["rx_msgs"] = gossip->messages_received;
      c["duplicates"] = gossip->duplicates;
      c["forwarded"] = gossip->messages_forwarded;
      c["rpcs_received"] = gossip->rpcs_received;
      c["ihave_rx"] = gossip->ihave_received;
      c["iwant_sent_ids"] = gossip->iwant_sent_ids;
      c["iwant_served"] = gossip->iwant_served;
      c["idontwant_sent"] = gossip->idontwant_sent;
      c["idontwant_rx"] = gossip->idontwant_received;
      c["grafts_sent"] = gossip->grafts_sent;
      c["prunes_sent"] = gossip->prunes_sent;
      c["send_queue_dropped"] = gossip->send_queue_dropped;
    }
    if (auto table = node_->statistics()) c["connections_closed"] = table.value().connections_closed;
    const auto [sent, received] = tcp_bytes();
    c["tcp_bytes_sent"] = sent;
    c["tcp_bytes_received"] = received;
    return c;
  }

  /// Dials every address at once; a failed dial is retried `retries` times, 500 ms apart.
  json dial(const std::vector<std::string>& addresses, std::size_t retries) {
    const std::uint64_t start = monotonic_ns();
    std::atomic<std::size_t> ok{0}, failed{0}, attempts{0};
    std::mutex error_mutex;
    std::string first_error;
    std::vector<std::thread> dialers;
    for (const auto& text : addresses) {
      dialers.emplace_back([&, text] {
        std::string error;
        auto address = Multiaddr::parse(text);
        if (!address) error = address.error().message();
        for (std::size_t attempt = 0; address && attempt <= retries; ++attempt) {
          ++attempts;
          auto connected = node_->connect(address.value()).get();
          if (connected) {
            ++ok;
            return;
          }
          error = connected.error().message();
          std::this_thread::sleep_for(std::chrono::milliseconds(500));
        }
        ++failed;
        std::lock_guard lock(error_mutex);
        if (first_error.empty()) first_error = error;
      });
    }
    for (auto& t : dialers) t.join();
    json answer{{"ms", double(monotonic_ns() - start) / 1e6},
                {"ok", ok.load()},
                {"failed", failed.load()},
                {"retries", attempts.load() - addresses.size()}};
    if (!first_error.empty()) answer["first_error"] = first_error;
    return answer;
  }

  /// Publishes `count` messages on the open-loop schedule t_start + k / rate.
  json publish(std::uint64_t seq_start, std::size_t count, double rate, std::size_t size) {
    const double interval_ns = 1e9 / rate;
    const std::uint64_t t_start = monotonic_ns() + 2'000'000;  // 2 ms from now
    std::vector<double> actual(count, 0);
    std::vector<std::future<Result<std::string>>> pending;
    pending.reserve(count);
    for (std::size_t k = 0; k < count; ++k) {
      const auto due = t_start + static_cast<std::uint64_t>(static_cast<double>(k) * interval_ns + 0.5);
      sleep_until_ns(due);
      Bytes data(size);
      for (std::size_t b = 16; b < size; ++b) data[b] = static_cast<std::uint8_t>((b * 31 + k) & 0xff);
      write_be64(data.data(), seq_start + k);
      const std::uint64_t published = monotonic_ns();
      write_be64(data.data() + 8, published);
      actual[k] = static_cast<double>(published - t_start);
      pending.push_back(node_->publish(kTopic, std::move(data)));
    }
    std::size_t errors = 0;
    std::string first_error;
    for (auto& future : pending) {
      auto id = future.get();
      if (id) continue;
      ++errors;
      if (first_error.empty()) first_error = id.error().message();
    }
    json answer{{"t_start", t_start}, {"interval", interval_ns}, {"actual", actual}, {"errors", errors}};
    if (!first_error.empty()) answer["first_error"] = first_error;
    return answer;
  }

  std::unique_ptr<Node> node_;
  std::shared_ptr<DeliveryLog> log_ = std::make_shared<DeliveryLog>();
  json counters_at_phase_ = json::object();
};

}  // namespace

int run_gossip_worker(int argc, char** argv) {
  std::size_t index = 0, idontwant_bytes = 512;
  std::uint64_t seed = 1, stagger_interval_us = NodeConfig{}.gossip.stagger_interval_us;
  std::string data_dir;
  for (int i = 0; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const char* value = argv[i + 1];
    if (flag == "--index") index = std::strtoull(value, nullptr, 10);
    else if (flag == "--seed") seed = std::strtoull(value, nullptr, 10);
    else if (flag == "--idontwant-bytes") idontwant_bytes = std::strtoull(value, nullptr, 10);
    else if (flag == "--stagger-interval-us") stagger_interval_us = std::strtoull(value, nullptr, 10);
    else if (flag == "--data-dir") data_dir = value;
  }
  if (sodium_init() < 0) return 1;
  Worker worker(index, seed, idontwant_bytes, stagger_interval_us, data_dir);
  for (std::string line; std::getline(std::cin, line);) {
    if (!worker.handle(line)) break;
  }
  return 0;
}

}  // namespace weft::bench
