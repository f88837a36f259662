// `weft config default`: prints the full default config file (every key, commented), which
// `weft node run --config FILE` reads back as the defaults.

#include "command.hpp"
#include "config_file.hpp"

#include <iostream>

namespace weft::cli {

void add_config_command(CLI::App& app, Dispatch& dispatch) {
  auto* config = app.add_subcommand("config", "The node's TOML config file");
  config->require_subcommand(1);
  auto* defaults = config->add_subcommand("default", "Print the default config file, every key with its comment");
  defaults->callback([&dispatch] {
    dispatch.run = [] {
      std::cout << default_config_text();
      return kExitOk;
    };
  });
}

}  // namespace weft::cli
