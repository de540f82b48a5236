// RocksDB layout (column families; integers big-endian so byte order is numeric):
//
//   log        BE64(position)              -> record (record_codec.h)
//   streams    stream \0 BE64(version)     -> BE64(position)
//   groups     BE64(first position)        -> group value (event_index.h)
//   keys, requests, snapshots, meta        -> side tables (event_store.h)
//
// An event writes two keys (log, streams); its commit group writes one groups
// value listing, for each of its events, the event id's fingerprint and the
// codes of its category and type. Every append group is one WriteBatch over
// log, streams, groups and the side puts, so a crash leaves all of it or none.
//
// Derived at open, kept in memory:
//   - the EventIndex (event id, category, type lookups), loaded on a thread of
//     its own while the store's owner goes on (reads of it and writes wait
//     for it; see recover()): the groups values are
//     read in order; if they end before the log's last position (a directory
//     written before the groups family existed, or a damaged one), the rest is
//     rebuilt from the log records, written back as groups values of up to
//     4096 events (synced; rocks_layout.cc) and applied. Records are never
//     rewritten.
//   - stream heads, on demand: the last key of the stream's prefix in
//     streams whose position is at or below the published head, then cached.
//
// Earlier layouts also had the column families heads, event_ids, by_cat and
// by_type (written with every event). They hold nothing the log does not, so
// an open that may write drops them once the groups cover the log; a
// read-only open leaves them and rebuilds the index in memory only. A crash
// before or during that migration leaves a directory that the next open
// migrates again: the log alone is the source of truth.
#include "eventstore/rocks_event_store.h"

#include <rocksdb/db.h>
#include <rocksdb/utilities/checkpoint.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <thread>
#include <unordered_map>

#include "eventstore/append_planner.h"
#include "eventstore/event_index.h"
#include "eventstore/record_codec.h"
#include "eventstore/rocks_layout.h"

namespace ikv::eventstore {
namespace {

using rocks::io_error;
using rocks::kGroups, rocks::kKeys, rocks::kLog, rocks::kMeta, rocks::kRequests, rocks::kSnapshots,
    rocks::kStreams;

struct Pending {
  AppendRequest req;
  AppendCallback done;
};

class RocksEventStore final : public EventStore {
 public:
  // `cfs` by Cf (null: a family a read-only open did not find); `legacy`:
  // families of earlier layouts found in the directory.
  RocksEventStore(RocksOptions options, std::unique_ptr<rocksdb::DB> db,
                  std::vector<rocksdb::ColumnFamilyHandle*> cfs,
                  std::vector<rocksdb::ColumnFamilyHandle*> legacy)
      : options_(std::move(options)),
        db_(std::move(db)),
        cfs_(std::move(cfs)),
        legacy_(std::move(legacy)),
        index_(options_.event_id_fingerprint) {
    if (!options_.clock) options_.clock = system_clock_us;
    for (auto* h : cfs_) {
      if (h != nullptr) open_cfs_.push_back(h);
    }
    // Keys of one group are mostly ascending per column family: hint the memtable.
    write_options_.memtable_insert_hint_per_batch = true;
  }
  RocksEventStore(const RocksEventStore&) = delete;
  RocksEventStore& operator=(const RocksEventStore&) = delete;
  ~RocksEventStore() override {
    close();
    for (auto* h : open_cfs_) db_->DestroyColumnFamilyHandle(h);
    for (auto* h : legacy_) db_->DestroyColumnFamilyHandle(h);
    db_->Close();
  }

  // Finds the log's head and chain head, starts loading the EventIndex
  // (rebuilding what the groups values do not cover) on a thread of its own,
  // drops the families of earlier layouts, and starts the writer and the
  // syncer.
  //
  // The index loads while the owner goes on (a registry loads its snapshot
  // meanwhile): the loader holds index_mu_ exclusively from before recover()
  // returns until it is done, so every read of the index (under a shared
  // lock) and every commit group (await_index) waits for it. An index that
  // fails to load makes reads of it fail and the store refuse writes.
  Status recover() {
    std::unique_ptr<rocksdb::Iterator> last(db_->NewIterator(rocksdb::ReadOptions(), cfs_[kLog]));
    last->SeekToLast();
    if (last->Valid()) {
      auto e = decode_record(last->value().ToStringView());
      if (!e || last->key().size() != 8 || get_be64(last->key().ToStringView()) != e->position) {
        return Error{ErrorCode::kCorruption, "the last log record does not decode", {}};
      }
      head_position_ = e->position;
      chain_head_ = e->hash;
      last_recorded_at_ = e->recorded_at_us;
    } else if (!last->status().ok()) {
      return io_error(last->status());
    }
    tail_position_ = head_position_;
    if (head_position_ > EventIndex::kMaxPosition) {
      return Error{ErrorCode::kCorruption, "the log is longer than the index can hold", {}};
    }
    index_.reserve(head_position_);
    std::promise<void> holding;
    std::future<void> held = holding.get_future();
    index_loader_ = std::thread([this, &holding, head = head_position_] {
      std::unique_lock lock(index_mu_);
      holding.set_value();  // the last use of `holding`
      auto loaded = rocks::load_index(*db_, cfs_, head, options_.read_only, index_);
      if (!loaded) {
        index_error_ = loaded.error();
        refuse("the store's index did not load: " + loaded.error().message);
      }
    });
    held.wait();
    if (!options_.read_only && !legacy_.empty()) {
      // Earlier layouts are dropped only once the groups cover the log.
      index_loader_.join();
      if (index_error_) return *index_error_;
    }
    if (!options_.read_only) {
      for (auto* h : legacy_) {
        if (auto s = db_->DropColumnFamily(h); !s.ok()) return io_error(s);
        db_->DestroyColumnFamilyHandle(h);
      }
      legacy_.clear();
      syncer_ = std::thread([this] { run_syncer(); });
      writer_ = std::thread([this] { run_writer(); });
    }
    return ok_status();
  }
  void append(AppendRequest req, AppendCallback done) override {
    {
      std::unique_lock lock(queue_mu_);
      if (!closing_ && !options_.read_only) {
        if (req.may_lead && queue_.empty() && in_flight_ == 0 && !leader_) {
          leader_ = true;
          lock.unlock();
          lead_one(Pending{std::move(req), std::move(done)});
          return;
        }
        queue_.push_back(Pending{std::move(req), std::move(done)});
        if (!leader_) queue_cv_.notify_one();
        return;
      }
    }
    done(Error{ErrorCode::kUnavailable,
               options_.read_only ? "the store is open read-only" : "the store is closing",
               {}});
  }

  Result<std::vector<RecordedEvent>> read_stream(std::string_view stream, std::uint64_t from,
                                                 std::size_t limit) const override {
    // The positions first, then the records through one forward iterator
    // (load_all): a stream's events share the log's blocks, each block is
    // read and uncompressed once instead of once per Get. A read of
    // kBulkStreamRead records or more (the registry folding a decider state
    // from a network's hundreds of thousands of events) is a bulk read: like
    // a replay's, its blocks bypass the block cache, which they would fill
    // with blocks read once.
    const bool bulk = limit >= kBulkStreamRead;
    rocksdb::ReadOptions ro = read_options();
    ro.fill_cache = !bulk;
    std::vector<std::uint64_t> positions;
    const std::string prefix = stream_key(stream, 0).substr(0, stream.size() + 1);
    const std::uint64_t head = head_position();
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, cfs_[kStreams]));
    for (it->Seek(stream_key(stream, std::max<std::uint64_t>(from, 1)));
         it->Valid() && it->key().starts_with(prefix) && positions.size() < limit; it->Next()) {
      const std::uint64_t position = get_be64(it->value().ToStringView());
      if (position > head) break;  // not yet durable, nor anything after it
      positions.push_back(position);
    }
    if (!it->status().ok()) return io_error(it->status());
    return load_all(positions, bulk);
  }

  Result<std::vector<RecordedEvent>> read_stream_backward(std::string_view stream,
                                                          std::uint64_t from,
                                                          std::size_t limit) const override {
    std::vector<RecordedEvent> out;
    const std::string prefix = stream_key(stream, 0).substr(0, stream.size() + 1);
    const std::uint64_t head = head_position();
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read_options(), cfs_[kStreams]));
    for (it->SeekForPrev(stream_key(stream, from));
         it->Valid() && it->key().starts_with(prefix) && out.size() < limit; it->Prev()) {
      const std::uint64_t position = get_be64(it->value().ToStringView());
      if (position > head) continue;  // not yet durable
      auto e = load(position);
      if (!e) return e.error();
      out.push_back(std::move(*e));
    }
    if (!it->status().ok()) return io_error(it->status());
    return out;
  }

  Result<std::vector<RecordedEvent>> read_all(const ReadAllOptions& opts) const override {
    std::vector<RecordedEvent> out;
    if (opts.limit == 0) return out;
    if (opts.category.empty() && opts.type.empty()) {
      // A page: RocksDB's own readahead (small, growing) and the block cache,
      // not the bulk 2 MiB readahead of a replay.
      auto n = scan_log(opts.after, /*bulk=*/false, [&](const RecordedEvent& e) {
        out.push_back(e);
        return out.size() < opts.limit;
      });
      if (!n) return n.error();
      return out;
    }
    const std::uint64_t head = head_position();
    std::vector<std::uint64_t> positions;
    {
      std::shared_lock lock(index_mu_);
      if (index_error_) return *index_error_;
      positions = index_.select(opts.after, head, opts.category, opts.type, opts.limit);
    }
    return load_all(positions);
  }

  Result<std::uint64_t> scan_all(
      std::uint64_t after, const std::function<bool(const RecordedEvent&)>& visit) const override {
    return scan_log(after, /*bulk=*/true, visit);
  }

  // Visits the log after `after`. `bulk`: a long sequential read (replay,
  // export) with a 2 MiB readahead that bypasses the block cache; otherwise a
  // short page that should not pay for megabytes it will not read.
  Result<std::uint64_t> scan_log(std::uint64_t after, bool bulk,
                                 const std::function<bool(const RecordedEvent&)>& visit) const {
    rocksdb::ReadOptions ro = read_options();
    if (bulk) {
      ro.readahead_size = 2u << 20;
      ro.fill_cache = false;
    }
    const std::string upper = be64(head_position() + 1);
    rocksdb::Slice upper_slice(upper);
    ro.iterate_upper_bound = &upper_slice;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, cfs_[kLog]));
    std::uint64_t n = 0;
    RecordedEvent e;  // reused: its strings keep their storage across events
    for (it->Seek(be64(after + 1)); it->Valid(); it->Next()) {
      if (!decode_record_into(it->value().ToStringView(), e)) {
        return Error{ErrorCode::kCorruption, "a log record does not decode", {}};
      }
      ++n;
      if (!visit(e)) break;
    }
    if (!it->status().ok()) return io_error(it->status());
    return n;
  }

  Result<std::optional<RecordedEvent>> read_event(std::string_view event_id) const override {
    return event_by_id(event_id, head_position());
  }

  // A stream whose index cannot be read answers 0 here, as if it had no
  // events; the writer does not rely on it (see tail_version).
  std::uint64_t stream_version(std::string_view stream) const override {
    auto v = published_version(stream);
    return v ? *v : 0;
  }

  std::uint64_t head_position() const override {
    std::lock_guard lock(head_mu_);
    return head_position_;
  }

  Result<VerifyResult> verify(std::uint64_t from, std::uint64_t to) const override {
    VerifyResult r;
    from = std::max<std::uint64_t>(from, 1);
    const std::uint64_t head = head_position();
    if (to == 0 || to > head) to = head;
    if (from > to) return r;
    Hash prev{};
    if (from > 1) {
      auto before = load(from - 1);
      if (!before) return before.error();
      prev = before->hash;
    }
    // A long sequential read, like a bulk scan_log: its blocks would only
    // push the ones readers use out of the block cache.
    rocksdb::ReadOptions ro = read_options();
    ro.readahead_size = 2u << 20;
    ro.fill_cache = false;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, cfs_[kLog]));
    std::uint64_t expect = from;
    const auto bad = [&](std::uint64_t p, std::string why) {
      r.ok = false;
      r.first_bad_position = p;
      r.problem = std::move(why);
      return r;
    };
    for (it->Seek(be64(from)); it->Valid() && expect <= to; it->Next(), ++expect) {
      ++r.events_checked;
      if (get_be64(it->key().ToStringView()) != expect) return bad(expect, "the event is missing");
      const auto bytes = it->value().ToStringView();
      auto e = decode_record(bytes);
      if (!e || e->position != expect) return bad(expect, "the event does not decode");
      if (e->prev_hash != prev) return bad(expect, "link to the previous event is broken");
      if (recompute_hash(bytes) != e->hash) return bad(expect, "hash does not match the event");
      prev = e->hash;
      r.head_position = expect;
      r.head_hash = e->hash;
    }
    if (!it->status().ok()) return io_error(it->status());
    if (expect <= to) return bad(expect, "the event is missing");
    return r;
  }

  std::uint64_t wait_for(std::uint64_t position, int timeout_ms) const override {
    std::unique_lock lock(head_mu_);
    head_cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms),
                      [&] { return head_position_ >= position || stopped_; });
    return head_position_;
  }

  Result<std::optional<std::string>> side_get(std::string_view table,
                                              std::string_view key) const override {
    auto cf = side_cf(table);
    if (!cf) return cf.error();
    std::string value;
    auto s = db_->Get(read_options(), *cf, key, &value);
    if (s.IsNotFound()) return std::optional<std::string>();
    if (!s.ok()) return io_error(s);
    return std::optional<std::string>(std::move(value));
  }

  Status side_put(std::string_view table, std::string_view key, std::string_view value) override {
    auto cf = side_cf(table);
    if (!cf) return cf.error();
    rocksdb::WriteOptions wo;
    wo.sync = true;
    auto s = db_->Put(wo, *cf, key, value);
    if (!s.ok()) return io_error(s);
    return ok_status();
  }

  // Deleting leaves the old value in the memtable, the WAL and SST files until
  // they are rewritten: flush everything (so old WAL files become obsolete and
  // are deleted), then compact the table with a forced bottommost rewrite.
  Status side_erase(std::string_view table, std::string_view key) override {
    auto cf = side_cf(table);
    if (!cf) return cf.error();
    rocksdb::WriteOptions wo;
    wo.sync = true;
    auto s = db_->Delete(wo, *cf, key);
    if (!s.ok()) return io_error(s);
    rocksdb::FlushOptions fo;
    fo.wait = true;
    s = db_->Flush(fo, open_cfs_);
    if (!s.ok()) return io_error(s);
    rocksdb::CompactRangeOptions co;
    co.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
    co.exclusive_manual_compaction = false;
    s = db_->CompactRange(co, *cf, nullptr, nullptr);
    if (!s.ok()) return io_error(s);
    s = db_->FlushWAL(true);
    if (!s.ok()) return io_error(s);
    return ok_status();
  }

  Status side_scan(
      std::string_view table, std::string_view prefix,
      const std::function<bool(std::string_view, std::string_view)>& visit) const override {
    auto cf = side_cf(table);
    if (!cf) return cf.error();
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read_options(), *cf));
    for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
      if (!visit(it->key().ToStringView(), it->value().ToStringView())) break;
    }
    if (!it->status().ok()) return io_error(it->status());
    return ok_status();
  }

  bool accepting_writes() const override {
    return !options_.read_only && !refusing_.load(std::memory_order_acquire);
  }

  StoreStats stats() const override {
    StoreStats s{stats_.groups.load(),   stats_.appends.load(), stats_.events.load(),
                 stats_.write_us.load(), stats_.sync_us.load(), stats_.led.load()};
    std::uint64_t cached = 0;  // one cache serves every family
    if (db_->GetIntProperty(cfs_[kLog], rocksdb::DB::Properties::kBlockCacheUsage, &cached)) {
      s.block_cache_bytes = cached;
    }
    return s;
  }

  void set_commit_listener(CommitListener listener) override {
    std::lock_guard lock(queue_mu_);
    listener_ = std::move(listener);
  }

  void set_group_observer(GroupObserver observer) override {
    std::lock_guard lock(observer_mu_);
    observer_ = std::move(observer);
  }

  void close() override {
    {
      std::lock_guard lock(queue_mu_);
      if (closing_) return;  // closed, or being closed by another caller
      closing_ = true;
    }
    // Only the caller that set closing_ gets here: one join of the loader.
    if (index_loader_.joinable()) index_loader_.join();
    queue_cv_.notify_all();
    if (writer_.joinable()) writer_.join();
    if (syncer_.joinable()) syncer_.join();
    {
      std::lock_guard lock(head_mu_);
      stopped_ = true;
    }
    head_cv_.notify_all();
    if (!options_.read_only && !refusing_.load()) {
      // Flushing the memtables spares the next open a WAL replay.
      rocksdb::FlushOptions fo;
      fo.wait = true;
      (void)db_->Flush(fo, open_cfs_);
      (void)db_->FlushWAL(true);
    }
  }

 private:
  static rocksdb::ReadOptions read_options() { return rocksdb::ReadOptions(); }

  Result<rocksdb::ColumnFamilyHandle*> side_cf(std::string_view table) const {
    if (table == kSideKeys) return cfs_[kKeys];
    if (table == kSideRequests) return cfs_[kRequests];
    if (table == kSideSnapshots) return cfs_[kSnapshots];
    if (table == kSideMeta) return cfs_[kMeta];
    return Error{ErrorCode::kInvalidArgument, "unknown side table " + std::string(table), {}};
  }

  Result<RecordedEvent> load(std::uint64_t position) const {
    std::string value;
    auto s = db_->Get(read_options(), cfs_[kLog], be64(position), &value);
    if (!s.ok()) return io_error(s);
    auto e = decode_record(value);
    if (!e)
      return Error{
          ErrorCode::kCorruption, "record " + std::to_string(position) + " does not decode", {}};
    return std::move(*e);
  }

  // The records at `positions` (ascending) through one iterator; `bulk`:
  // their blocks bypass the block cache.
  Result<std::vector<RecordedEvent>> load_all(const std::vector<std::uint64_t>& positions,
                                              bool bulk = false) const {
    std::vector<RecordedEvent> out;
    out.reserve(positions.size());
    rocksdb::ReadOptions ro = read_options();
    ro.fill_cache = !bulk;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, cfs_[kLog]));
    std::uint64_t at = 0;  // position under the iterator, 0 = none
    for (const std::uint64_t p : positions) {
      if (at != 0 && p == at + 1) {
        it->Next();
      } else {
        it->Seek(be64(p));
      }
      at = p;
      if (!it->Valid() || get_be64(it->key().ToStringView()) != p) {
        if (!it->status().ok()) return io_error(it->status());
        return Error{ErrorCode::kCorruption, "record " + std::to_string(p) + " is missing", {}};
      }
      auto e = decode_record(it->value().ToStringView());
      if (!e)
        return Error{
            ErrorCode::kCorruption, "record " + std::to_string(p) + " does not decode", {}};
      out.push_back(std::move(*e));
    }
    return out;
  }

  // The event with this id at or below `up_to`: the index names the
  // positions whose id shares its fingerprint, the records decide.
  Result<std::optional<RecordedEvent>> event_by_id(std::string_view event_id,
                                                   std::uint64_t up_to) const {
    std::vector<std::uint64_t> candidates;
    {
      std::shared_lock lock(index_mu_);
      if (index_error_) return *index_error_;
      candidates = index_.candidates(event_id);
    }
    for (const std::uint64_t p : candidates) {
      if (p > up_to) break;
      auto e = load(p);
      if (!e) return e.error();
      if (e->event_id == event_id) return std::optional<RecordedEvent>(std::move(*e));
    }
    return std::optional<RecordedEvent>();
  }

  // The stream's version as published: the heads cache, else its index.
  Result<std::uint64_t> published_version(std::string_view stream) const {
    {
      std::shared_lock lock(heads_mu_);
      if (auto it = heads_.find(std::string(stream)); it != heads_.end()) return it->second;
    }
    auto stored = stored_version(stream, head_position());
    if (!stored || *stored == 0) return stored;
    // Publishing assigns heads_ and this only adds: a look-up that raced with
    // a publish never hides the newer version.
    std::unique_lock lock(heads_mu_);
    return heads_.emplace(std::string(stream), *stored).first->second;
  }

  // The last version of `stream` in the stream index whose position is at or
  // below `head` (entries above it are written but not yet published).
  Result<std::uint64_t> stored_version(std::string_view stream, std::uint64_t head) const {
    const std::string prefix = stream_key(stream, 0).substr(0, stream.size() + 1);
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read_options(), cfs_[kStreams]));
    for (it->SeekForPrev(stream_key(stream, UINT64_MAX));
         it->Valid() && it->key().starts_with(prefix); it->Prev()) {
      if (it->value().size() != 8 || it->key().size() != prefix.size() + 8) {
        return Error{
            ErrorCode::kCorruption, "bad stream index entry of " + std::string(stream), {}};
      }
      if (get_be64(it->value().ToStringView()) <= head) {
        return get_be64(it->key().ToStringView().substr(prefix.size()));
      }
    }
    if (!it->status().ok()) return io_error(it->status());
    return std::uint64_t{0};
  }

  // The write path is a pipeline of two threads, so that one sync covers
  // every group written while the previous sync ran:
  //
  //   writer     drains the queue, plans a group against the tail (the
  //              published heads plus its own unsynced ones), writes it as one
  //              WriteBatch without sync (WAL and memtables) and passes it on;
  //   syncer     takes every written group, syncs the WAL once (SyncWAL),
  //              publishes heads and the head position, then runs the commit
  //              listener and completes the waiters, group by group, in order.
  //
  // Readers never see an unsynced event: every read is bounded by the
  // published head position, and stream_version() reads the published heads.
  // Groups without writes (replays, conflicts) take the same path, so a replay
  // is answered only once its original is durable.
  struct Completion {
    std::vector<Pending> group;
    std::vector<Result<AppendResult>> results;
    std::vector<RecordedEvent> committed;
    bool last = false;
  };

  struct WrittenGroup {
    Completion completion;
    std::uint64_t seq = 0;            // writer's group number
    std::uint64_t tail_position = 0;  // last position written by this group or before
    std::unordered_map<std::string, std::uint64_t> new_heads;
    std::uint64_t write_us = 0;
  };

  // The idle fast path (AppendRequest::may_lead): the appending thread holds
  // the writer's and the syncer's parts for one group of its own request.
  // append() made it the leader only with nothing queued and nothing in
  // flight, so both threads are parked: the writer waits while leader_ is
  // set, the syncer has completed every earlier group. Log order and the
  // listener's order hold as on the threads. Appends that arrive meanwhile
  // queue and go to the writer once the leader is done.
  void lead_one(Pending p) {
    std::vector<Pending> one;
    one.push_back(std::move(p));
    std::vector<WrittenGroup> groups;
    groups.push_back(write_group(one));
    make_durable(groups);
    stats_.led.fetch_add(1, std::memory_order_relaxed);
    complete(groups.back().completion);
    std::lock_guard lock(queue_mu_);
    leader_ = false;
    if (closing_ || !queue_.empty()) queue_cv_.notify_one();
  }

  void run_writer() {
    std::vector<Pending> pending;
    for (;;) {
      {
        std::unique_lock lock(queue_mu_);
        queue_cv_.wait(lock, [&] { return !leader_ && (closing_ || !queue_.empty()); });
        if (queue_.empty()) break;  // closing and drained
        pending.assign(std::make_move_iterator(queue_.begin()),
                       std::make_move_iterator(queue_.end()));
        queue_.clear();
        ++in_flight_;
      }
      pass_to_syncer(write_group(pending));
      pending.clear();
    }
    WrittenGroup last;
    last.completion.last = true;
    pass_to_syncer(std::move(last));
  }

  void pass_to_syncer(WrittenGroup g) {
    {
      std::lock_guard lock(written_mu_);
      written_.push_back(std::move(g));
    }
    written_cv_.notify_one();
  }

  void run_syncer() {
    std::vector<WrittenGroup> groups;
    for (bool last = false; !last;) {
      {
        std::unique_lock lock(written_mu_);
        written_cv_.wait(lock, [&] { return !written_.empty(); });
        groups.assign(std::make_move_iterator(written_.begin()),
                      std::make_move_iterator(written_.end()));
        written_.clear();
      }
      last = groups.back().completion.last;
      make_durable(groups);
      for (auto& g : groups) complete(g.completion);
      {
        std::lock_guard lock(queue_mu_);
        in_flight_ -= groups.size() - (last ? 1 : 0);
      }
      groups.clear();
    }
  }

  // Syncs the WAL once for `groups` (in order), then publishes them; on a
  // failed sync every append of them fails and the store refuses appends.
  void make_durable(std::vector<WrittenGroup>& groups) {
    std::size_t appends = 0, events = 0;
    std::uint64_t write_us = 0;
    for (const auto& g : groups) {
      appends += g.completion.group.size();
      events += g.completion.committed.size();
      write_us += g.write_us;
    }
    std::uint64_t sync_us = 0;
    if (events > 0 && options_.durability == Durability::kSync &&
        !refusing_.load(std::memory_order_acquire)) {
      if (options_.before_sync) options_.before_sync();
      const auto start = std::chrono::steady_clock::now();
      auto s = db_->SyncWAL();
      sync_us = static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                               std::chrono::steady_clock::now() - start)
                                               .count());
      if (!s.ok())
        refuse("the store stopped accepting writes after a failed sync: " + s.ToString());
    }
    if (refusing_.load(std::memory_order_acquire)) {
      // Nothing of these groups is known to be on disk, and a replay may
      // answer for an event among them: fail every answer that is not an error.
      const std::string why = failure();
      for (auto& g : groups) {
        g.completion.committed.clear();
        for (auto& r : g.completion.results) {
          if (r) r = Error{ErrorCode::kUnavailable, why, {}};
        }
      }
      return;
    }
    if (events == 0) return;  // replays and conflicts only
    stats_.groups.fetch_add(1, std::memory_order_relaxed);
    stats_.appends.fetch_add(appends, std::memory_order_relaxed);
    stats_.events.fetch_add(events, std::memory_order_relaxed);
    stats_.write_us.fetch_add(write_us, std::memory_order_relaxed);
    stats_.sync_us.fetch_add(sync_us, std::memory_order_relaxed);
    {
      std::lock_guard lock(observer_mu_);
      if (observer_) observer_({.appends = appends, .events = events, .sync_us = sync_us});
    }
    {
      std::unique_lock lock(heads_mu_);
      for (const auto& g : groups) {
        for (const auto& [stream, version] : g.new_heads) heads_[stream] = version;
      }
    }
    {
      std::lock_guard lock(head_mu_);
      head_position_ = std::max(head_position_, groups.back().tail_position);
    }
    synced_seq_.store(groups.back().seq, std::memory_order_release);
    head_cv_.notify_all();
  }

  // Runs the commit listener for a durable group, then answers its waiters.
  void complete(Completion& c) {
    if (c.last) return;
    CommitListener listener;
    {
      std::lock_guard lock(queue_mu_);
      listener = listener_;
    }
    if (listener && !c.committed.empty()) listener(c.committed);
    for (std::size_t i = 0; i < c.group.size(); ++i) c.group[i].done(std::move(c.results[i]));
  }

  void refuse(std::string why) {
    {
      std::lock_guard lock(failure_mu_);
      if (failure_.empty()) failure_ = std::move(why);
    }
    refusing_.store(true, std::memory_order_release);
  }

  std::string failure() const {
    std::lock_guard lock(failure_mu_);
    return failure_;
  }

  // The version of a stream at the tail: the writer's unsynced heads first.
  // A stream index that cannot be read makes the store refuse writes (the
  // group being planned is then failed, not written).
  std::uint64_t tail_version(const std::string& stream) {
    if (auto it = unsynced_heads_.find(stream); it != unsynced_heads_.end()) {
      return it->second.first;
    }
    auto v = published_version(stream);
    if (!v) refuse("the store stopped accepting writes after a failed read: " + v.error().message);
    return v ? *v : 0;
  }

  // Forgets unsynced heads that the syncer has published since.
  void drop_synced_heads() {
    const std::uint64_t synced = synced_seq_.load(std::memory_order_acquire);
    std::erase_if(unsynced_heads_, [&](const auto& kv) { return kv.second.second <= synced; });
  }

  // Waits, once, until the index has loaded (recover()).
  void await_index() {
    if (index_ready_.load(std::memory_order_acquire)) return;
    std::shared_lock lock(index_mu_);
    index_ready_.store(true, std::memory_order_release);
  }

  WrittenGroup write_group(std::vector<Pending>& group) {
    await_index();  // a failed load has made the store refuse writes (below)
    WrittenGroup w;
    w.seq = ++written_seq_;
    Completion& c = w.completion;
    c.results.reserve(group.size());
    if (refusing_.load(std::memory_order_acquire)) {
      const std::string why = failure();
      for (std::size_t i = 0; i < group.size(); ++i) {
        c.results.emplace_back(Error{ErrorCode::kUnavailable, why, {}});
      }
      c.group = std::move(group);
      w.tail_position = tail_position_;
      return w;
    }
    drop_synced_heads();
    last_recorded_at_ = std::max(last_recorded_at_, options_.clock());
    // Event ids are looked up in the index (which holds every written
    // group, synced or not); the log confirms a fingerprint hit.
    AppendPlanner::Lookups tail{
        [this](const std::string& s) { return tail_version(s); },
        [this](const std::string& id) { return event_by_id(id, UINT64_MAX); },
    };
    AppendPlanner planner(std::move(tail), tail_position_ + 1, chain_head_, last_recorded_at_);
    rocksdb::WriteBatch batch;
    for (auto& p : group) {
      c.results.push_back(planner.plan(p.req));
      if (c.results.back() && !c.results.back()->replayed) {
        for (const auto& s : p.req.side_puts) batch.Put(*side_cf(s.table), s.key, s.value);
      }
    }
    if (!refusing_.load(std::memory_order_acquire) &&
        planner.next_position() - 1 > EventIndex::kMaxPosition) {
      for (auto& r : c.results) {
        if (r && !r->replayed) r = Error{ErrorCode::kUnavailable, "the log is full", {}};
      }
      c.group = std::move(group);
      w.tail_position = tail_position_;
      return w;
    }
    if (refusing_.load(std::memory_order_acquire)) {
      const std::string why = failure();
      for (auto& r : c.results) r = Error{ErrorCode::kUnavailable, why, {}};
      c.group = std::move(group);
      w.tail_position = tail_position_;
      return w;
    }
    if (!planner.planned().empty()) {
      std::vector<IndexedEvent> indexed;
      indexed.reserve(planner.planned().size());
      for (const auto& pe : planner.planned()) {
        const auto& e = pe.event;
        const std::string pos = be64(e.position);
        batch.Put(cfs_[kLog], pos, pe.record);
        batch.Put(cfs_[kStreams], stream_key(e.stream, e.version), pos);
        indexed.push_back(
            {.event_id = e.event_id, .category = stream_category(e.stream), .type = e.type});
      }
      const std::uint64_t first = planner.planned().front().event.position;
      std::string group_value = index_.encode_group(indexed);  // only this thread changes index_
      batch.Put(cfs_[kGroups], be64(first), group_value);
      const auto write_start = std::chrono::steady_clock::now();
      auto s = db_->Write(write_options_, &batch);
      w.write_us = static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                                  std::chrono::steady_clock::now() - write_start)
                                                  .count());
      if (!s.ok()) {
        refuse("the store stopped accepting writes after a failed write: " + s.ToString());
        const std::string why = failure();
        for (auto& r : c.results) r = Error{ErrorCode::kUnavailable, why, {}};
        c.group = std::move(group);
        w.tail_position = tail_position_;
        return w;
      }
      {
        std::unique_lock lock(index_mu_);
        if (!index_.apply_group(first, group_value)) {
          refuse("the store stopped accepting writes: a group value does not apply to the index");
        }
      }
      for (const auto& [stream, version] : planner.new_heads()) {
        unsynced_heads_[stream] = {version, w.seq};
      }
      w.new_heads = planner.new_heads();
      chain_head_ = planner.chain_head();
      tail_position_ = planner.next_position() - 1;
      auto planned = planner.take_planned();
      c.committed.reserve(planned.size());
      for (auto& pe : planned) c.committed.push_back(std::move(pe.event));
    }
    w.tail_position = tail_position_;
    c.group = std::move(group);
    return w;
  }

  // Constant after construction.
  RocksOptions options_;
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> cfs_;       // by Cf; null if absent (read-only)
  std::vector<rocksdb::ColumnFamilyHandle*> open_cfs_;  // the non-null ones of cfs_
  rocksdb::WriteOptions write_options_;                 // no sync: the syncer syncs the WAL

  // Families of earlier layouts: dropped by recover() unless read-only.
  std::vector<rocksdb::ColumnFamilyHandle*> legacy_;

  // Guarded by index_mu_; changed only by the loader recover() starts and
  // then the thread writing a group (after await_index), which therefore
  // reads it without the lock. Holds every written group, synced or not:
  // readers bound what they take from it by the published head.
  mutable std::shared_mutex index_mu_;
  EventIndex index_;
  std::optional<Error> index_error_;  // guarded by index_mu_: the load failed
  std::thread index_loader_;          // recover()'s; joined by close()
  std::atomic<bool> index_ready_{false};

  // Guarded by queue_mu_.
  std::mutex queue_mu_;
  std::condition_variable queue_cv_;
  std::deque<Pending> queue_;
  CommitListener listener_;
  bool closing_ = false;
  bool leader_ = false;        // an appender leads its own group (lead_one)
  std::size_t in_flight_ = 0;  // groups taken by the writer and not yet completed

  // Guarded by observer_mu_ (called where groups are made durable: the
  // syncer, or an appender leading its own group).
  std::mutex observer_mu_;
  GroupObserver observer_;

  // Guarded by heads_mu_: published versions of the streams written or
  // looked up since open (assigned by the syncer, added by look-ups).
  mutable std::shared_mutex heads_mu_;
  mutable std::unordered_map<std::string, std::uint64_t> heads_;

  // Guarded by head_mu_ (written where groups are made durable: the syncer,
  // or an appender leading its own group).
  mutable std::mutex head_mu_;
  mutable std::condition_variable head_cv_;
  std::uint64_t head_position_ = 0;
  bool stopped_ = false;

  // Guarded by written_mu_: written groups waiting for the syncer.
  std::mutex written_mu_;
  std::condition_variable written_cv_;
  std::deque<WrittenGroup> written_;

  // Owned by the writer thread (and recover() before it starts), or by an
  // appender leading its own group while the writer waits (lead_one).
  std::uint64_t tail_position_ = 0;
  Hash chain_head_{};
  std::int64_t last_recorded_at_ = 0;
  std::uint64_t written_seq_ = 0;
  // Heads written but not yet synced: stream -> (version, group seq).
  std::unordered_map<std::string, std::pair<std::uint64_t, std::uint64_t>> unsynced_heads_;

  std::atomic<std::uint64_t> synced_seq_{0};  // last group the syncer published
  std::atomic<bool> refusing_{false};         // a write or sync failed
  mutable std::mutex failure_mu_;
  std::string failure_;  // guarded by failure_mu_

  std::thread writer_;
  std::thread syncer_;
  struct {
    std::atomic<std::uint64_t> groups{0}, appends{0}, events{0}, write_us{0}, sync_us{0}, led{0};
  } stats_;

 public:
  // A RocksDB checkpoint: hard links to the table files plus a copy of the
  // WAL, consistent across column families. Opened read-only afterwards to
  // learn the last position it holds (and that it opens).
  Result<std::uint64_t> checkpoint(const std::string& dir) const override {
    rocksdb::Checkpoint* raw = nullptr;
    rocksdb::Status s = rocksdb::Checkpoint::Create(db_.get(), &raw);
    if (!s.ok()) return io_error(s);
    std::unique_ptr<rocksdb::Checkpoint> cp(raw);
    if (s = cp->CreateCheckpoint(dir); !s.ok()) return io_error(s);
    std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
    descriptors.emplace_back(rocksdb::kDefaultColumnFamilyName, rocksdb::ColumnFamilyOptions());
    descriptors.emplace_back(rocks::kCfNames[kLog], rocksdb::ColumnFamilyOptions());
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* copy = nullptr;
    s = rocksdb::DB::OpenForReadOnly(rocksdb::DBOptions(), dir, descriptors, &handles, &copy);
    if (!s.ok()) return io_error(s);
    std::uint64_t last = 0;
    {
      std::unique_ptr<rocksdb::Iterator> it(copy->NewIterator(rocksdb::ReadOptions(), handles[1]));
      it->SeekToLast();
      if (it->Valid() && it->key().size() == 8) last = get_be64(it->key().ToStringView());
      s = it->status();
    }
    for (auto* h : handles) copy->DestroyColumnFamilyHandle(h);
    delete copy;
    if (!s.ok()) return io_error(s);
    return last;
  }
};

}  // namespace

Result<std::unique_ptr<EventStore>> open_rocks_event_store(RocksOptions options) {
  auto opened = rocks::open_db(options);
  if (!opened) return opened.error();
  auto store = std::make_unique<RocksEventStore>(std::move(options), std::move(opened->db),
                                                 std::move(opened->cfs), std::move(opened->legacy));
  auto recovered = store->recover();
  if (!recovered) return recovered.error();
  return std::unique_ptr<EventStore>(std::move(store));
}

}  // namespace ikv::eventstore
