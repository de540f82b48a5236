#include "eventstore/rocks_layout.h"

#include <rocksdb/filter_policy.h>
#include <rocksdb/options.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>
#include <rocksdb/write_buffer_manager.h>

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <filesystem>

#include "eventstore/record_codec.h"

namespace ikv::eventstore::rocks {
namespace {

// Events per groups value written when the index is rebuilt from the log.
constexpr std::uint64_t kRebuildChunk = 4096;

// RocksDB's diagnostics go to the process log (stderr), not to a LOG file in
// the data directory: a full disk must fail the write, not the logger.
class StderrLogger final : public rocksdb::Logger {
 public:
  StderrLogger() : rocksdb::Logger(rocksdb::InfoLogLevel::WARN_LEVEL) {}
  using rocksdb::Logger::Logv;
  void Logv(const char* format, va_list ap) override {
    char line[1024];
    std::vsnprintf(line, sizeof line, format, ap);
    std::fprintf(stderr, "[rocksdb] %s\n", line);
  }
};

// Applies the groups values in order. Stops (leaving the rest to
// rebuild_index) at a value that does not continue the index, unless it
// claims positions past the log's head, which no crash can leave.
Status load_groups(rocksdb::DB& db, const std::vector<rocksdb::ColumnFamilyHandle*>& cfs,
                   std::uint64_t head, EventIndex& index) {
  if (cfs[kGroups] == nullptr) return ok_status();  // read-only on an earlier layout
  rocksdb::ReadOptions ro;
  ro.readahead_size = 2u << 20;
  ro.fill_cache = false;
  std::unique_ptr<rocksdb::Iterator> it(db.NewIterator(ro, cfs[kGroups]));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    const std::uint64_t first = it->key().size() == 8 ? get_be64(it->key().ToStringView()) : 0;
    if (first == 0 || first > head) {
      return Error{ErrorCode::kCorruption, "a groups key names no position of the log", {}};
    }
    if (!index.apply_group(first, it->value().ToStringView())) break;
  }
  if (!it->status().ok()) return io_error(it->status());
  if (index.size() > head) {
    return Error{ErrorCode::kCorruption, "the groups describe events past the log's head", {}};
  }
  return ok_status();
}

// Indexes the log records the groups values do not cover, kRebuildChunk
// events per value; writes the values (synced) unless read-only.
Status rebuild_index(rocksdb::DB& db, const std::vector<rocksdb::ColumnFamilyHandle*>& cfs,
                     std::uint64_t head, bool read_only, EventIndex& index) {
  rocksdb::ReadOptions ro;
  ro.readahead_size = 2u << 20;
  ro.fill_cache = false;
  std::unique_ptr<rocksdb::Iterator> it(db.NewIterator(ro, cfs[kLog]));
  std::vector<RecordedEvent> chunk;
  chunk.reserve(kRebuildChunk);
  const auto flush = [&]() -> Status {
    std::vector<IndexedEvent> events;
    events.reserve(chunk.size());
    for (const auto& e : chunk) {
      events.push_back(
          {.event_id = e.event_id, .category = stream_category(e.stream), .type = e.type});
    }
    const std::uint64_t first = index.size() + 1;
    const std::string value = index.encode_group(events);
    if (!read_only) {
      rocksdb::WriteOptions wo;
      wo.sync = true;
      if (auto s = db.Put(wo, cfs[kGroups], be64(first), value); !s.ok()) return io_error(s);
    }
    if (!index.apply_group(first, value)) {
      return Error{ErrorCode::kInternal, "a rebuilt groups value does not apply", {}};
    }
    chunk.clear();
    return ok_status();
  };
  if (!read_only) {
    // Values past the index (a damaged one and its successors) are replaced.
    rocksdb::WriteOptions wo;
    wo.sync = true;
    auto s = db.DeleteRange(wo, cfs[kGroups], be64(index.size() + 1), be64(UINT64_MAX));
    if (!s.ok()) return io_error(s);
  }
  RecordedEvent e;
  for (it->Seek(be64(index.size() + 1)); it->Valid(); it->Next()) {
    const std::uint64_t expect = index.size() + chunk.size() + 1;
    if (expect > head) break;
    if (!decode_record_into(it->value().ToStringView(), e) || e.position != expect ||
        get_be64(it->key().ToStringView()) != expect) {
      return Error{ErrorCode::kCorruption,
                   "record " + std::to_string(expect) + " is missing or does not decode",
                   {}};
    }
    chunk.push_back(e);
    if (chunk.size() == kRebuildChunk) {
      if (auto flushed = flush(); !flushed) return flushed;
    }
  }
  if (!it->status().ok()) return io_error(it->status());
  if (!chunk.empty()) {
    if (auto flushed = flush(); !flushed) return flushed;
  }
  if (index.size() != head) {
    return Error{
        ErrorCode::kCorruption, "record " + std::to_string(index.size() + 1) + " is missing", {}};
  }
  return ok_status();
}

}  // namespace

Error io_error(const rocksdb::Status& s) {
  return {s.IsCorruption() ? ErrorCode::kCorruption : ErrorCode::kIOError, s.ToString(),
          std::nullopt};
}

Result<OpenedDb> open_db(const RocksOptions& options) {
  rocksdb::Options db_options;
  db_options.create_if_missing = true;
  db_options.create_missing_column_families = true;
  db_options.max_background_jobs = 2;
  db_options.keep_log_file_num = 3;
  db_options.WAL_ttl_seconds = 0;
  db_options.WAL_size_limit_MB = 0;
  db_options.info_log = std::make_shared<StderrLogger>();

  // RocksDB opens every family a directory has: those of this layout, plus
  // any of an earlier one (dropped after the migration in recover()).
  std::vector<std::string> existing;
  if (!rocksdb::DB::ListColumnFamilies(db_options, options.path, &existing).ok()) existing.clear();
  const auto exists = [&](std::string_view name) {
    return std::find(existing.begin(), existing.end(), name) != existing.end();
  };
  auto cache = rocksdb::NewLRUCache(options.block_cache_bytes);
  // Memtables flush once all of them together reach memtable_bytes, and
  // their memory is charged to the block cache.
  db_options.write_buffer_manager =
      std::make_shared<rocksdb::WriteBufferManager>(options.memtable_bytes, cache);
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  std::vector<int> slots;  // by descriptor: its Cf, or -1 for an earlier layout's family
  for (int i = 0; i < kCfCount; ++i) {
    // A read-only (secondary) instance cannot create what is missing.
    if (options.read_only && !exists(kCfNames[i])) continue;
    rocksdb::ColumnFamilyOptions cf;
    cf.write_buffer_size = std::min<std::size_t>(options.memtable_bytes / 2, 32u << 20);
    rocksdb::BlockBasedTableOptions table;
    table.block_cache = cache;
    if (i >= kKeys) table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
    if (i == kLog || i == kGroups) table.block_size = std::size_t{64} * 1024;
    cf.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
    descriptors.emplace_back(kCfNames[i], cf);
    slots.push_back(i);
  }
  for (const auto& name : existing) {
    const bool ours =
        std::find(std::begin(kCfNames), std::end(kCfNames), name) != std::end(kCfNames);
    if (ours) continue;
    if (std::find(std::begin(kLegacyCfNames), std::end(kLegacyCfNames), name) ==
        std::end(kLegacyCfNames)) {
      return Error{
          ErrorCode::kCorruption, "unknown column family " + name + " in " + options.path, {}};
    }
    descriptors.emplace_back(name, rocksdb::ColumnFamilyOptions());
    slots.push_back(-1);
  }

  if (!options.read_only) {
    std::error_code ec;
    std::filesystem::create_directories(options.path, ec);
    if (ec)
      return Error{ErrorCode::kIOError, "cannot create " + options.path + ": " + ec.message(), {}};
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s;
  if (options.read_only) {
    std::string secondary =
        options.secondary_path.empty() ? options.path + "/.secondary" : options.secondary_path;
    db_options.max_open_files = -1;
    s = rocksdb::DB::OpenAsSecondary(db_options, options.path, secondary, descriptors, &handles,
                                     &raw);
  } else {
    s = rocksdb::DB::Open(db_options, options.path, descriptors, &handles, &raw);
  }
  if (!s.ok()) return io_error(s);
  std::vector<rocksdb::ColumnFamilyHandle*> cfs(kCfCount, nullptr);
  std::vector<rocksdb::ColumnFamilyHandle*> legacy;
  for (std::size_t i = 0; i < handles.size(); ++i) {
    if (slots[i] >= 0) {
      cfs[slots[i]] = handles[i];
    } else {
      legacy.push_back(handles[i]);
    }
  }
  if (cfs[kLog] == nullptr || cfs[kStreams] == nullptr) {
    for (auto* h : handles) raw->DestroyColumnFamilyHandle(h);
    delete raw;
    return Error{ErrorCode::kCorruption, "no event log in " + options.path, {}};
  }
  OpenedDb out;
  out.db.reset(raw);
  out.cfs = std::move(cfs);
  out.legacy = std::move(legacy);
  return out;
}

Status load_index(rocksdb::DB& db, const std::vector<rocksdb::ColumnFamilyHandle*>& cfs,
                  std::uint64_t head, bool read_only, EventIndex& index) {
  if (auto loaded = load_groups(db, cfs, head, index); !loaded) return loaded;
  if (index.size() < head) return rebuild_index(db, cfs, head, read_only, index);
  return ok_status();
}

}  // namespace ikv::eventstore::rocks
