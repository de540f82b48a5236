// EventStore: an append-only log of opaque, typed events, kept in streams and in
// one global, gap-free, totally ordered log with a SHA-256 hash chain.
//
// The store knows nothing of the domain: a payload is an opaque byte string
// (the registry's are FlatBuffers, docs/storage-encoding.md), a type is a
// name, a stream is a name whose category is the part before the first '-'.
//
// Numbering: global positions start at 1 and have no gaps, ever. Stream
// versions start at 1; version 0 means "the stream has no events".
//
// Thread-safety: every method may be called from any thread concurrently.
// Append completions run on the store's syncing thread (RocksDB), or on the
// caller's thread before append() returns (in memory; RocksDB's idle fast
// path, AppendRequest::may_lead); they must not block.
//
//   auto store = open_rocks_event_store({.path = "data"});
//   auto r = (*store)->append_sync({.stream = "network-oulu",
//                                   .expected = ExpectedVersion::no_stream(),
//                                   .events = {event}});
//   if (!r) log(r.error().message);
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace ikv::eventstore {

using Hash = std::array<std::uint8_t, 32>;

// What the writer expects of a stream before an append.
class ExpectedVersion {
 public:
  enum class Kind { kAny, kNoStream, kStreamExists, kExact };
  static ExpectedVersion any() { return {Kind::kAny, 0}; }
  static ExpectedVersion no_stream() { return {Kind::kNoStream, 0}; }
  static ExpectedVersion stream_exists() { return {Kind::kStreamExists, 0}; }
  // exact(0) is the same as no_stream().
  static ExpectedVersion exact(std::uint64_t v) { return {Kind::kExact, v}; }

  Kind kind() const { return kind_; }
  std::uint64_t version() const { return version_; }
  // True when a stream at `actual` version satisfies this expectation.
  bool matches(std::uint64_t actual) const;

 private:
  ExpectedVersion(Kind k, std::uint64_t v) : kind_(k), version_(v) {}
  Kind kind_;
  std::uint64_t version_;
};

// Metadata carried by every event. recorded_at_us is set by the store at commit
// (UTC microseconds since the epoch, never decreasing along the global log).
struct Metadata {
  std::string actor;            // name of the token whose request caused the event
  std::string correlation_id;   // request id of the originating request
  std::string causation_id;     // id of the command or event that caused this one
  std::string idempotency_key;  // the client's Idempotency-Key, if any
};

// An event as proposed by a writer.
struct EventData {
  std::string event_id;  // UUID text (36 chars); idempotency key of the event
  std::string type;      // e.g. "MemberJoined"
  std::uint32_t schema_version = 1;
  std::string payload;  // opaque bytes
  Metadata metadata;
  // The writer's own in-memory form of this event, handed as it is to the
  // commit listener with the committed event (RecordedEvent::decided). Never
  // stored and never read back: the listener folds what was just decided
  // without decoding the bytes just written. Optional; opaque to the store.
  std::shared_ptr<const void> decided;
};

// An event as stored.
struct RecordedEvent {
  std::uint64_t position = 0;  // global, from 1
  std::string stream;
  std::uint64_t version = 0;  // in its stream, from 1
  std::string event_id;
  std::string type;
  std::uint32_t schema_version = 1;
  std::string payload;
  Metadata metadata;
  std::int64_t recorded_at_us = 0;
  Hash prev_hash{};
  Hash hash{};
  // EventData::decided of the append, in the events the commit listener gets;
  // null in every event read from the store.
  std::shared_ptr<const void> decided;
};

// A key/value for a side table, written with an append (see AppendRequest).
struct SidePut {
  std::string table;
  std::string key;
  std::string value;
};

struct AppendRequest {
  std::string stream;
  ExpectedVersion expected = ExpectedVersion::any();
  std::vector<EventData> events;  // REQUIRES: non-empty, distinct event ids
  // Extra key/values written in the same atomic batch as the events, into a
  // side table (see EventStore::side_get). Used for durable request
  // idempotency records and the like. Ignored by idempotent replays.
  std::vector<SidePut> side_puts;
  // The caller may lead its own commit group: when the store is idle (no
  // append queued, written or syncing), append() writes, syncs and completes
  // this request on the calling thread (no hand-off to the store's threads),
  // so `done` and the commit listener run before append() returns. A caller
  // that has more appends about to follow should not ask: they would each
  // sync alone instead of sharing a group.
  bool may_lead = false;
};

struct AppendResult {
  std::string stream;
  std::uint64_t first_version = 0;   // version of the first appended event
  std::uint64_t last_version = 0;    // the stream's version after the append
  std::uint64_t first_position = 0;  // global position of the first event
  std::uint64_t last_position = 0;   // global position of the last event
  bool replayed = false;             // true: an idempotent retry, nothing written
};

enum class Durability {
  kSync,   // an append is acknowledged after the WAL is synced: survives power loss
  kAsync,  // acknowledged after the OS has the write: survives a process crash,
           // not a machine crash (bulk loads)
};

struct ReadAllOptions {
  std::uint64_t after = 0;   // deliver events with position > after
  std::size_t limit = 1000;  // at most this many events
  std::string category;      // if non-empty, only streams of this category
  std::string type;          // if non-empty, only events of this type
};

struct VerifyResult {
  bool ok = true;
  std::uint64_t events_checked = 0;
  std::uint64_t head_position = 0;
  Hash head_hash{};
  std::optional<std::uint64_t> first_bad_position;  // set when !ok
  std::string problem;                              // set when !ok
};

// Called once per durable commit group, in log order, before the group's
// appenders are completed (so read models see a write before its writer is
// answered): on the syncing thread (RocksDB), on the appending thread (in
// memory, and for a group led by its appender: AppendRequest::may_lead). Its events carry
// EventData::decided. Must not block for long and must not append.
using CommitListener = std::function<void(const std::vector<RecordedEvent>&)>;

// Counters of the write path since open (for metrics and benchmarks). A
// commit group is the appends made durable by one sync of the log (one
// WriteBatch or several written while the previous sync ran).
struct StoreStats {
  std::uint64_t groups = 0;    // commit groups made durable
  std::uint64_t appends = 0;   // append requests completed in those groups
  std::uint64_t events = 0;    // events written
  std::uint64_t write_us = 0;  // total time writing batches (log and memtables, no sync)
  std::uint64_t sync_us = 0;   // total time in the syncs
  std::uint64_t led = 0;       // groups led by their appender (AppendRequest::may_lead)
  // Bytes the store's block cache holds now: cached blocks and the memtables'
  // reservations charged to it (0 for the in-memory store). A gauge, not a total.
  std::uint64_t block_cache_bytes = 0;
};

// One durable commit group (for metrics).
struct CommitGroupStats {
  std::size_t appends = 0;    // append requests completed by the group
  std::size_t events = 0;     // events written
  std::uint64_t sync_us = 0;  // its sync (0 in memory or with Durability::kAsync)
};

// Called after each commit group that wrote events, on the store's syncing
// thread (the caller's thread for the in-memory store and for a group led by
// its appender). Must be cheap and must not block
// or call back into the store.
using GroupObserver = std::function<void(const CommitGroupStats&)>;

using AppendCallback = std::function<void(Result<AppendResult>)>;

// A read_stream() limit from which the read is a bulk one (see there).
inline constexpr std::size_t kBulkStreamRead = 1024;

class EventStore {
 public:
  EventStore() = default;
  EventStore(const EventStore&) = delete;
  EventStore& operator=(const EventStore&) = delete;
  virtual ~EventStore() = default;

  // Appends `req.events` to `req.stream` atomically and contiguously in the
  // global log, if the stream's version matches `req.expected`.
  // Errors: kWrongExpectedVersion (carries actual_version); kIdempotencyConflict
  // when an event id is already stored with another stream, place or content;
  // kInvalidArgument for an empty request, an empty stream name or duplicate ids;
  // kUnavailable once the store has failed or is closing.
  // Re-appending event ids already stored at this place returns the original
  // result with replayed = true and writes nothing.
  // `done` is called exactly once.
  virtual void append(AppendRequest req, AppendCallback done) = 0;

  // Blocking convenience over append().
  Result<AppendResult> append_sync(AppendRequest req);

  // Events of `stream` with version >= from_version, ascending, at most `limit`.
  // A `limit` of kBulkStreamRead or more asks for a bulk read (a fold of a long
  // stream): a store may then keep what it reads out of its caches.
  virtual Result<std::vector<RecordedEvent>> read_stream(std::string_view stream,
                                                         std::uint64_t from_version,
                                                         std::size_t limit) const = 0;
  // Events of `stream` with version <= from_version, descending, at most `limit`.
  // from_version = UINT64_MAX starts at the end.
  virtual Result<std::vector<RecordedEvent>> read_stream_backward(std::string_view stream,
                                                                  std::uint64_t from_version,
                                                                  std::size_t limit) const = 0;

  // Global log after `opts.after`, ascending, filtered as asked.
  virtual Result<std::vector<RecordedEvent>> read_all(const ReadAllOptions& opts) const = 0;

  // Visits every event with position > after in order, without materialising a
  // vector; stops early when `visit` returns false. Returns the events visited.
  virtual Result<std::uint64_t> scan_all(
      std::uint64_t after, const std::function<bool(const RecordedEvent&)>& visit) const = 0;

  // The event stored with this id, if any.
  virtual Result<std::optional<RecordedEvent>> read_event(std::string_view event_id) const = 0;

  // The stream's current version (0 = no events).
  virtual std::uint64_t stream_version(std::string_view stream) const = 0;
  // Position of the last committed event (0 = empty log).
  virtual std::uint64_t head_position() const = 0;

  // Walks the hash chain over positions [from, to] (to = 0: the head) and reports
  // the first position whose stored hash or link does not match.
  virtual Result<VerifyResult> verify(std::uint64_t from = 1, std::uint64_t to = 0) const = 0;

  // Blocks until head_position() >= position or `timeout_ms` passes; returns
  // the head at return. Used by catch-up subscriptions to switch to live.
  virtual std::uint64_t wait_for(std::uint64_t position, int timeout_ms) const = 0;

  // Side tables: small key/values outside the log, each in its own column
  // family (kSideTables): keys of personal data, idempotency records, projection
  // snapshots. Writes are synced. An unknown table is kInvalidArgument.
  virtual Result<std::optional<std::string>> side_get(std::string_view table,
                                                      std::string_view key) const = 0;
  virtual Status side_put(std::string_view table, std::string_view key, std::string_view value) = 0;
  // Deletes the key and, on disk stores, compacts its range and the table's
  // files so no copy of the value survives in the data directory.
  virtual Status side_erase(std::string_view table, std::string_view key) = 0;
  // Visits the table's keys starting with `prefix` in key order until `visit`
  // returns false.
  virtual Status side_scan(
      std::string_view table, std::string_view prefix,
      const std::function<bool(std::string_view key, std::string_view value)>& visit) const = 0;

  // Write-path counters.
  virtual StoreStats stats() const = 0;

  // False once a failed write made the store refuse appends (the state on
  // disk is unknown until it is reopened); readiness probes report it.
  virtual bool accepting_writes() const { return true; }

  // Registers the commit listener (at most one; set before the first append).
  virtual void set_commit_listener(CommitListener listener) = 0;

  // Registers the group observer (at most one; a later call replaces it; an
  // empty function removes it). May be called while appends run. The default
  // does nothing (stores without commit groups).
  // NOLINTNEXTLINE(performance-unnecessary-value-param): a sink, moved by the overrides.
  virtual void set_group_observer(GroupObserver /*observer*/) {}

  // Stops accepting appends, completes everything pending, and flushes the
  // memtables (so the next open need not replay the WAL). Idempotent; the
  // destructor calls it. Files stay locked until the store is destroyed.
  virtual void close() = 0;

  // Writes a consistent copy of the whole store (every column family, as of
  // one instant) into the directory `dir`, which must not exist yet, while
  // appends go on. Returns the position of the last event the copy holds.
  // Errors: kUnavailable when the store cannot (the in-memory store);
  // kIOError when the copy fails (e.g. `dir` exists or is not writable).
  virtual Result<std::uint64_t> checkpoint(const std::string& dir) const;
};

// The side tables every store has.
inline constexpr std::string_view kSideKeys = "keys";            // personal-data keys
inline constexpr std::string_view kSideRequests = "requests";    // idempotency records
inline constexpr std::string_view kSideSnapshots = "snapshots";  // read-model snapshots
inline constexpr std::string_view kSideMeta = "meta";            // anything else

// True for the names above.
inline bool is_side_table(std::string_view t) {
  return t == kSideKeys || t == kSideRequests || t == kSideSnapshots || t == kSideMeta;
}

// The system clock as recorded_at: UTC microseconds since the epoch.
std::int64_t system_clock_us();

// The category of a stream: the part before the first '-' (the whole name if none).
std::string_view stream_category(std::string_view stream);

}  // namespace ikv::eventstore
