// Snapshot files: registry snapshots (the bytes of snapshot_codec.h) kept as
// files beside the log, never inside it: a snapshot of every read model is
// hundreds of megabytes at a million events, and as one RocksDB value it
// would fill the memtables and stall every append while it is flushed.
//
// Directory grammar:  <data>/snapshots/registry-<position, 20 digits>.snap
// (and, only while one is being written, the same name + ".tmp").
//
// Crash order of write_snapshot_file() (replace_file_durably(), durable_file.h):
// the bytes go to the ".tmp" name, are fsynced, the file is renamed to its
// ".snap" name and the directory fsynced; only then are older ".snap" files and leftover ".tmp"
// files removed. A crash before the rename leaves a ".tmp" that is never read; after it the new
// file is whole and durable, and an older one may still be there until the next write (the newest
// is read). Whether a file's bytes are usable is for open_snapshot() to say (magic, format,
// checksums), not for this file.
//
// Thread-safety: free functions; the registry writes one snapshot at a time.
//
//   write_snapshot_file(data_dir, position, bytes);
//   auto newest = map_latest_snapshot_file(data_dir);   // nullopt: none
//   if (newest && *newest) open_snapshot((*newest)->bytes(), vault);
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace ikv::app {

// The folder under the data directory.
inline constexpr std::string_view kSnapshotDir = "snapshots";

// Writes `bytes` as the snapshot at `position` and removes older ones.
// Errors: kIOError.
Status write_snapshot_file(const std::filesystem::path& data_dir, std::uint64_t position,
                           std::string_view bytes);

// A snapshot file mapped read-only into memory (no copy: pages are read as
// the loader touches them); unmapped when destroyed.
class MappedFile {
 public:
  MappedFile() = default;
  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();
  // Errors: kIOError when the file cannot be opened, sized or mapped.
  static Result<MappedFile> open(const std::filesystem::path& path);
  std::string_view bytes() const;

 private:
  void* addr_ = nullptr;
  std::size_t size_ = 0;
};

// The newest snapshot file, mapped; nullopt when there is none.
// Errors: kIOError when the folder or the file cannot be read.
Result<std::optional<MappedFile>> map_latest_snapshot_file(const std::filesystem::path& data_dir);
// The same, copied into a string.
Result<std::optional<std::string>> read_latest_snapshot_file(const std::filesystem::path& data_dir);

// How many snapshot files (".snap") the data directory holds.
std::size_t snapshot_file_count(const std::filesystem::path& data_dir);

}  // namespace ikv::app
