// `weft status`, `weft peers`, `weft connect ADDR`, `weft topics`, `weft publish TOPIC
// DATA` and `weft subscribe TOPIC [--count N]`: clients of the running node's local admin API (src/node/admin_api.hpp). Each
// finds the API through <data-dir>/api.addr (--data-dir, default $HOME/.weft) unless --api
// HOST:PORT names it, makes one request and prints the answer readably, or as the API's
// JSON with --json.
//
// Exit codes: 0 done; 1 no node running (no api.addr, or nothing answers at its address)
// or the node could not do it (a failed connect), with one line on stderr saying why;
// 2 bad arguments (an unparsable ADDR or --api), one line on stderr.
//
//   $ weft status
//   PeerId       12D3KooW...
//   Listening    /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW...
//   Uptime       1h 02m 03s
//   Connections  3 open (1 inbound, 2 outbound) to 2 peers
//   Pool         connections 3 (connecting 0, ready 3, ...), ...
//   Peers        2 connected (watermarks 32/64), 2 known, 0 banned; exchanges ...
//   Peerstore    /home/me/.weft/peerstore.db
//   $ weft peers
//   12D3KooW... score 1.0  outbound /ip4/127.0.0.1/tcp/4002 age 5s streams 0/1 healthy
//   $ weft connect /ip4/127.0.0.1/tcp/4002/p2p/12D3KooW...
//   connected to 12D3KooW...
//   $ weft publish blocks "block 1"
//   published 0024080112...
//   $ weft topics
//   blocks  mesh 2  peers 2  delivered 5  duplicates 3  rejected 0  ignored 0  dropped 0
//   published 1, delivered 5, duplicates dropped 3, rejected 0, ignored 0
//   $ weft subscribe blocks --count 1
//   {"data":"YmxvY2sgMQ==","from":"12D3KooW...","id":"0024...","received_at":"2026-11-23T14:05:09.123Z",
//    "received_from":"12D3KooW...","seqno":1763906709123456789,"topic":"blocks"}
//
// subscribe prints every line of the node's stream (GET /v1/subscribe) as it arrives,
// flushed, including {"dropped": N} lines where the node had to drop messages for a slow
// reader; with --count N it exits 0 after N messages. When the node ends the stream (it
// stopped) it says so in one line on stderr and exits 1.

#include "admin_client.hpp"
#include "command.hpp"

#include "identity/base64.hpp"
#include "node/api_address.hpp"

#include <weft/multiaddr.hpp>

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstdio>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>

namespace weft::cli {
namespace {

namespace http = boost::beast::http;
using json = nlohmann::json;

struct AdminOptions {
  std::string data_dir;
  std::string api;
  bool json = false;
  std::uint64_t timeout_ms = 60'000;
  std::string address;  ///< connect only
  std::string topic;    ///< publish only
  std::string data;     ///< publish only; "-" reads stdin
};

void add_admin_options(CLI::App& cmd, AdminOptions& o) {
  cmd.add_flag("--json", o.json, "Print the admin API's JSON answer as it is");
  cmd.add_option("--data-dir", o.data_dir, "The node's data directory, holding api.addr (default: $HOME/.weft)");
  cmd.add_option("--api", o.api, "The admin API's HOST:PORT ([::1]:PORT for IPv6), instead of <data-dir>/api.addr");
  cmd.add_option("--timeout-ms", o.timeout_ms, "Deadline for the answer")->capture_default_str()->check(CLI::PositiveNumber);
}

/// "1h 02m 03s", "4m 05s", "12s", "850ms".
std::string format_duration(std::uint64_t ms) {
  char buffer[64];
  const std::uint64_t s = ms / 1000;
  if (s == 0) std::snprintf(buffer, sizeof buffer, "%llums", static_cast<unsigned long long>(ms));
  else if (s < 60) std::snprintf(buffer, sizeof buffer, "%llus", static_cast<unsigned long long>(s));
  else if (s < 3600) std::snprintf(buffer, sizeof buffer, "%llum %02llus", static_cast<unsigned long long>(s / 60), static_cast<unsigned long long>(s % 60));
  else {
    std::snprintf(buffer, sizeof buffer, "%lluh %02llum %02llus", static_cast<unsigned long long>(s / 3600),
                  static_cast<unsigned long long>(s / 60 % 60), static_cast<unsigned long long>(s % 60));
  }
  return buffer;
}

void print_status(const json& s) {
  std::cout << "PeerId       " << s.at("peer_id").get<std::string>() << '\n';
  const json& listen = s.at("listen_addrs");
  if (listen.empty()) std::cout << "Listening    (nothing)\n";
  for (std::size_t i = 0; i < listen.size(); ++i) {
    std::cout << (i == 0 ? "Listening    " : "             ") << listen.at(i).get<std::string>() << '\n';
  }
  std::cout << "Uptime       " << format_duration(s.at("uptime_ms").get<std::uint64_t>()) << '\n';
  const json& c = s.at("connections");
  std::cout << "Connections  " << c.at("open").get<std::uint64_t>() << " open (" << c.at("inbound").get<std::uint64_t>()
            << " inbound, " << c.at("outbound").get<std::uint64_t>() << " outbound) to "
            << c.at("peers").get<std::uint64_t>() << " peers\n";
  std::cout << "Pool         " << s.at("pool").at("summary").get<std::string>() << '\n';
  const json& pm = s.at("peer_manager");
  if (pm.is_null()) {
    std::cout << "Peers        (no peer manager)\n";
    return;
  }
  const auto n = [&pm](const char* key) { return pm.at(key).get<std::uint64_t>(); };
  const json& exchange = pm.at("exchange");
  std::cout << "Peers        " << n("connected_peers") << " connected (watermarks " << n("low_watermark") << "/"
            << n("high_watermark") << "), " << n("known_peers") << " known, " << n("banned_peers") << " banned; "
            << "exchanges " << exchange.at("sent").get<std::uint64_t>() << " sent, "
            << exchange.at("answered").get<std::uint64_t>() << " answered, "
            << exchange.at("addrs_learned").get<std::uint64_t>() << " addresses learned\n";
  const json& store = pm.at("peerstore");
  std::cout << "Peerstore    " << (store.is_string() ? store.get<std::string>() : std::string("(in memory)")) << '\n';
}

void print_peers(const json& answer) {
  const json& peers = answer.at("peers");
  if (peers.empty()) std::cout << "no peers connected\n";
  for (const json& peer : peers) {
    std::string line = peer.at("peer_id").get<std::string>();
    if (const json& score = peer.value("score", json()); score.is_number()) {
      char buffer[32];
      std::snprintf(buffer, sizeof buffer, " score %.1f", score.get<double>());
      line += buffer;
    }
    bool first = true;
    for (const json& c : peer.at("connections")) {
      line += first ? "  " : "; ";
      first = false;
      line += c.at("direction").get<std::string>();
      const json& remote = c.at("remote_addr");
      line += " " + (remote.is_string() ? remote.get<std::string>() : std::string("(dialing)"));
      const json& age = c.at("age_ms");
      if (age.is_number()) line += " age " + format_duration(age.get<std::uint64_t>());
      const json& streams = c.at("streams");
      line += " streams " + std::to_string(streams.at("leased").get<std::uint64_t>()) + "/" +
              std::to_string(streams.at("open").get<std::uint64_t>());
      const json& rtt = c.at("rtt_ms");
      if (rtt.is_number()) {
        char buffer[32];
        std::snprintf(buffer, sizeof buffer, " rtt %.3f ms", rtt.get<double>());
        line += buffer;
      }
      const std::string state = c.at("state").get<std::string>();
      if (state != "ready" && state != "busy") line += " " + state;
      line += " " + c.at("health").get<std::string>();
    }
    std::cout << line << '\n';
  }
}

void print_topics(const json& answer) {
  if (!answer.at("enabled").get<bool>()) {
    std::cout << "gossip is off\n";
    return;
  }
  const json& topics = answer.at("topics");
  if (topics.empty()) std::cout << "no topics subscribed\n";
  for (const json& t : topics) {
    std::cout << t.at("topic").get<std::string>() << "  mesh " << t.at("mesh_peers").get<std::uint64_t>() << "  peers "
              << t.at("peers").get<std::uint64_t>() << "  delivered " << t.at("delivered").get<std::uint64_t>()
              << "  duplicates " << t.at("duplicates").get<std::uint64_t>() << "  rejected "
              << t.at("rejected").get<std::uint64_t>() << "  ignored " << t.at("ignored").get<std::uint64_t>()
              << "  dropped " << t.at("dropped").get<std::uint64_t>() << '\n';
  }
  std::cout << "published " << answer.at("published").get<std::uint64_t>() << ", delivered "
            << answer.at("delivered").get<std::uint64_t>() << ", duplicates dropped "
            << answer.at("duplicates").get<std::uint64_t>() << ", rejected " << answer.at("rejected").get<std::uint64_t>()
            << ", ignored " << answer.at("ignored").get<std::uint64_t>() << '\n';
}

/// Says on stderr why the admin API could not be found; returns the exit code.
int report_no_api(const AdminOptions& o, const Error& error) {
  if (error == Errc::node_not_running) {
    std::cerr << "weft: no node running (" << error.detail() << "; start one with `weft node run`)\n";
    return kExitFailure;
  }
  std::cerr << "weft: " << error.message() << '\n';
  return error == Errc::config_invalid && !o.api.empty() ? kExitUsage : kExitFailure;
}

/// Says on stderr why the request to the admin API at `api` failed; returns the exit code.
int report_request_failure(const tcp::endpoint& api, const Error& error) {
  if (error.code().value() == ECONNREFUSED) {
    std::cerr << "weft: no node running: nothing answers at " << node::format_api_address(api)
              << " (a stale api.addr?)\n";
  } else {
    std::cerr << "weft: " << error.message() << '\n';
  }
  return kExitFailure;
}

/// Says on stderr what an error answer (not 200) said; returns the exit code.
int report_error_answer(unsigned status, const json& answer) {
  std::cerr << "weft: " << answer.value("message", std::string("HTTP ") + std::to_string(status)) << '\n';
  return status == 400 ? kExitUsage : kExitFailure;
}

/// Makes the request and prints the answer; returns the exit code.
int call_admin(const AdminOptions& o, http::verb method, const std::string& target, const std::string& body,
               void (*print)(const json&)) {
  auto api = find_admin_api(o.api, o.data_dir);
  if (!api) return report_no_api(o, api.error());
  auto response = admin_request(api.value(), method, target, body, std::chrono::milliseconds(o.timeout_ms));
  if (!response) return report_request_failure(api.value(), response.error());
  const json answer = json::parse(response.value().body, nullptr, /*allow_exceptions=*/false);
  if (answer.is_discarded() || !answer.is_object()) {
    std::cerr << "weft: the admin API answered HTTP " << response.value().status << " without JSON\n";
    return kExitFailure;
  }
  if (response.value().status != 200) return report_error_answer(response.value().status, answer);
  if (o.json) {
    std::cout << answer.dump(-1, ' ', false, json::error_handler_t::replace) << '\n';
    return kExitOk;
  }
  try {
    print(answer);
  } catch (const json::exception& e) {
    std::cerr << "weft: unexpected answer from the admin API: " << e.what() << '\n';
    return kExitFailure;
  }
  return kExitOk;
}

int connect(const AdminOptions& o) {
  auto address = Multiaddr::parse(o.address);
  if (!address) {
    std::cerr << "weft: invalid address '" << o.address << "': " << address.error().message() << " (see --help)\n";
    return kExitUsage;
  }
  if (!address.value().peer_id() || !address.value().to_tcp_endpoint()) {
    std::cerr << "weft: '" << o.address << "' must be /ip4|ip6|dns*/<host>/tcp/<port>/p2p/<PeerId> (see --help)\n";
    return kExitUsage;
  }
  const std::string body = json{{"addr", address.value().to_string()}}.dump();
  return call_admin(o, http::verb::post, "/v1/connect", body, [](const json& answer) {
    std::cout << "connected to " << answer.at("peer_id").get<std::string>() << '\n';
  });
}

int publish(const AdminOptions& o) {
  std::string data = o.data;
  if (data == "-") {
    std::ostringstream in;
    in << std::cin.rdbuf();
    data = in.str();
  }
  const ByteView bytes(reinterpret_cast<const std::uint8_t*>(data.data()), data.size());
  const std::string body =
      json{{"topic", o.topic},
           {"data", identity::base64_encode(bytes, identity::Base64Alphabet::standard, identity::Base64Padding::padded)}}
          .dump();
  return call_admin(o, http::verb::post, "/v1/publish", body, [](const json& answer) {
    std::cout << "published " << answer.at("id").get<std::string>() << '\n';
  });
}

/// `weft subscribe TOPIC`: prints each line of the node's topic stream as it arrives.
int subscribe(const AdminOptions& o, std::uint64_t count) {
  auto api = find_admin_api(o.api, o.data_dir);
  if (!api) return report_no_api(o, api.error());
  std::uint64_t messages = 0;
  auto end = admin_stream(api.value(), "/v1/subscribe?topic=" + percent_encode(o.topic), [&](std::string_view line) {
    std::cout << line << std::endl;  // flushed: a pipe reader sees each message at once
    const json parsed = json::parse(line.begin(), line.end(), nullptr, /*allow_exceptions=*/false);
    if (parsed.is_object() && parsed.contains("topic")) ++messages;  // not a {"dropped": N} line
    return count == 0 || messages < count;
  });
  if (!end) return report_request_failure(api.value(), end.error());
  if (end.value().status != 200) {
    const json answer = json::parse(end.value().body, nullptr, /*allow_exceptions=*/false);
    if (answer.is_discarded() || !answer.is_object()) {
      std::cerr << "weft: the admin API answered HTTP " << end.value().status << " without JSON\n";
      return kExitFailure;
    }
    return report_error_answer(end.value().status, answer);
  }
  if (end.value().by_node) {
    std::cerr << "weft: the node ended the stream (it stopped or went away) after " << messages << " messages\n";
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace

void add_admin_commands(CLI::App& app, Dispatch& dispatch) {
  auto status = std::make_shared<AdminOptions>();
  auto* status_cmd = app.add_subcommand("status", "Show the running node's PeerId, addresses, uptime and connections");
  add_admin_options(*status_cmd, *status);
  status_cmd->callback([&dispatch, status] {
    dispatch.run = [status] { return call_admin(*status, http::verb::get, "/v1/status", "", print_status); };
  });

  auto peers = std::make_shared<AdminOptions>();
  auto* peers_cmd = app.add_subcommand("peers", "List the running node's connected peers, one line each");
  add_admin_options(*peers_cmd, *peers);
  peers_cmd->callback([&dispatch, peers] {
    dispatch.run = [peers] { return call_admin(*peers, http::verb::get, "/v1/peers", "", print_peers); };
  });

  auto connect_options = std::make_shared<AdminOptions>();
  auto* connect_cmd = app.add_subcommand("connect", "Make the running node connect to a peer");
  connect_cmd->add_option("ADDR", connect_options->address, "/ip4|ip6|dns*/<host>/tcp/<port>/p2p/<PeerId>")->required();
  add_admin_options(*connect_cmd, *connect_options);
  connect_cmd->callback([&dispatch, connect_options] {
    dispatch.run = [connect_options] { return connect(*connect_options); };
  });

  auto topics = std::make_shared<AdminOptions>();
  auto* topics_cmd = app.add_subcommand("topics", "List the running node's gossip topics with their mesh and peers");
  add_admin_options(*topics_cmd, *topics);
  topics_cmd->callback([&dispatch, topics] {
    dispatch.run = [topics] { return call_admin(*topics, http::verb::get, "/v1/topics", "", print_topics); };
  });

  auto publish_options = std::make_shared<AdminOptions>();
  auto* publish_cmd = app.add_subcommand("publish", "Publish a message on a gossip topic through the running node");
  publish_cmd->add_option("TOPIC", publish_options->topic, "The topic")->required();
  publish_cmd->add_option("DATA", publish_options->data, "The message ('-' reads it from stdin)")->required();
  add_admin_options(*publish_cmd, *publish_options);
  publish_cmd->callback([&dispatch, publish_options] {
    dispatch.run = [publish_options] { return publish(*publish_options); };
  });

  auto subscribe_options = std::make_shared<AdminOptions>();
  auto subscribe_count = std::make_shared<std::uint64_t>(0);
  auto* subscribe_cmd = app.add_subcommand(
      "subscribe", "Print each message on a gossip topic as one JSON line, as the running node receives it");
  subscribe_cmd->add_option("TOPIC", subscribe_options->topic, "The topic")->required();
  subscribe_cmd->add_option("--count", *subscribe_count, "Exit (0) after this many messages (default: run until stopped)")
      ->check(CLI::PositiveNumber);
  subscribe_cmd->add_option("--data-dir", subscribe_options->data_dir,
                            "The node's data directory, holding api.addr (default: $HOME/.weft)");
  subscribe_cmd->add_option("--api", subscribe_options->api,
                            "The admin API's HOST:PORT ([::1]:PORT for IPv6), instead of <data-dir>/api.addr");
  subscribe_cmd->callback([&dispatch, subscribe_options, subscribe_count] {
    dispatch.run = [subscribe_options, subscribe_count] { return subscribe(*subscribe_options, *subscribe_count); };
  });
}

}  // namespace weft::cli
