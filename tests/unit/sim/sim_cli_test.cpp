// The weft-sim binary (WEFT_SIM_BIN): one JSON line, and usage errors as one line + exit 2.

#include "run_process.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <string>
#include <vector>

namespace {

weft::test::ProcessResult run_sim(const std::vector<std::string>& args) {
  const char* path = std::getenv("WEFT_SIM_BIN");
  REQUIRE_MESSAGE(path != nullptr, "WEFT_SIM_BIN must point at the weft-sim binary");
  return weft::test::run_process(path, args);
}

void check_usage_error(const weft::test::ProcessResult& r) {
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  REQUIRE(r.err_lines().size() == 1);
  CHECK(r.err_lines()[0].rfind("weft-sim: ", 0) == 0);
}

const std::vector<std::string> kBase{"gossip", "--nodes", "20", "--messages", "3", "--size", "256", "--seed", "1"};

std::vector<std::string> with(std::vector<std::string> extra) {
  std::vector<std::string> args = kBase;
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

}  // namespace

TEST_CASE("weft-sim gossip prints one JSON line") {
  const auto r = run_sim(with({"--warmup-ms", "2000", "--drain-ms", "2000"}));
  CHECK(r.exit_code == 0);
  CHECK(r.err.empty());
  REQUIRE(r.out_lines().size() == 1);
  const auto j = nlohmann::json::parse(r.out_lines()[0]);
  CHECK(j["nodes"] == 20);
  CHECK(j["delivery_ratio"] == 1.0);
  CHECK(j.contains("wall_seconds"));
  CHECK(j.contains("peak_rss_kib"));
  CHECK(j.contains("cpu_seconds"));
  const auto quiet = run_sim(with({"--warmup-ms", "2000", "--drain-ms", "2000", "--no-wall"}));
  CHECK(quiet.exit_code == 0);
  const auto q = nlohmann::json::parse(quiet.out_lines().at(0));
  CHECK_FALSE(q.contains("wall_seconds"));
  CHECK_FALSE(q.contains("cpu_seconds"));
  CHECK(run_sim(with({"--warmup-ms", "2000", "--drain-ms", "2000", "--no-wall"})).out == quiet.out);
  const auto unstaggered = run_sim(with({"--warmup-ms", "2000", "--drain-ms", "2000", "--stagger-interval-us", "0"}));
  CHECK(unstaggered.exit_code == 0);
  CHECK(nlohmann::json::parse(unstaggered.out_lines().at(0))["gossip"]["stagger_interval_us"] == 0);
}

TEST_CASE("weft-sim bad arguments: one line on stderr, exit 2") {
  check_usage_error(run_sim({}));
  check_usage_error(run_sim({"frobnicate"}));
  check_usage_error(run_sim({"gossip"}));
  check_usage_error(run_sim({"gossip", "--nodes", "10"}));
  check_usage_error(run_sim(with({"--nodes", "x"})));
  check_usage_error(run_sim(with({"--latency-ms", "50"})));
  check_usage_error(run_sim(with({"--latency-ms", "70:30"})));
  check_usage_error(run_sim(with({"--loss", "2"})));
  check_usage_error(run_sim(with({"--blackhole", "0.7", "--invalid", "0.7"})));
  check_usage_error(run_sim(with({"--topology", "ring"})));
  check_usage_error(run_sim(with({"--topology", "anchor", "--degree", "6"})));
  check_usage_error(run_sim(with({"--degree", "3", "--nodes", "21"})));
  check_usage_error(run_sim(with({"--no-such-flag"})));
  check_usage_error(run_sim(with({"--stagger-interval-us", "-1"})));
  check_usage_error(run_sim(with({"--stagger-interval-us", "60000001"})));
}

TEST_CASE("weft-sim --help exits 0") {
  const auto r = run_sim({"gossip", "--help"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("--nodes") != std::string::npos);
}
