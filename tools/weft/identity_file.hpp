#pragma once
// Where the `weft` program keeps its identity key, shared by `id new` and `node run`.

#include <weft/error.hpp>
#include <weft/keys.hpp>

#include <filesystem>
#include <string>

namespace weft::cli {

/// $HOME/.weft/identity.key; creates $HOME/.weft (mode 0700) if missing.
/// Errors: key_file_io (HOME unset, or the directory cannot be created).
Result<std::filesystem::path> default_key_path();

/// Reads the key file at `path`, or creates it with a fresh key if it does not exist
/// (`created` tells which). Errors: read_key_file's and write_key_file's.
Result<Keypair> load_or_create_identity(const std::filesystem::path& path, bool& created);

/// For client commands (ping, request): the key file at `path`, or a fresh identity for
/// this run when `path` is empty. Errors: read_key_file's.
Result<Keypair> client_identity(const std::string& path);

}  // namespace weft::cli
