// Snapshot files: registry snapshots (the bytes of snapshot_codec.h) kept as
// files beside the log, never inside it: a snapshot of every read model is
// hundreds of megabytes at a million events, and as one RocksDB value it
// would fill the memtables and stall every append while it is flushed.
//
// Directory grammar:  <data>/snapshots/registry-<position, 20 digits>.snap
// (and, only while one is being written, the same name + ".tmp").
//
// Crash order of a SnapshotFileWriter (and write_snapshot_file(), which uses
// one): the bytes go to the ".tmp" name as they are made (their write-back
// started every few megabytes, so that the final fsync is short), header
// fields are patched in place, then commit() fsyncs the file, renames it to
// its ".snap" name and fsyncs the directory; only then are older ".snap"
// files and leftover ".tmp" files removed. A crash before the rename leaves a
// ".tmp" that is never read; after it the new file is whole and durable, and
// an older one may still be there until the next write (the newest is read).
// Whether a file's bytes are usable is for open_snapshot() to say (magic,
// format, checksums), not for this file.
//
// Thread-safety: free functions and a writer used by one thread; the
// registry writes one snapshot at a time.
//
//   auto file = SnapshotFileWriter::create(data_dir, position);
//   SnapshotEncoder encoder(**file, position); ...; (*file)->commit();
//   write_snapshot_file(data_dir, position, bytes);   // the same, at once
//   auto newest = map_latest_snapshot_file(data_dir);   // nullopt: none
//   if (newest && *newest) open_snapshot((*newest)->bytes(), vault);
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "app/snapshot_codec.h"
#include "common/result.h"

namespace ikv::app {

// The folder under the data directory.
inline constexpr std::string_view kSnapshotDir = "snapshots";

// A snapshot file being written, as a SnapshotEncoder's output. A writer
// destroyed before commit() removes its ".tmp" file.
class SnapshotFileWriter final : public SnapshotOutput {
 public:
  // Errors: kIOError when the folder or the ".tmp" file cannot be made.
  static Result<std::unique_ptr<SnapshotFileWriter>> create(const std::filesystem::path& data_dir,
                                                            std::uint64_t position);
  SnapshotFileWriter(const SnapshotFileWriter&) = delete;
  SnapshotFileWriter& operator=(const SnapshotFileWriter&) = delete;
  ~SnapshotFileWriter() override;

  Status append(std::string_view bytes) override;
  Status patch(std::uint64_t at, std::string_view bytes) override;
  std::uint64_t size() const override { return size_; }
  // Makes the file durable under its ".snap" name and removes older
  // snapshots and leftovers. Errors: kIOError (the ".tmp" file is removed).
  Status commit();

 private:
  SnapshotFileWriter(std::filesystem::path dir, std::string name, int fd);
  Status flush();
  Status failed(const std::string& what, int err);

  std::filesystem::path dir_;
  std::string name_;  // the ".snap" name
  int fd_ = -1;
  std::string buffer_;
  std::uint64_t size_ = 0;      // bytes appended
  std::uint64_t flushed_ = 0;   // of which written to the file
  std::uint64_t started_ = 0;   // of which their write-back was started
  std::uint64_t position_ = 0;  // the snapshot's (from the name)
};

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
  // Gives back the resident pages wholly inside `part` (a part of bytes()):
  // they leave the process's memory, and a later read of them reads the
  // file again. Anything else is ignored.
  void release(std::string_view part) const;

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
