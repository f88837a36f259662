#pragma once
// The node's TOML config file: every NodeConfig field, one table per settings struct,
// keys named as the fields (include/weft/node_config.hpp).
//
//   data_dir = ""            # top-level: NodeConfig's own fields
//   [handshake]              # NodeConfig::handshake ...
//   [connections.backoff]    # NodeConfig::connections.backoff ...
//
// A key left out keeps its default. NodeConfig::identity is not in the file.

#include <weft/error.hpp>
#include <weft/node_config.hpp>

#include <filesystem>
#include <string>
#include <string_view>

namespace weft::cli {

/// `text` over the defaults. Errors, all config_invalid with a one-line detail naming the
/// place: a TOML syntax error ("<source>:<line>:<column>: ..."), an unknown key ("unknown
/// key 'connections.max_conns'"), a value of the wrong type or out of range ("key
/// 'mux.max_streams': expected a non-negative integer, got string").
Result<NodeConfig> parse_node_config(std::string_view text, std::string_view source = "config");

/// The file at `path`, as parse_node_config. Errors also: config_invalid when it cannot be read.
Result<NodeConfig> read_node_config(const std::filesystem::path& path);

/// The whole default config file, every key with a comment saying what it does;
/// parse_node_config of it gives NodeConfig{}.
std::string default_config_text();

/// `config` as a config file in the same layout (identity left out); parse_node_config of
/// it gives `config` back.
std::string config_text(const NodeConfig& config);

}  // namespace weft::cli
