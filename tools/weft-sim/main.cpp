// weft-sim: runs N real gossip routers on a simulated network and prints one JSON line.
//   weft-sim gossip --nodes N --messages M --size S --seed X [options]
// Bad arguments: one line on stderr, exit code 2.

#include "simulation.hpp"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>
#include <iostream>
#include <string>

namespace {

constexpr int kExitUsage = 2;
constexpr int kExitFailure = 1;

/// "A:B" in milliseconds.
bool parse_range(const std::string& text, double& a, double& b) {
  const auto colon = text.find(':');
  if (colon == std::string::npos) return false;
  try {
    std::size_t used_a = 0, used_b = 0;
    const std::string left = text.substr(0, colon), right = text.substr(colon + 1);
    a = std::stod(left, &used_a);
    b = std::stod(right, &used_b);
    return used_a == left.size() && used_b == right.size();
  } catch (const std::exception&) {
    return false;
  }
}

int usage(const std::string& message) {
  std::cerr << "weft-sim: " << message << " (see --help)\n";
  return kExitUsage;
}

int run(int argc, char** argv) {
  CLI::App app{"weft-sim: gossip routers on a simulated network", "weft-sim"};
  app.require_subcommand(1);
  weft::sim::SimConfig config;
  std::string latency = "30:70";
  std::string topology = "random-regular";
  bool no_wall = false;

  CLI::App* gossip = app.add_subcommand("gossip", "Publish messages on one topic across N nodes");
  gossip->add_option("--nodes", config.nodes, "Number of nodes")->required();
  gossip->add_option("--messages", config.messages, "Messages to publish")->required();
  gossip->add_option("--size", config.size, "Data bytes per message")->required();
  gossip->add_option("--seed", config.seed, "Seed: one seed, one run")->required();
  gossip->add_option("--latency-ms", latency, "One-way link latency range A:B, uniform (default 30:70)");
  gossip->add_option("--loss", config.loss, "Probability that an RPC is lost (default 0)");
  gossip->add_option("--bandwidth-mbps", config.bandwidth_mbps, "Upload per node, Mbit/s (default 0: unlimited)");
  gossip->add_option("--rate", config.rate, "Publishes per simulated second (default 10)");
  gossip->add_option("--stagger-interval-us", config.stagger_interval_us,
                     "Routers' staggered-send interval for large messages, us (default 10000; 0: off)");
  gossip->add_option("--blackhole", config.blackhole, "Fraction of nodes that forward nothing");
  gossip->add_option("--invalid", config.invalid, "Fraction of nodes that publish invalid messages");
  gossip->add_option("--ihave-flood", config.ihave_flood, "Fraction of nodes that flood IHAVE");
  gossip->add_option("--churn", config.churn, "Fraction of honest nodes that go down once and restart");
  gossip->add_option("--churn-downtime-ms", config.churn_downtime_ms, "How long a churned node stays down");
  gossip->add_option("--warmup-ms", config.warmup_ms, "Simulated time before the first publish (default 5000)");
  gossip->add_option("--drain-ms", config.drain_ms, "Simulated time after the last publish (default 5000)");
  auto* topology_option = gossip->add_option("--topology", topology, "random-regular (default) or anchor");
  auto* degree_option = gossip->add_option("--degree", config.degree, "Random-regular degree (default 8)");
  gossip->add_flag("--wire-codec", config.wire_codec, "Encode and decode every RPC (slower, same result)");
  gossip->add_flag("--no-wall", no_wall, "Leave out wall_seconds, cpu_seconds and peak_rss_kib (byte-identical runs)");
  (void)topology_option;

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help
    return usage(e.what());
  }
  if (!parse_range(latency, config.latency_min_ms, config.latency_max_ms)) {
    return usage("--latency-ms wants A:B in milliseconds, e.g. 30:70");
  }
  if (topology == "anchor") {
    if (degree_option->count() > 0) return usage("--degree applies to --topology random-regular only");
    config.topology = weft::sim::TopologyKind::anchor;
  } else if (topology != "random-regular") {
    return usage("--topology must be random-regular or anchor");
  }
  if (auto ok = weft::sim::check_sim_config(config); !ok) return usage(ok.error().detail());
  auto result = weft::sim::run_simulation(config);
  if (!result) return usage(result.error().detail());
  std::cout << weft::sim::to_json(result.value(), !no_wall).dump() << '\n';
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "weft-sim: internal error: " << e.what() << '\n';
    return kExitFailure;
  }
}
