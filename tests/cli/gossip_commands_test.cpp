// Black-box tests of `weft publish` and `weft topics` against `weft node run --topic`
// processes: a message published through one node's admin API is delivered (and logged) by
// the other; topics lists each subscribed topic with its mesh and peers.

#include "background_process.hpp"
#include "run_process.hpp"
#include "weft_cli.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <string>
#include <thread>
#include <vector>

using weft::test::BackgroundProcess;
using weft::test::ProcessResult;
using weft::test::run_weft;
using weft::test::TempDir;
using weft::test::weft_binary;
using json = nlohmann::json;

namespace {

/// `weft node run --topic blocks` on an ephemeral loopback port with its own data directory.
struct TopicNode {
  TempDir dir;
  std::unique_ptr<BackgroundProcess> process;
  std::string address;

  explicit TopicNode(const std::string& bootstrap = "") {
    std::vector<std::string> args{"node", "run", "--listen", "/ip4/127.0.0.1/tcp/0", "--data-dir",
                                  dir.path().string(), "--topic", "blocks"};
    if (!bootstrap.empty()) {
      args.push_back("--bootstrap");
      args.push_back(bootstrap);
    }
    process = std::make_unique<BackgroundProcess>(weft_binary(), args);
    auto line = process->wait_for_line("listening ");
    REQUIRE_MESSAGE(line.has_value(), "the node did not start; stderr: " << process->err());
    address = line->substr(std::string("listening ").size());
  }
  std::string data_dir() const { return dir.path().string(); }
  std::string peer() const { return address.substr(address.find("/p2p/") + 5); }
};

/// Runs `attempt` until it returns true or 30 s passed (not a performance assertion).
bool eventually(const std::function<bool()>& attempt) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!attempt()) {
    if (std::chrono::steady_clock::now() > give_up) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return true;
}

}  // namespace

TEST_CASE("publish through one node is delivered by the other; topics shows the mesh") {
  TopicNode a;
  TopicNode b(a.address);

  // Until b's subscription reached a, a has nobody to send to (no_peers, exit 1).
  ProcessResult published;
  REQUIRE_MESSAGE(eventually([&] {
                    published = run_weft({"publish", "blocks", "block 1", "--data-dir", a.data_dir()});
                    return published.exit_code == 0;
                  }),
                  "last attempt: " << published.err);
  CHECK(published.out.rfind("published ", 0) == 0);
  CHECK(eventually([&] {
    return b.process->err().find("message on blocks from " + a.peer()) != std::string::npos;
  }));

  const ProcessResult topics = run_weft({"topics", "--data-dir", b.data_dir()});
  INFO("stderr: " << topics.err);
  REQUIRE(topics.exit_code == 0);
  REQUIRE(topics.out_lines().size() == 2);
  CHECK(topics.out_lines()[0].rfind("blocks  mesh ", 0) == 0);
  CHECK(topics.out_lines()[0].find("  peers 1") != std::string::npos);
  CHECK(topics.out_lines()[0].find("  delivered 1  duplicates 0  rejected 0  ignored 0  dropped 0") != std::string::npos);
  CHECK(topics.out_lines()[1].find("delivered 1") != std::string::npos);
  CHECK(topics.out_lines()[1].find(", ignored 0") != std::string::npos);

  const ProcessResult as_json = run_weft({"topics", "--json", "--data-dir", a.data_dir()});
  REQUIRE(as_json.exit_code == 0);
  const json answer = json::parse(as_json.out);
  CHECK(answer.at("enabled") == true);
  CHECK(answer.at("published").get<int>() >= 1);
  REQUIRE(answer.at("topics").size() == 1);
  CHECK(answer.at("topics")[0].at("delivered") == 0);  // the author does not deliver its own
  CHECK(answer.at("topics")[0].contains("idontwant_received"));

  SUBCASE("DATA '-' reads the message from stdin") {
    const ProcessResult piped =
        weft::test::run_process(weft_binary(), {"publish", "blocks", "-", "--data-dir", a.data_dir()}, "from stdin");
    CHECK(piped.exit_code == 0);
    CHECK(eventually([&] {
      const ProcessResult t = run_weft({"topics", "--json", "--data-dir", b.data_dir()});
      return t.exit_code == 0 && json::parse(t.out).at("delivered").get<int>() == 2;
    }));
  }
  CHECK(a.process->stop() == 0);
  CHECK(b.process->stop() == 0);
}

TEST_CASE("publish without a running node fails with one line and exit 1") {
  TempDir empty;
  const ProcessResult r = run_weft({"publish", "blocks", "x", "--data-dir", empty.path().string()});
  CHECK(r.exit_code == 1);
  CHECK(r.out.empty());
  REQUIRE(r.err_lines().size() == 1);
  CHECK(r.err_lines()[0].rfind("weft: no node running", 0) == 0);
}

namespace {

/// Whether `node`'s admin API counts `n` open topic streams (weft status --json).
bool has_subscribers(const TopicNode& node, int n) {
  const ProcessResult status = run_weft({"status", "--json", "--data-dir", node.data_dir()});
  return status.exit_code == 0 && json::parse(status.out).at("admin").at("subscribers").get<int>() == n;
}

}  // namespace

TEST_CASE("subscribe prints each message as one JSON line as it arrives; --count N exits 0 after N") {
  TopicNode a;
  TopicNode b(a.address);
  BackgroundProcess subscriber(weft_binary(), {"subscribe", "blocks", "--count", "2", "--data-dir", b.data_dir()});
  REQUIRE(eventually([&] { return has_subscribers(b, 1); }));

  ProcessResult published;
  REQUIRE_MESSAGE(eventually([&] {
                    published = run_weft({"publish", "blocks", "block 1", "--data-dir", a.data_dir()});
                    return published.exit_code == 0;
                  }),
                  "last attempt: " << published.err);
  REQUIRE(subscriber.wait_for_line("{").has_value());  // the first line came before the second was sent
  REQUIRE(run_weft({"publish", "blocks", "block 2", "--data-dir", a.data_dir()}).exit_code == 0);

  REQUIRE(subscriber.wait_for_exit() == std::optional<int>(0));
  const auto lines = weft::test::split_lines(subscriber.out());
  REQUIRE(lines.size() == 2);
  const json first = json::parse(lines[0]);
  const json second = json::parse(lines[1]);
  CHECK(first.at("topic") == "blocks");
  CHECK(first.at("data") == "YmxvY2sgMQ==");  // "block 1"
  CHECK(second.at("data") == "YmxvY2sgMg==");  // "block 2"
  CHECK(first.at("from") == a.peer());
  CHECK(first.at("received_from") == a.peer());
  CHECK(first.at("id").get<std::string>() == published.out.substr(std::string("published ").size(),
                                                                   published.out.find('\n') - std::string("published ").size()));
  CHECK(first.at("received_at").get<std::string>().back() == 'Z');
  CHECK(first.at("seqno").is_number());
  CHECK(subscriber.err().empty());
  // The node's own --topic subscription is undisturbed: it logged both messages too.
  CHECK(eventually([&] { return has_subscribers(b, 0); }));
  const ProcessResult topics = run_weft({"topics", "--data-dir", b.data_dir()});
  CHECK(topics.out.rfind("blocks  mesh ", 0) == 0);
  CHECK(a.process->stop() == 0);
  CHECK(b.process->stop() == 0);
}

TEST_CASE("subscribe: the node stopping ends it with one line on stderr and exit 1") {
  TopicNode a;
  BackgroundProcess subscriber(weft_binary(), {"subscribe", "news", "--data-dir", a.data_dir()});
  REQUIRE(eventually([&] { return has_subscribers(a, 1); }));
  CHECK(a.process->stop() == 0);
  REQUIRE(subscriber.wait_for_exit() == std::optional<int>(1));
  CHECK(subscriber.out().empty());
  const auto err = weft::test::split_lines(subscriber.err());
  REQUIRE(err.size() == 1);
  CHECK(err[0].rfind("weft: the node ended the stream", 0) == 0);
}

TEST_CASE("subscribe without a running node fails with one line and exit 1") {
  TempDir empty;
  const ProcessResult r = run_weft({"subscribe", "blocks", "--data-dir", empty.path().string()});
  CHECK(r.exit_code == 1);
  CHECK(r.out.empty());
  REQUIRE(r.err_lines().size() == 1);
  CHECK(r.err_lines()[0].rfind("weft: no node running", 0) == 0);
}

TEST_CASE("subscribe with bad arguments fails with one line and exit 2") {
  TempDir empty;
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"subscribe"},
        std::vector<std::string>{"subscribe", "blocks", "--count", "0", "--data-dir", empty.path().string()},
        std::vector<std::string>{"subscribe", "blocks", "--count", "many", "--data-dir", empty.path().string()},
        std::vector<std::string>{"subscribe", "blocks", "--api", "not-an-address"}}) {
    const ProcessResult r = run_weft(args);
    INFO("args: " << args.size() << " stderr: " << r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(r.err_lines().size() == 1);
  }
}
