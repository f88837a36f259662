// `weft multiaddr inspect [--json] [--from-hex] ADDR...`
//
// One result per input, in input order. Text mode prints the canonical text, the bytes in
// hex and a line per component on stdout, and each invalid input as one line on stderr.
// JSON mode prints one object per line on stdout:
//   {"input":…, "text":…, "bytes":"<hex>", "components":[{"name":…,"code":…,"value":…}]}
//   {"input":…, "error":…}
// where "value" is null for protocols that take no value. Exit 0 when every input is
// valid, 2 when any is not.

#include "command.hpp"
#include "line_reader.hpp"

#include "identity/hex.hpp"

#include <weft/multiaddr.hpp>

#include <nlohmann/json.hpp>

#include <iostream>
#include <string>
#include <vector>

namespace weft::cli {
namespace {

struct InspectOptions {
  std::vector<std::string> inputs;
  bool json = false;
  bool from_hex = false;
};

// Longest stdin line kept whole: any longer input is refused without being stored.
constexpr std::size_t kMaxInputLineChars = 2 * kMaxMultiaddrTextChars;

Result<Multiaddr> parse_input(const std::string& input, bool from_hex) {
  if (!from_hex) return Multiaddr::parse(input);
  if (input.size() > 2 * kMaxMultiaddrBytes) {
    return Error(Errc::multiaddr_too_long, std::to_string(input.size() / 2) + " bytes, at most " +
                                               std::to_string(kMaxMultiaddrBytes));
  }
  auto bytes = identity::hex_decode(input);
  if (!bytes) return bytes.error();
  return Multiaddr::from_bytes(bytes.value());
}

std::string dump_line(const nlohmann::json& object) {
  // Inputs may hold invalid UTF-8: replace it rather than fail.
  return object.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void print_json(const std::string& input, const Result<Multiaddr>& parsed) {
  nlohmann::json out;
  out["input"] = input;
  if (!parsed) {
    out["error"] = parsed.error().message();
  } else {
    const Multiaddr& addr = parsed.value();
    out["text"] = addr.to_string();
    out["bytes"] = identity::hex_encode(addr.bytes());
    auto components = nlohmann::json::array();
    for (const auto& c : addr.components()) {
      nlohmann::json item;
      item["name"] = std::string(c.name);
      item["code"] = c.code;
      // Every protocol that takes a value has at least one value byte.
      item["value"] = c.value.empty() ? nlohmann::json(nullptr) : nlohmann::json(c.value_text());
      components.push_back(std::move(item));
    }
    out["components"] = std::move(components);
  }
  std::cout << dump_line(out) << '\n';
}

void print_text(const std::string& input, const Result<Multiaddr>& parsed) {
  if (!parsed) {
    std::cout.flush();  // keep stdout and stderr in input order on a terminal
    std::cerr << "weft: invalid multiaddr '" << input << "': " << parsed.error().message() << '\n';
    return;
  }
  const Multiaddr& addr = parsed.value();
  std::cout << addr.to_string() << '\n' << "  bytes " << identity::hex_encode(addr.bytes()) << '\n';
  for (const auto& c : addr.components()) {
    std::cout << "  " << c.name << " (" << c.code << ")";
    if (const auto value = c.value_text(); !value.empty()) std::cout << ' ' << value;
    std::cout << '\n';
  }
}

// Runs one input; returns false when it is invalid.
bool inspect_one(const std::string& input, const InspectOptions& options, bool too_long = false) {
  const Result<Multiaddr> parsed =
      too_long ? Result<Multiaddr>(Error(Errc::multiaddr_too_long, "input line longer than " +
                                                                       std::to_string(kMaxInputLineChars) + " characters"))
               : parse_input(input, options.from_hex);
  if (options.json) {
    print_json(input, parsed);
  } else {
    print_text(input, parsed);
  }
  return parsed.has_value();
}

int run_inspect(const InspectOptions& options) {
  bool all_valid = true;
  for (const auto& input : options.inputs) {
    if (input != "-") {
      all_valid &= inspect_one(input, options);
      continue;
    }
    LineReader reader(std::cin, kMaxInputLineChars);
    while (auto line = reader.next()) {
      if (line->text.empty() && !line->too_long) continue;  // blank lines are not inputs
      all_valid &= inspect_one(line->text, options, line->too_long);
    }
  }
  std::cout.flush();
  return all_valid ? kExitOk : kExitUsage;
}

}  // namespace

void add_multiaddr_command(CLI::App& app, Dispatch& dispatch) {
  auto* multiaddr = app.add_subcommand("multiaddr", "Work with multiaddrs");
  multiaddr->require_subcommand(1);

  auto options = std::make_shared<InspectOptions>();
  auto* inspect = multiaddr->add_subcommand(
      "inspect", "Parse multiaddrs and print their canonical text, bytes and components");
  inspect->add_option("ADDR", options->inputs, "Multiaddrs to inspect; '-' reads one per line from stdin")
      ->required();
  inspect->add_flag("--json", options->json, "One JSON object per input, one per line");
  inspect->add_flag("--from-hex", options->from_hex, "Inputs are the binary form in hex");
  inspect->callback([&dispatch, options] { dispatch.run = [options] { return run_inspect(*options); }; });
}

}  // namespace weft::cli
