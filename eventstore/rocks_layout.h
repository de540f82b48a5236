// The RocksDB store's column families (their grammar is at the top of
// rocks_event_store.cc): opening a data directory with the families of this
// layout and of earlier ones, and loading the EventIndex at open from the
// groups values, rebuilt from the log where they do not reach its head.
//
// Thread-safety: call before the store's threads start.
//
//   auto opened = rocks::open_db(options);
//   if (!opened) return opened.error();
//   auto loaded = rocks::load_index(*opened->db, opened->cfs, head, false, index);
#pragma once

#include <rocksdb/db.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "eventstore/event_index.h"
#include "eventstore/rocks_event_store.h"

namespace ikv::eventstore::rocks {

inline constexpr const char* kCfNames[] = {"default", "log",      "streams",   "groups",
                                           "keys",    "requests", "snapshots", "meta"};
enum Cf { kDefault, kLog, kStreams, kGroups, kKeys, kRequests, kSnapshots, kMeta, kCfCount };
// Column families of earlier layouts, dropped once migrated.
inline constexpr const char* kLegacyCfNames[] = {"heads", "event_ids", "by_cat", "by_type"};

// A kIOError (kCorruption when RocksDB says so) carrying RocksDB's message.
Error io_error(const rocksdb::Status& s);

struct OpenedDb {
  std::unique_ptr<rocksdb::DB> db;
  std::vector<rocksdb::ColumnFamilyHandle*> cfs;     // by Cf; null: absent (read-only)
  std::vector<rocksdb::ColumnFamilyHandle*> legacy;  // families of kLegacyCfNames found
};

// Opens options.path (created if missing, unless read_only: then as a
// secondary instance) with every family of this layout (those missing are
// created) and those of earlier layouts it holds. kCorruption for a family
// no layout has, or no log. The caller owns the handles.
Result<OpenedDb> open_db(const RocksOptions& options);

// Fills `index` (empty) for the log 1..head: the groups values in key order,
// then, from where they stop, the log records, kRebuildChunk events per new
// value, written and synced unless read_only. Values past the point where
// the groups stop are deleted first (unless read_only). kCorruption when the
// groups claim events past head or a record is missing or does not decode.
Status load_index(rocksdb::DB& db, const std::vector<rocksdb::ColumnFamilyHandle*>& cfs,
                  std::uint64_t head, bool read_only, EventIndex& index);

}  // namespace ikv::eventstore::rocks
