// `weft-bench gossip-compare JS_DIR WEFT_DIR`: the race's table. Reads the JSON lines of
// the js-libp2p anchor (gossip_bench.mjs) and of `weft-bench gossip` (latency.jsonl,
// throughput.jsonl in each folder), takes the median of each figure over the runs of one
// configuration, and prints one markdown row per figure: js, weft, weft / js, and the
// issue's goal with its verdict where there is one. Both benchmarks use the same names for
// the shared figures, so one reader serves both.

#include "bench_common.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace weft::bench {
namespace {

using json = nlohmann::json;

std::vector<json> load(const std::string& path) {
  std::vector<json> runs;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line.front() != '{') continue;
    auto run = json::parse(line, nullptr, false);
    if (!run.is_discarded() && run.value("ok", false)) runs.push_back(std::move(run));
  }
  return runs;
}

/// The value at a '/'-separated path, when it is a number.
std::optional<double> at(const json& run, const std::string& path) {
  const json* node = &run;
  std::size_t start = 0;
  while (start <= path.size()) {
    const auto end = std::min(path.find('/', start), path.size());
    const std::string key = path.substr(start, end - start);
    if (!node->is_object() || !node->contains(key)) return std::nullopt;
    node = &(*node)[key];
    start = end + 1;
  }
  if (!node->is_number()) return std::nullopt;
  return node->get<double>();
}

std::optional<double> median(std::vector<double> values) {
  if (values.empty()) return std::nullopt;
  std::sort(values.begin(), values.end());
  const std::size_t m = values.size() / 2;
  return values.size() % 2 ? values[m] : (values[m - 1] + values[m]) / 2;
}

/// Runs grouped by "N=<nodes> S=<size>".
std::map<std::pair<double, double>, std::vector<json>> by_config(const std::vector<json>& runs) {
  std::map<std::pair<double, double>, std::vector<json>> groups;
  for (const auto& run : runs) {
    groups[{run["params"].value("nodes", 0.0), run["params"].value("size", 0.0)}].push_back(run);
  }
  return groups;
}

std::string number(std::optional<double> x, int digits = 1) {
  if (!x) return "n/a";
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", digits, *x);
  return text;
}

struct Figure {
  std::string label;
  std::string path;   ///< in one run's JSON
  int digits = 1;
  /// The goal's text and test (weft's median, js's median), when the issue sets one here.
  std::string goal;
  std::function<bool(double weft, double js, double size)> met;
};

void print_rows(const std::vector<json>& js_runs, const std::vector<json>& weft_runs, double size,
                const std::vector<Figure>& figures) {
  for (const auto& f : figures) {
    std::vector<double> js_values, weft_values;
    for (const auto& r : js_runs) {
      if (auto v = at(r, f.path)) js_values.push_back(*v);
    }
    for (const auto& r : weft_runs) {
      if (auto v = at(r, f.path)) weft_values.push_back(*v);
    }
    const auto js = median(js_values), weft = median(weft_values);
    std::string ratio = "n/a", verdict;
    if (js && weft && *js != 0) ratio = number(*weft / *js, 3);
    if (f.met) verdict = f.goal + (js && weft ? (f.met(*weft, *js, size) ? ": **met**" : ": **not met**") : ": n/a");
    std::printf("| %s | %s (%zu) | %s (%zu) | %s | %s |\n", f.label.c_str(), number(js, f.digits).c_str(),
                js_values.size(), number(weft, f.digits).c_str(), weft_values.size(), ratio.c_str(), verdict.c_str());
  }
}

}  // namespace

int run_gossip_compare(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: weft-bench gossip-compare JS_DIR WEFT_DIR\n");
    return 2;
  }
  const std::string js_dir = argv[0], weft_dir = argv[1];
  const auto js_latency = by_config(load(js_dir + "/latency.jsonl"));
  const auto weft_latency = by_config(load(weft_dir + "/latency.jsonl"));
  const auto js_throughput = by_config(load(js_dir + "/throughput.jsonl"));
  const auto weft_throughput = by_config(load(weft_dir + "/throughput.jsonl"));
  const std::vector<json> none;
  const auto runs = [&](const auto& groups, const std::pair<double, double>& key) -> const std::vector<json>& {
    const auto found = groups.find(key);
    return found == groups.end() ? none : found->second;
  };

  std::printf("Medians over runs (number of runs in brackets); ratio = weft / js.\n");
  std::map<std::pair<double, double>, bool> keys;
  for (const auto& [key, ignored] : js_latency) keys[key] = true;
  for (const auto& [key, ignored] : weft_latency) keys[key] = true;
  for (const auto& [key, ignored] : keys) {
    const auto [nodes, size] = key;
    std::printf("\n### Latency mode, N=%.0f, S=%.0f B (M=200, R=20 msg/s)\n\n", nodes, size);
    std::printf("| figure | js-libp2p | weft | ratio | goal |\n|---|---|---|---|---|\n");
    std::vector<Figure> figures = {
        {"delivery ratio", "result/delivery_ratio", 4, {}, {}},
        {"latency p50 ms", "result/latency_ms/p50", 1, {}, {}},
        {"latency p99 ms", "result/latency_ms/p99", 1, {}, {}},
        {"last-node latency p99 ms", "result/last_node_latency_ms/p99", 1, {}, {}},
        {"CPU cores used", "result/cpu/nodes_cores_used", 2, {}, {}},
        {"duplicates per delivery", "result/traffic/duplicates_per_delivery", 2, {}, {}},
        {"wire bytes written per delivery", "result/traffic/wire_write_bytes_per_delivery", 0, {}, {}},
        {"mesh formation ms", "setup/mesh_formation_ms", 0, {}, {}},
        {"idle RSS per node p50 KiB", "setup/rss_idle_kib/p50", 0, "<= 10 MiB",
         [](double w, double, double) { return w <= 10 * 1024; }},
        {"peak RSS per node p50 KiB", "resources/peak_rss_kib_per_node/p50", 0, {}, {}},
    };
    if (nodes == 16 || nodes == 32) {
      figures[2].goal = "<= 0.2 x js";
      figures[2].met = [](double w, double j, double) { return w <= 0.2 * j; };
    }
    if (nodes == 64) {
      figures[0].goal = "1.0";
      figures[0].met = [](double w, double, double) { return w >= 1.0; };
    }
    if (size >= 16384) {
      figures[6].goal = "<= 2 x size";
      figures[6].met = [](double w, double, double s) { return w <= 2 * s; };
    }
    print_rows(runs(js_latency, key), runs(weft_latency, key), size, figures);
  }
  std::map<std::pair<double, double>, bool> throughput_keys;
  for (const auto& [key, ignored] : js_throughput) throughput_keys[key] = true;
  for (const auto& [key, ignored] : weft_throughput) throughput_keys[key] = true;
  for (const auto& [key, ignored] : throughput_keys) {
    const auto [nodes, size] = key;
    std::printf("\n### Throughput mode, N=%.0f, S=%.0f B (delivery >= 99 %%, p99 <= 1 s, publisher >= 95 %% of R)\n\n", nodes, size);
    std::printf("| figure | js-libp2p | weft | ratio | goal |\n|---|---|---|---|---|\n");
    const std::vector<Figure> figures = {
        {"max sustained msg/s", "max_sustained_rate", 0, ">= 10 x js", [](double w, double j, double) { return w >= 10 * j; }},
        {"first failing msg/s", "first_failing_rate", 0, {}, {}},
    };
    print_rows(runs(js_throughput, key), runs(weft_throughput, key), size, figures);
  }
  return 0;
}

}  // namespace weft::bench
