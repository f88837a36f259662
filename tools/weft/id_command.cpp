// `weft id new [--out FILE] [--json]` and `weft id show [--json] FILE`.
//
// Key files hold the libp2p marshalled PrivateKey, so they are interchangeable with other
// libp2p tools. `id new` without --out writes the node's default identity file,
// $HOME/.weft/identity.key (the directory is created with mode 0700), and never replaces
// an existing key.

#include "command.hpp"
#include "identity_file.hpp"

#include "identity/hex.hpp"

#include <weft/keys.hpp>
#include <weft/peer_id.hpp>

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>

namespace weft::cli {
namespace {

namespace fs = std::filesystem;

struct NewOptions {
  std::string out;
  bool json = false;
};

struct ShowOptions {
  std::string file;
  bool json = false;
};

int run_new(const NewOptions& options) {
  fs::path path = options.out;
  if (path.empty()) {
    auto fallback = default_key_path();
    if (!fallback) {
      std::cerr << "weft: " << fallback.error().message() << '\n';
      return kExitFailure;
    }
    path = fallback.value();
  }
  const Keypair key = Keypair::generate();
  if (auto written = write_key_file(path, key); !written) {
    std::cerr << "weft: " << written.error().message() << '\n';
    return kExitFailure;
  }
  const PeerId id = PeerId::from_public_key(key.public_key());
  if (options.json) {
    std::cout << nlohmann::json{{"peer_id", id.to_base58()}, {"file", path.string()}}.dump() << '\n';
  } else {
    std::cout << id.to_base58() << '\n';
  }
  return kExitOk;
}

int run_show(const ShowOptions& options) {
  auto key = read_key_file(options.file);
  if (!key) {
    std::cerr << "weft: " << key.error().message() << '\n';
    return kExitFailure;
  }
  const PublicKey& public_key = key.value().public_key();
  const PeerId id = PeerId::from_public_key(public_key);
  if (options.json) {
    const nlohmann::json out{
        {"peer_id", id.to_base58()},
        {"peer_id_cid", id.to_cid()},
        {"key_type", "Ed25519"},
        {"public_key", identity::hex_encode(public_key.to_protobuf())},
        {"public_key_raw", identity::hex_encode(public_key.raw())},
    };
    std::cout << out.dump() << '\n';
  } else {
    std::cout << id.to_base58() << '\n';
  }
  return kExitOk;
}

}  // namespace

void add_id_command(CLI::App& app, Dispatch& dispatch) {
  auto* id = app.add_subcommand("id", "Create and show node identities (Ed25519 keys, PeerIds)");
  id->require_subcommand(1);

  auto new_options = std::make_shared<NewOptions>();
  auto* create = id->add_subcommand("new", "Create a key file and print its PeerId");
  create->add_option("--out", new_options->out, "Key file to create (default: $HOME/.weft/identity.key)");
  create->add_flag("--json", new_options->json, "Print {\"peer_id\", \"file\"} as JSON");
  create->callback([&dispatch, new_options] { dispatch.run = [new_options] { return run_new(*new_options); }; });

  auto show_options = std::make_shared<ShowOptions>();
  auto* show = id->add_subcommand("show", "Print the PeerId of a key file");
  show->add_option("FILE", show_options->file, "Key file (libp2p marshalled private key)")->required();
  show->add_flag("--json", show_options->json, "Also print the public key (protobuf and raw, hex) and the CID form");
  show->callback([&dispatch, show_options] { dispatch.run = [show_options] { return run_show(*show_options); }; });
}

}  // namespace weft::cli
