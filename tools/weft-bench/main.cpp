// weft-bench: speed figures for weft's hot paths, each with a ratio against a baseline
// measured in the same run (the machine is shared and noisy; only ratios compare).
//
// Identity layer: parsing and printing the addresses and PeerIds every connection
// carries. Baseline: copying the same text into a fresh std::string — the least any
// parser that returns an owned value must do.
//
// Usage: weft-bench [Google Benchmark flags, e.g. --benchmark_filter=multiaddr]
//        weft-bench handshake [--seconds S]   (handshake_bench.cpp)
//        weft-bench channel [--seconds S]     (channel_bench.cpp)
//        weft-bench pool [--seconds S] [--only pooled]   (pool_bench.cpp)
//        weft-bench idle [--connections N,...] [--heap-sites]  (idle_bench.cpp)
//        weft-bench gossip [--nodes N --size S --count M --rate R --mode throughput ...]
//                                             (gossip_bench.cpp; --help lists every flag)
//        weft-bench gossip-compare JS_DIR WEFT_DIR  (gossip_compare.cpp; gossip_race.sh runs both)

#include <weft/multiaddr.hpp>
#include <weft/peer_id.hpp>

#include "bench_common.hpp"

#include <benchmark/benchmark.h>

#include <cstdio>
#include <map>
#include <string>
#include <vector>

namespace {

const std::string kAddressText =
    "/ip4/198.51.100.7/tcp/4001/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA";
const std::string kIp6Text = "/ip6/2001:db8::8a2e:370:7334/udp/4001/quic-v1/webtransport";
const std::string kPeerIdText = "12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA";

void baseline_copy_text(benchmark::State& state) {
  for (auto _ : state) {
    std::string copy = kAddressText;
    benchmark::DoNotOptimize(copy.data());
  }
}
BENCHMARK(baseline_copy_text);

void multiaddr_parse_text(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(weft::Multiaddr::parse(kAddressText));
}
BENCHMARK(multiaddr_parse_text);

void multiaddr_parse_ip6_text(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(weft::Multiaddr::parse(kIp6Text));
}
BENCHMARK(multiaddr_parse_ip6_text);

void multiaddr_to_string(benchmark::State& state) {
  const auto addr = weft::Multiaddr::parse(kAddressText).value();
  for (auto _ : state) benchmark::DoNotOptimize(addr.to_string());
}
BENCHMARK(multiaddr_to_string);

void multiaddr_from_bytes(benchmark::State& state) {
  const auto bytes = weft::Multiaddr::parse(kAddressText).value().bytes();
  for (auto _ : state) benchmark::DoNotOptimize(weft::Multiaddr::from_bytes(bytes));
}
BENCHMARK(multiaddr_from_bytes);

void peer_id_parse(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(weft::PeerId::parse(kPeerIdText));
}
BENCHMARK(peer_id_parse);

void peer_id_to_base58(benchmark::State& state) {
  const auto id = weft::PeerId::parse(kPeerIdText).value();
  for (auto _ : state) benchmark::DoNotOptimize(id.to_base58());
}
BENCHMARK(peer_id_to_base58);

// Prints the usual console table, then each figure again with its ratio to the baseline.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const auto& run : runs) {
      if (run.error_occurred || run.iterations == 0) continue;
      ns_per_op_[run.benchmark_name()] = run.GetAdjustedRealTime();  // default unit: ns
      order_.push_back(run.benchmark_name());
    }
  }

  void print_ratios() const {
    const auto baseline = ns_per_op_.find("baseline_copy_text");
    if (baseline == ns_per_op_.end() || baseline->second <= 0) return;
    std::printf("\n%-28s %12s %22s\n", "figure", "ns/op", "ratio to baseline_copy");
    for (const auto& name : order_) {
      const double ns = ns_per_op_.at(name);
      std::printf("%-28s %12.1f %21.2fx\n", name.c_str(), ns, ns / baseline->second);
    }
  }

 private:
  std::map<std::string, double> ns_per_op_;
  std::vector<std::string> order_;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 2 && std::string(argv[1]) == "handshake") return weft::bench::run_handshake_bench(argc - 2, argv + 2);
  if (argc >= 2 && std::string(argv[1]) == "channel") return weft::bench::run_channel_bench(argc - 2, argv + 2);
  if (argc >= 2 && std::string(argv[1]) == "pool") return weft::bench::run_pool_bench(argc - 2, argv + 2);
  if (argc >= 2 && std::string(argv[1]) == "idle") return weft::bench::run_idle_bench(argc - 2, argv + 2);
  if (argc >= 2 && std::string(argv[1]) == "gossip") return weft::bench::run_gossip_bench(argc - 1, argv + 1);
  if (argc >= 2 && std::string(argv[1]) == "gossip-compare") return weft::bench::run_gossip_compare(argc - 2, argv + 2);
  if (argc >= 2 && std::string(argv[1]) == "gossip-worker") return weft::bench::run_gossip_worker(argc - 2, argv + 2);
  if (argc >= 2 && std::string(argv[1]) == "idle-server") return weft::bench::run_idle_server(argc - 2, argv + 2);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  reporter.print_ratios();
  benchmark::Shutdown();
  return 0;
}
