// Replacing a whole file so that a crash leaves either the old bytes or the
// new ones, never a mix: the snapshot files and the erasure list use it.
//
// Crash order: the bytes go to "<path>.tmp" (created 0600, truncated), in
// chunks whose write-back is started as they are written (so that the final
// fsync of a large file is short and does not hold up the log's own syncs at
// once), then fsync, rename over <path>, fsync of the directory. A crash
// before the rename leaves a ".tmp" that no reader opens; after it, the new
// file is whole and durable.
//
// Thread-safety: callers serialise writes to one path.
//
//   if (Status s = replace_file_durably(dir / "erasures", text); !s) return s;
#pragma once

#include <filesystem>
#include <string_view>

#include "common/result.h"

namespace ikv::app {

// Errors: kIOError (the ".tmp" file is removed again).
Status replace_file_durably(const std::filesystem::path& path, std::string_view bytes);

// fsync of a directory (after a file in it was created, renamed or removed).
// Errors: kIOError.
Status sync_directory(const std::filesystem::path& dir);

}  // namespace ikv::app
