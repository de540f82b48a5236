// RawLog: the event store's "log" column family opened read-only with plain
// RocksDB, for the benchmarks' raw-iterator peer (every column family is
// opened, as RocksDB requires; only the log is read).
//
// Thread-safety: one RawLog per thread.
//
//   bench::RawLog raw;
//   if (auto error = raw.open(dir)) die(*error);
//   std::unique_ptr<rocksdb::Iterator> it(raw.db->NewIterator({}, raw.log));
#pragma once

#include <rocksdb/db.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ikv::bench {

struct RawLog {
  std::unique_ptr<rocksdb::DB> db;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::ColumnFamilyHandle* log = nullptr;

  RawLog() = default;
  RawLog(const RawLog&) = delete;
  RawLog& operator=(const RawLog&) = delete;
  ~RawLog() {
    for (auto* h : handles) (void)db->DestroyColumnFamilyHandle(h);
  }

  // Opens the data directory `dir`; the error message on failure.
  std::optional<std::string> open(const std::string& dir) {
    std::vector<std::string> names;
    auto s = rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), dir, &names);
    if (!s.ok()) return "list column families: " + s.ToString();
    std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
    cfs.reserve(names.size());
    for (const auto& n : names) cfs.emplace_back(n, rocksdb::ColumnFamilyOptions());
    rocksdb::DB* raw = nullptr;
    s = rocksdb::DB::OpenForReadOnly(rocksdb::DBOptions(), dir, cfs, &handles, &raw);
    if (!s.ok()) return "open read-only: " + s.ToString();
    db.reset(raw);
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (names[i] == "log") log = handles[i];
    }
    if (log == nullptr) return "no \"log\" column family in " + dir;
    return std::nullopt;
  }
};

}  // namespace ikv::bench
