// `weft-bench gossip`: the js-libp2p gossipsub anchor's benchmark
// (../shared/anchors/js-gossipsub/, gossip_bench.mjs) with weft nodes, same method:
// N OS processes (gossip_worker.cpp) on 127.0.0.1 sharing the machine's cores, the
// anchor's topology (tools/weft-sim/topology.hpp), node 0 publishes M messages of S bytes at R/s
// open-loop after W warm-up messages, receive time at the first delivery to the
// application (CLOCK_MONOTONIC), a 10 s cut-off after the last publish, CPU and syscall
// bytes of every node from /proc over [first publish, end of drain], peak RSS per node.
// A throughput mode searches the highest sustained rate with the anchor's steps and rule.
// Prints progress on stderr and ONE JSON line on stdout whose shared figures carry the
// anchor's names (delivery_ratio, latency_ms, last_node_latency_ms, traffic.*, cpu.*,
// setup.mesh_formation_ms, resources.peak_rss_kib_per_node, max_sustained_rate), so the
// anchor's summarize.mjs reads both.
//
//   weft-bench gossip --nodes 16 --size 1024 --count 200 --rate 20
//   weft-bench gossip --mode throughput --nodes 16 --size 1024

#include "bench_common.hpp"
#include "gossip_clock.hpp"
#include "gossip_worker_process.hpp"
#include "topology.hpp"

#include <weft/node_config.hpp>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace weft::bench {
namespace {

using json = nlohmann::ordered_json;
using std::chrono::milliseconds;
constexpr std::size_t kDlo = 4;  // mesh-formation target: min(D_lo, degree)

struct Options {
  std::string mode = "latency";
  std::size_t nodes = 16, size = 1024, count = 200, out = 4, warmup = 100;
  double rate = 20, warmup_rate = 0;
  std::uint32_t seed = 1;
  std::uint64_t drain_ms = 10'000, mesh_timeout_ms = 30'000, mesh_stable_ms = 3'000, settle_ms = 2'000;
  std::size_t dial_concurrency = 8, dial_retries = 2, idontwant_bytes = 512;
  std::uint64_t stagger_interval_us = NodeConfig{}.gossip.stagger_interval_us;
  double max_run_s = 180;
  double tp_start_rate = 16, tp_min_rate = 1, tp_max_rate = 6400, tp_step_s = 12;
  std::size_t tp_refine = 3;
  std::uint64_t tp_drain_ms = 4'000;
  double tp_min_ratio = 0.99, tp_max_p99_ms = 1000, tp_min_rate_frac = 0.95;
};

const auto kStart = std::chrono::steady_clock::now();

void log(const std::string& text) {
  std::fprintf(stderr, "[weft-bench gossip %.1fs] %s\n", seconds_since(kStart), text.c_str());
}

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "weft-bench gossip: %s\n", what.c_str());
  std::exit(1);
}

json rounded(double x, int digits = 3) {
  if (!std::isfinite(x)) return nullptr;
  if (digits == 0) return static_cast<long long>(std::llround(x));
  const double scale = std::pow(10.0, digits);
  return std::round(x * scale) / scale;
}

/// Nearest-rank percentile of an ascending vector.
double percentile(const std::vector<double>& sorted, double p) {
  const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
  return sorted[std::min(sorted.size() - 1, rank == 0 ? 0 : rank - 1)];
}

/// {n, min, p50, p90, p99, max, mean}, the anchor's summary().
json summary(std::vector<double> values, int digits = 3) {
  if (values.empty()) return json{{"n", 0}};
  std::sort(values.begin(), values.end());
  double sum = 0;
  for (double v : values) sum += v;
  return json{{"n", values.size()},
              {"min", rounded(values.front(), digits)},
              {"p50", rounded(percentile(values, 50), digits)},
              {"p90", rounded(percentile(values, 90), digits)},
              {"p99", rounded(percentile(values, 99), digits)},
              {"max", rounded(values.back(), digits)},
              {"mean", rounded(sum / static_cast<double>(values.size()), digits)}};
}

/// Percentiles over `total` expected pairs with the undelivered ones as +inf (null).
json censored(const std::vector<double>& sorted_delivered, std::size_t total) {
  json o = json::object();
  for (int p : {50, 90, 99}) {
    const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(total)));
    o["p" + std::to_string(p)] = rank >= 1 && rank <= sorted_delivered.size() ? rounded(sorted_delivered[rank - 1]) : json(nullptr);
  }
  return o;
}

struct MachineCpu {
  double idle = 0, total = 0;
};

MachineCpu machine_cpu() {
  std::ifstream in("/proc/stat");
  std::string cpu;
  in >> cpu;
  MachineCpu m;
  std::vector<double> f;
  for (double v; f.size() < 10 && in >> v;) f.push_back(v);
  for (double v : f) m.total += v;
  if (f.size() > 4) m.idle = f[3] + f[4];
  return m;
}

class GossipBench {
 public:
  explicit GossipBench(Options options) : o_(std::move(options)) {}

  json run() {
    out_["bench"] = "weft-gossip";
    out_["ok"] = false;
    out_["started_at"] = utc_now();
    out_["host"] = host();
    out_["versions"] = json{{"weft", WEFT_VERSION}};
    out_["params"] = params();
    start_workers();
    dial_topology();
    wait_for_mesh();
    if (o_.warmup > 0) warm_up();
    if (o_.mode == "latency") {
      log("latency run: M=" + std::to_string(o_.count) + " S=" + std::to_string(o_.size) + " R=" + fmt_rate(o_.rate));
      out_["result"] = run_phase(o_.count, o_.rate, o_.drain_ms, "latency");
    } else {
      search_throughput();
    }
    std::vector<double> peak;
    double sum = 0;
    for (auto& w : workers_) {
      peak.push_back(static_cast<double>(w->peak_rss_kib()));
      sum += peak.back();
    }
    out_["resources"] = json{{"peak_rss_kib_per_node", summary(peak, 0)},
                             {"peak_rss_kib_publisher", peak.front()},
                             {"peak_rss_mib_sum", rounded(sum / 1024, 1)}};
    out_["ok"] = true;
    out_["total_s"] = rounded(seconds_since(kStart), 1);
    return out_;
  }

  ~GossipBench() {
    for (auto& w : workers_) w->send("quit");
    workers_.clear();
    if (!data_root_.empty()) {
      std::error_code ignored;
      std::filesystem::remove_all(data_root_, ignored);
    }
  }

 private:
  static std::string utc_now() {
    const std::time_t t = std::time(nullptr);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
    return text;
  }
  static std::string fmt_rate(double r) {
    std::ostringstream s;
    s << r;
    return s.str();
  }
  static json host() {
    utsname u{};
    uname(&u);
    return json{{"cpus", std::thread::hardware_concurrency()},
                {"mem_gib", rounded(static_cast<double>(sysconf(_SC_PHYS_PAGES)) * static_cast<double>(sysconf(_SC_PAGESIZE)) / double(1ull << 30), 1)},
                {"node", nullptr},
                {"platform", std::string(u.sysname) + " " + u.release}};
  }
  json params() const {
    return json{{"mode", o_.mode}, {"nodes", o_.nodes}, {"size", o_.size}, {"count", o_.count}, {"rate", o_.rate},
                {"seed", o_.seed}, {"out", o_.out}, {"warmup", o_.warmup}, {"warmup-rate", o_.warmup_rate},
                {"drain-ms", o_.drain_ms}, {"mesh-timeout-ms", o_.mesh_timeout_ms}, {"mesh-stable-ms", o_.mesh_stable_ms},
                {"settle-ms", o_.settle_ms}, {"dial-concurrency", o_.dial_concurrency}, {"dial-retries", o_.dial_retries},
                {"idontwant-bytes", o_.idontwant_bytes}, {"stagger-interval-us", o_.stagger_interval_us},
                {"max-run-s", o_.max_run_s},
                {"tp-start-rate", o_.tp_start_rate}, {"tp-min-rate", o_.tp_min_rate}, {"tp-max-rate", o_.tp_max_rate},
                {"tp-step-s", o_.tp_step_s}, {"tp-refine", o_.tp_refine}, {"tp-drain-ms", o_.tp_drain_ms},
                {"tp-min-ratio", o_.tp_min_ratio}, {"tp-max-p99-ms", o_.tp_max_p99_ms},
                {"tp-min-rate-frac", o_.tp_min_rate_frac}, {"topic", "bench"},
                {"gossipsub", "weft defaults (D=6 Dlo=4 Dhi=12 Dlazy=6 heartbeat=1s StrictSign floodPublish=true, "
                              "IDONTWANT >= idontwant-bytes, loopback exempt from IP colocation)"},
                {"clock", "clock_gettime(CLOCK_MONOTONIC), ns, system-wide on Linux"},
                {"wire_bytes", "TCP_INFO tcpi_bytes_sent/received of each node's TCP sockets over the phase: "
                               "TCP payload with encryption and yamux framing (the anchor's wchar/rchar)"}};
  }

  /// Sends `command` to every worker at once, then reads each answer line.
  std::vector<std::string> ask_all(const std::string& command, milliseconds timeout = std::chrono::seconds(60)) {
    for (auto& w : workers_) w->send(command);
    std::vector<std::string> answers;
    for (auto& w : workers_) {
      auto line = w->read_line(timeout);
      if (!line) die("a worker did not answer '" + command + "'");
      answers.push_back(std::move(*line));
    }
    return answers;
  }
  std::vector<json> ask_all_json(const std::string& command, milliseconds timeout = std::chrono::seconds(60)) {
    std::vector<json> answers;
    for (const auto& line : ask_all(command, timeout)) {
      auto answer = json::parse(line, nullptr, false);
      if (answer.is_discarded()) die("a worker answered '" + command + "' with: " + line);
      answers.push_back(std::move(answer));
    }
    return answers;
  }

  void start_workers() {
    char pattern[] = "/tmp/weft-bench-gossip-XXXXXX";
    if (mkdtemp(pattern) == nullptr) die("mkdtemp failed");
    data_root_ = pattern;
    const std::uint64_t spawned = monotonic_ns();
    for (std::size_t i = 0; i < o_.nodes; ++i) {
      workers_.push_back(std::make_unique<WorkerProcess>(std::vector<std::string>{
          "--index", std::to_string(i), "--seed", std::to_string(o_.seed), "--idontwant-bytes",
          std::to_string(o_.idontwant_bytes), "--stagger-interval-us", std::to_string(o_.stagger_interval_us),
          "--data-dir", data_root_ + "/" + std::to_string(i)}));
    }
    for (auto& w : workers_) {
      const std::string ready = w->ask("hello", std::chrono::seconds(120));
      if (ready.rfind("ready ", 0) != 0) die("unexpected worker greeting: " + ready);
      addresses_.push_back(ready.substr(6));
    }
    startup_ms_ = double(monotonic_ns() - spawned) / 1e6;
    log(std::to_string(o_.nodes) + " nodes up in " + std::to_string(static_cast<long>(startup_ms_)) + " ms");
    clock_ok_ = true;
    for (auto& w : workers_) {
      const std::uint64_t before = monotonic_ns();
      const std::string answer = w->ask("clock");
      const std::uint64_t after = monotonic_ns();
      const std::uint64_t t = std::strtoull(answer.c_str() + 2, nullptr, 10);
      if (t < before || t > after) clock_ok_ = false;
    }
  }

  void dial_topology() {
    topology_ = sim::anchor_topology(o_.nodes, o_.seed, o_.out);
    degree_ = sim::degrees(topology_);
    std::vector<std::vector<std::string>> dials(o_.nodes);
    for (const auto& edge : topology_.edges) dials[edge.dialer].push_back(addresses_[edge.listener]);
    const std::uint64_t start = monotonic_ns();
    dial_started_ns_ = start;
    std::vector<json> results(o_.nodes, json{{"ok", 0}, {"failed", 0}, {"retries", 0}});
    std::atomic<std::size_t> next{0};
    std::vector<std::thread> dialers;
    for (std::size_t t = 0; t < std::max<std::size_t>(1, o_.dial_concurrency); ++t) {
      dialers.emplace_back([&] {
        for (std::size_t i; (i = next++) < o_.nodes;) {
          if (dials[i].empty()) continue;
          std::string command = "dial " + std::to_string(o_.dial_retries);
          for (const auto& a : dials[i]) command += " " + a;
          results[i] = json::parse(workers_[i]->ask(command, std::chrono::seconds(90)));
        }
      });
    }
    for (auto& t : dialers) t.join();
    dial_ms_ = double(monotonic_ns() - start) / 1e6;
    for (const auto& r : results) {
      dial_failed_ += r.value("failed", std::size_t{0});
      dial_retries_ += r.value("retries", std::size_t{0});
      if (r.contains("first_error") && dial_errors_.size() < 5) dial_errors_.push_back(r["first_error"]);
    }
    log("dials done in " + std::to_string(static_cast<long>(dial_ms_)) + " ms (" + std::to_string(dial_failed_) + " failed)");
  }

  void wait_for_mesh() {
    bool formed = false, full = false;
    std::vector<json> st;
    std::string last_signature;
    auto last_change = std::chrono::steady_clock::now();
    const auto deadline = std::chrono::steady_clock::now() + milliseconds(o_.mesh_timeout_ms);
    for (;;) {
      st = ask_all_json("stat", std::chrono::seconds(30));
      bool subscriptions_known = true, all_full = true, all_nonempty = true;
      std::string signature;
      for (std::size_t i = 0; i < o_.nodes; ++i) {
        const std::size_t topic_peers = st[i]["topic_peers"], mesh = st[i]["mesh"];
        subscriptions_known = subscriptions_known && topic_peers >= degree_[i];
        all_full = all_full && mesh >= std::min(kDlo, degree_[i]);
        all_nonempty = all_nonempty && mesh >= 1;
        signature += std::to_string(topic_peers) + "/" + std::to_string(mesh) + ",";
      }
      full = subscriptions_known && all_full;
      const auto now = std::chrono::steady_clock::now();
      if (signature != last_signature) {
        last_signature = signature;
        last_change = now;
      }
      const bool stable = subscriptions_known && all_nonempty && now - last_change >= milliseconds(o_.mesh_stable_ms);
      formed = full || stable;
      if (formed || now >= deadline) break;
      std::this_thread::sleep_for(milliseconds(250));
    }
    double mesh_ms = double(monotonic_ns() - dial_started_ns_) / 1e6;
    if (formed && !full) {
      mesh_ms -= std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - last_change).count();
    }
    log(std::string("mesh ") + (formed ? (full ? "formed (full)" : "formed (stable)") : "NOT formed") + " after " +
        std::to_string(static_cast<long>(mesh_ms)) + " ms; settling " + std::to_string(o_.settle_ms) + " ms");

    // Idle cost: CPU of all nodes while nothing is published (heartbeats only).
    const double idle_before = total_cpu_seconds();
    const std::uint64_t idle_start = monotonic_ns();
    std::this_thread::sleep_for(milliseconds(o_.settle_ms));
    const double idle_cpu = total_cpu_seconds() - idle_before;
    const double idle_wall = double(monotonic_ns() - idle_start) / 1e9;
    const auto settled = ask_all_json("stat", std::chrono::seconds(30));
    std::vector<double> rss_idle, mesh_at, mesh_after, topic_peers_after;
    for (auto& w : workers_) rss_idle.push_back(static_cast<double>(w->rss_kib()));
    for (const auto& s : st) mesh_at.push_back(s["mesh"].get<double>());
    for (const auto& s : settled) {
      mesh_after.push_back(s["mesh"].get<double>());
      topic_peers_after.push_back(s["topic_peers"].get<double>());
    }
    std::vector<double> degree(degree_.begin(), degree_.end());
    out_["topology"] = json{{"edges", topology_.edges.size()}, {"edges_sha256", sim::edges_sha256(topology_)}, {"degree", summary(degree, 0)}};
    out_["setup"] = json{{"startup_ms", rounded(startup_ms_, 1)},
                         {"clock_check_ok", clock_ok_},
                         {"dial_ms", rounded(dial_ms_, 1)},
                         {"dial_failed", dial_failed_},
                         {"dial_retries", dial_retries_},
                         {"dial_errors", dial_errors_},
                         {"mesh_formed", formed},
                         {"mesh_full", full},
                         {"mesh_formation_ms", rounded(mesh_ms, 1)},
                         {"mesh_size_at_formation", summary(mesh_at, 0)},
                         {"mesh_size_after_settle", summary(mesh_after, 0)},
                         {"topic_peers_after_settle", summary(topic_peers_after, 0)},
                         {"rss_idle_kib", summary(rss_idle, 0)},
                         {"idle_cores_used", rounded(idle_cpu / idle_wall)}};
  }

  void warm_up() {
    const double rate = o_.warmup_rate > 0 ? o_.warmup_rate : (o_.mode == "throughput" ? 10 : o_.rate);
    log("warm-up: " + std::to_string(o_.warmup) + " messages at " + fmt_rate(rate) + " msg/s (discarded)");
    const json w = run_phase(o_.warmup, rate, 2000, "warmup");
    wait_quiet(milliseconds(10'000));
    out_["warmup"] = json{{"count", o_.warmup}, {"rate", rate}, {"delivery_ratio", w["delivery_ratio"]},
                          {"latency_p99_ms", w["latency_ms"].value("p99", json(nullptr))}};
  }

  double total_cpu_seconds() const {
    double sum = 0;
    for (const auto& w : workers_) sum += w->cpu_seconds();
    return sum;
  }

  /// Waits (at most `limit`) until a stat round trip through every node is fast and no
  /// delivery count moves: the queues of the last phase have drained.
  void wait_quiet(milliseconds limit) {
    const auto until = std::chrono::steady_clock::now() + limit;
    std::int64_t previous = -1;
    while (std::chrono::steady_clock::now() < until) {
      const auto asked = std::chrono::steady_clock::now();
      const auto st = ask_all_json("stat");
      const auto rtt = std::chrono::steady_clock::now() - asked;
      std::int64_t sum = 0;
      for (const auto& s : st) sum += s["received"].get<std::int64_t>();
      if (rtt < milliseconds(100) && sum == previous) return;
      previous = sum;
      std::this_thread::sleep_for(milliseconds(500));
    }
  }

  /// One publishing phase: node 0 publishes `count` messages at `rate`; the figures of the
  /// anchor's runPhase().
  json run_phase(std::size_t count, double rate, std::uint64_t drain_ms, const std::string& label) {
    const std::size_t n = o_.nodes;
    const std::uint64_t seq_start = next_seq_;
    next_seq_ += count;
    for (const auto& answer : ask_all("phase " + std::to_string(seq_start) + " " + std::to_string(count))) {
      if (answer != "ok") die("a worker answered 'phase' with: " + answer);
    }
    const MachineCpu machine_before = machine_cpu();
    std::vector<double> cpu_before;
    for (auto& w : workers_) cpu_before.push_back(w->cpu_seconds());
    const std::uint64_t t_a = monotonic_ns();
    const auto timeout = milliseconds(static_cast<std::int64_t>(double(count) / rate * 4000.0) + 60'000);
    const json pub = json::parse(workers_[0]->ask("publish " + std::to_string(seq_start) + " " + std::to_string(count) +
                                                  " " + fmt_rate(rate) + " " + std::to_string(o_.size),
                                                  timeout));
    const std::uint64_t t_published = monotonic_ns();

    // Drain: until every delivery is in or drain_ms after the last publish; later
    // deliveries are cut off below by their timestamps.
    const std::size_t want = count * (n - 1);
    const auto drain_deadline = std::chrono::steady_clock::now() + milliseconds(drain_ms);
    const std::uint64_t deadline_ns = t_published + drain_ms * 1'000'000;
    for (;;) {
      const auto left = std::chrono::duration_cast<milliseconds>(drain_deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) break;
      std::size_t got = 0;
      bool answered = true;
      for (std::size_t i = 1; i < n; ++i) workers_[i]->send("count");
      for (std::size_t i = 1; i < n; ++i) {
        const auto line = workers_[i]->read_line(std::max(left, milliseconds(1)));
        if (!line) {
          answered = false;
          continue;
        }
        got += std::strtoull(line->c_str() + 9, nullptr, 10);
      }
      if (!answered) die("a worker stopped answering during the drain");
      if (got >= want) break;
      std::this_thread::sleep_for(milliseconds(100));
    }
    const std::uint64_t t_end = monotonic_ns();
    const MachineCpu machine_after = machine_cpu();
    std::vector<double> cpu_used;
    for (std::size_t i = 0; i < n; ++i) cpu_used.push_back(workers_[i]->cpu_seconds() - cpu_before[i]);
    const auto collected = ask_all_json("collect");
    const double wall_s = double(t_end - t_a) / 1e9;

    const auto& actual = pub["actual"];
    const double interval = pub["interval"].get<double>();
    std::vector<double> lag_ms;
    for (std::size_t k = 0; k < count; ++k) lag_ms.push_back((actual[k].get<double>() - double(k) * interval) / 1e6);
    const double span_s = count > 1 ? (actual[count - 1].get<double>() - actual[0].get<double>()) / 1e9 : 0;
    const json achieved = count > 1 && span_s > 0 ? rounded(double(count - 1) / span_s, 2) : json(nullptr);

    std::vector<double> all, last_node, from_schedule;
    std::vector<double> per_message_max(count, -1);
    std::vector<std::size_t> per_message_count(count, 0);
    std::size_t delivered = 0, late = 0;
    const std::uint64_t t_start = pub["t_start"];
    for (std::size_t i = 1; i < n; ++i) {
      const auto& lat = collected[i]["lat"];
      for (std::size_t k = 0; k < count; ++k) {
        const std::int64_t v = lat[k];
        if (v < 0) continue;
        if (double(t_start) + actual[k].get<double>() + double(v) > double(deadline_ns)) {
          ++late;
          continue;
        }
        const double ms = double(v) / 1e6;
        all.push_back(ms);
        from_schedule.push_back(ms + lag_ms[k]);
        ++delivered;
        ++per_message_count[k];
        per_message_max[k] = std::max(per_message_max[k], ms);
      }
    }
    std::size_t fully = 0;
    for (std::size_t k = 0; k < count; ++k) {
      if (per_message_count[k] == n - 1) {
        ++fully;
        last_node.push_back(per_message_max[k]);
      }
    }
    std::vector<double> all_sorted = all, last_sorted = last_node;
    std::sort(all_sorted.begin(), all_sorted.end());
    std::sort(last_sorted.begin(), last_sorted.end());

    const auto counter = [&](const char* name) {
      std::uint64_t sum = 0;
      for (const auto& c : collected) sum += c["counters"].value(name, std::uint64_t{0});
      return sum;
    };
    std::uint64_t stray = 0;
    std::vector<double> mesh_after, conns_after;
    for (const auto& c : collected) stray += c.value("stray", std::uint64_t{0});
    double cpu_total = 0;
    for (double c : cpu_used) cpu_total += c;
    const double machine_busy = 1 - (machine_after.idle - machine_before.idle) / std::max(1.0, machine_after.total - machine_before.total);
    const double per_delivery = static_cast<double>(std::max<std::size_t>(1, delivered));
    const std::uint64_t wire_read = counter("tcp_bytes_received"), wire_write = counter("tcp_bytes_sent");
    const auto after = ask_all_json("stat");
    for (std::size_t i = 0; i < n; ++i) {
      if (i > 0) mesh_after.push_back(after[i]["mesh"].get<double>());
      conns_after.push_back(after[i]["conns"].get<double>());
    }

    json r;
    r["label"] = label;
    r["count"] = count;
    r["rate"] = rate;
    r["size"] = o_.size;
    r["expected_deliveries"] = want;
    r["deliveries"] = delivered;
    r["delivery_ratio"] = rounded(double(delivered) / double(want), 5);
    r["messages_fully_delivered"] = fully;
    r["latency_ms"] = summary(all);
    r["latency_ms_lost_as_inf"] = censored(all_sorted, want);
    r["last_node_latency_ms"] = summary(last_node);
    r["last_node_latency_ms_lost_as_inf"] = censored(last_sorted, count);
    r["latency_from_schedule_ms"] = summary(from_schedule);
    r["publisher"] = json{{"achieved_rate", achieved},
                          {"publish_span_s", rounded(span_s)},
                          {"schedule_lag_ms", summary(lag_ms)},
                          {"publish_errors", pub["errors"]},
                          {"first_publish_error", pub.value("first_error", json(nullptr))}};
    r["wall_s"] = rounded(wall_s);
    r["drain_s"] = rounded(double(t_end - t_published) / 1e9);
    r["late_after_drain_deadline"] = late;
    r["traffic"] = json{{"rx_msgs_total", counter("rx_msgs")},
                        {"duplicates_total", counter("duplicates")},
                        {"duplicates_per_delivery", rounded(double(counter("duplicates")) / per_delivery)},
                        {"tx_msgs_total", counter("forwarded")},
                        {"rx_rpcs_total", counter("rpcs_received")},
                        {"wire_read_bytes_total", wire_read},
                        {"wire_write_bytes_total", wire_write},
                        {"wire_write_bytes_per_delivery", rounded(double(wire_write) / per_delivery, 1)},
                        {"ihave_rx", counter("ihave_rx")},
                        {"iwant_ids_sent", counter("iwant_sent_ids")},
                        {"iwant_served", counter("iwant_served")},
                        {"idontwant_ids_sent", counter("idontwant_sent")},
                        {"idontwant_ids_rx", counter("idontwant_rx")},
                        {"grafts_sent", counter("grafts_sent")},
                        {"prunes_sent", counter("prunes_sent")},
                        {"send_queue_dropped", counter("send_queue_dropped")},
                        {"conn_close_events", counter("connections_closed")},
                        {"stray_deliveries", stray}};
    std::vector<double> receiver_cpu(cpu_used.begin() + 1, cpu_used.end());
    r["cpu"] = json{{"machine_busy_frac", rounded(machine_busy)},
                    {"nodes_cpu_s_total", rounded(cpu_total)},
                    {"nodes_cores_used", rounded(cpu_total / wall_s)},
                    {"publisher_cpu_s", rounded(cpu_used.front())},
                    {"receiver_cpu_s", summary(receiver_cpu)}};
    r["mesh_after"] = summary(mesh_after, 0);
    r["conns_after"] = summary(conns_after, 0);
    return r;
  }

  /// The anchor's search: from tp-start-rate, double while sustained (halve while not),
  /// then bisect tp-refine times between the last pass and the first fail.
  void search_throughput() {
    json steps = json::array();
    bool truncated = false;
    const double step_budget_s = o_.tp_step_s + double(o_.tp_drain_ms) / 1000 + 6;
    const auto time_left = [&] { return o_.max_run_s - seconds_since(kStart); };
    const auto run_step = [&](double rate) {
      const auto count = std::max<std::size_t>(20, static_cast<std::size_t>(std::llround(rate * o_.tp_step_s)));
      log("throughput step R=" + fmt_rate(rate) + " M=" + std::to_string(count));
      json r = run_phase(count, rate, o_.tp_drain_ms, "tp-" + fmt_rate(rate));
      const json p99 = r["latency_ms"].value("p99", json(nullptr));
      const json achieved = r["publisher"]["achieved_rate"];
      const bool sustained = r["delivery_ratio"].get<double>() >= o_.tp_min_ratio && !p99.is_null() &&
                             p99.get<double>() <= o_.tp_max_p99_ms && !achieved.is_null() &&
                             achieved.get<double>() >= o_.tp_min_rate_frac * rate;
      r["sustained"] = sustained;
      log("  -> ratio=" + r["delivery_ratio"].dump() + " p99=" + p99.dump() + " ms achieved=" + achieved.dump() +
          " cores=" + r["cpu"]["nodes_cores_used"].dump() + (sustained ? " PASS" : " FAIL"));
      steps.push_back(std::move(r));
      wait_quiet(milliseconds(20'000));
      return sustained;
    };
    std::optional<double> lo, hi;
    double rate = o_.tp_start_rate;
    if (run_step(rate)) {
      lo = rate;
      for (rate *= 2; rate <= o_.tp_max_rate; rate *= 2) {
        if (time_left() < step_budget_s) {
          truncated = true;
          break;
        }
        if (run_step(rate)) {
          lo = rate;
        } else {
          hi = rate;
          break;
        }
      }
    } else {
      hi = rate;
      for (rate = std::floor(rate / 2); rate >= o_.tp_min_rate; rate = std::floor(rate / 2)) {
        if (time_left() < step_budget_s) {
          truncated = true;
          break;
        }
        if (run_step(rate)) {
          lo = rate;
          break;
        }
        hi = rate;
      }
    }
    for (std::size_t i = 0; i < o_.tp_refine && lo && hi; ++i) {
      if (time_left() < step_budget_s) {
        truncated = true;
        break;
      }
      const double mid = std::round(std::sqrt(*lo * *hi));
      if (mid <= *lo || mid >= *hi) break;
      if (run_step(mid)) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    out_["steps"] = std::move(steps);
    if (truncated) out_["truncated"] = true;
    out_["max_sustained_rate"] = lo ? json(*lo) : json(nullptr);
    out_["first_failing_rate"] = hi ? json(*hi) : json(nullptr);
  }

  Options o_;
  json out_ = json::object();
  std::string data_root_;
  std::vector<std::unique_ptr<WorkerProcess>> workers_;
  std::vector<std::string> addresses_;
  sim::Topology topology_;
  std::vector<std::size_t> degree_;
  double startup_ms_ = 0, dial_ms_ = 0;
  bool clock_ok_ = false;
  std::uint64_t dial_started_ns_ = 0;
  std::size_t dial_failed_ = 0, dial_retries_ = 0;
  json dial_errors_ = json::array();
  std::uint64_t next_seq_ = 0;
};

}  // namespace

int run_gossip_bench(int argc, char** argv) {
  Options o;
  CLI::App app{"weft-bench gossip: the js-libp2p gossipsub anchor's benchmark with weft nodes", "weft-bench gossip"};
  app.add_option("--mode", o.mode, "latency | throughput")->check(CLI::IsMember({"latency", "throughput"}));
  app.add_option("--nodes", o.nodes, "node processes")->check(CLI::Range(2, 1024));
  app.add_option("--size", o.size, "bytes of message data (>= 16)")->check(CLI::Range(16, 1 << 20));
  app.add_option("--count", o.count, "messages measured (latency mode)")->check(CLI::Range(1, 1'000'000));
  app.add_option("--rate", o.rate, "messages per second (latency mode)")->check(CLI::Range(0.001, 1e6));
  app.add_option("--seed", o.seed, "topology and key seed");
  app.add_option("--out", o.out, "node i dials min(i, out) earlier nodes")->check(CLI::Range(1, 64));
  app.add_option("--warmup", o.warmup, "messages published and discarded before measuring");
  app.add_option("--warmup-rate", o.warmup_rate, "0: --rate in latency mode, 10 in throughput mode");
  app.add_option("--drain-ms", o.drain_ms, "cut-off after the last publish");
  app.add_option("--mesh-timeout-ms", o.mesh_timeout_ms);
  app.add_option("--mesh-stable-ms", o.mesh_stable_ms);
  app.add_option("--settle-ms", o.settle_ms);
  app.add_option("--dial-concurrency", o.dial_concurrency);
  app.add_option("--dial-retries", o.dial_retries);
  app.add_option("--idontwant-bytes", o.idontwant_bytes, "IDONTWANT for messages at or above this size (anchor: 512)");
  app.add_option("--stagger-interval-us", o.stagger_interval_us,
                 "weft's staggered sends of messages >= 16 KiB: us between mesh peers (0: off)")
      ->check(CLI::Range(std::uint64_t{0}, std::uint64_t{60'000'000}));
  app.add_option("--max-run-s", o.max_run_s, "stop searching throughput steps past this");
  app.add_option("--tp-start-rate", o.tp_start_rate);
  app.add_option("--tp-min-rate", o.tp_min_rate);
  app.add_option("--tp-max-rate", o.tp_max_rate);
  app.add_option("--tp-step-s", o.tp_step_s);
  app.add_option("--tp-refine", o.tp_refine);
  app.add_option("--tp-drain-ms", o.tp_drain_ms);
  app.add_option("--tp-min-ratio", o.tp_min_ratio);
  app.add_option("--tp-max-p99-ms", o.tp_max_p99_ms);
  app.add_option("--tp-min-rate-frac", o.tp_min_rate_frac);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "weft-bench gossip: %s\n", e.what());
    return 2;
  }
  json out = GossipBench(o).run();
  std::printf("%s\n", out.dump().c_str());
  return 0;
}

}  // namespace weft::bench
