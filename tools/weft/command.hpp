#pragma once
// How the `weft` program's subcommands plug into main.cpp.
//
// A subcommand registers its flags on a CLI11 app and stores the action to run in `run`.
// main() parses the command line first (any parse error: one line on stderr, exit 2) and
// only then runs the chosen action, whose return value is the process exit code.

#include <CLI/CLI.hpp>

#include <functional>

namespace weft::cli {

/// Process exit codes shared by every subcommand.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  ///< the command was well-formed but could not be done
inline constexpr int kExitUsage = 2;    ///< bad arguments or invalid input

using Action = std::function<int()>;

/// The action main() runs after parsing; set by the callback of the chosen subcommand.
struct Dispatch {
  Action run;
};

void add_multiaddr_command(CLI::App& app, Dispatch& dispatch);
void add_id_command(CLI::App& app, Dispatch& dispatch);
void add_config_command(CLI::App& app, Dispatch& dispatch);
void add_node_command(CLI::App& app, Dispatch& dispatch);
void add_ping_command(CLI::App& app, Dispatch& dispatch);
void add_request_command(CLI::App& app, Dispatch& dispatch);
/// status, peers and connect: clients of the running node's admin API.
void add_admin_commands(CLI::App& app, Dispatch& dispatch);

}  // namespace weft::cli
