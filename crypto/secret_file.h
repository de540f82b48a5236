// Secret files: the small files beside the data directory's log that hold a
// key (master.key, audit-signing.key). One grammar of safety for all of them:
//
// - read: the path must be a regular file (not a symlink), owned by the
//   process's user, with no permission bits for group or others (0600 or
//   stricter), and at most `max_size` bytes;
// - create: the text goes to a temporary file beside the path (O_EXCL, mode
//   0600), is synced, then linked into place and the directory synced. A crash
//   before the link leaves only a temporary file (never a half-written key
//   under the real name); after it, the key is whole and durable. Losing the
//   race to another process (the name exists by then) is not an error: the
//   caller reads back the winner's key.
//
// The caller wipes what it read or wrote (OPENSSL_cleanse) once parsed.
//
// Thread-safety: free functions.
//
//   if (!secret_file_exists(path)) create_secret_file(path, "master key", fresh_text);
//   auto text = read_secret_file(path, "master key", 256);
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include "common/result.h"

namespace ikv::crypto {

// Whether something exists at `path` (not following a symlink). Errors:
// kIOError when it cannot be told.
Result<bool> secret_file_exists(const std::filesystem::path& path, std::string_view what);

// The file's bytes. Errors: kIOError when it cannot be opened or read;
// kInvalidArgument when it is not a regular file, is owned by another user or
// is open to group or others. `what` names the file in messages ("master key").
Result<std::string> read_secret_file(const std::filesystem::path& path, std::string_view what,
                                     std::size_t max_size);

// Creates the file with `text` as described above. Errors: kIOError.
Status create_secret_file(const std::filesystem::path& path, std::string_view what,
                          std::string_view text);

}  // namespace ikv::crypto
