// The `weft` command-line program: parses arguments, then runs one subcommand.

#include "command.hpp"

#include <cstdio>
#include <exception>
#include <iostream>

namespace {

int run(int argc, char** argv) {
  CLI::App app{"weft: a libp2p-style peer-to-peer node", "weft"};
  app.set_version_flag("--version", WEFT_VERSION);
  app.require_subcommand(1);

  weft::cli::Dispatch dispatch;
  weft::cli::add_multiaddr_command(app, dispatch);
  weft::cli::add_id_command(app, dispatch);
  weft::cli::add_config_command(app, dispatch);
  weft::cli::add_node_command(app, dispatch);
  weft::cli::add_ping_command(app, dispatch);
  weft::cli::add_request_command(app, dispatch);
  weft::cli::add_admin_commands(app, dispatch);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    std::cerr << "weft: " << e.what() << " (see --help)\n";
    return weft::cli::kExitUsage;
  }
  if (!dispatch.run) {
    std::cerr << "weft: missing subcommand (see --help)\n";
    return weft::cli::kExitUsage;
  }
  return dispatch.run();
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    // Exceptions mean bugs or exhausted resources; report them in one line.
    std::cerr << "weft: internal error: " << e.what() << '\n';
    return weft::cli::kExitFailure;
  }
}
