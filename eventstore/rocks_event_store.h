// RocksEventStore: the EventStore on an embedded RocksDB database.
//
// Write path (group commit, pipelined): append() queues the request and
// returns. A writer thread owns the log tail: it drains every pending request,
// checks each expected version against the stream heads (including its own
// not yet synced ones) and each event id against the in-memory event index
// (a fingerprint hit is confirmed by reading the record), assigns positions,
// chains hashes and writes them as one WriteBatch without sync: per event its
// record and its stream-index key, per group one value for the index. A syncer thread then syncs
// the WAL once for every batch written since its last sync (so one fsync serves all appends that
// arrived while the previous one ran), publishes the new head, runs the commit listener and
// completes every waiter, in order. With Durability::kAsync nothing is synced. A failed write or
// sync puts the store in a failed state: every append not yet answered and every later one gets
// kUnavailable until the process reopens the store, because the state on disk is then unknown.
//
// Idle fast path: an append that may lead (AppendRequest::may_lead) and finds
// nothing queued, written or syncing is written, synced and completed on the
// calling thread, commit listener included, before append() returns: on an idle server a
// command costs no thread hand-off. Appends arriving meanwhile queue for the
// writer thread, which takes them once that group is done.
//
// Open: finds the log's head, loads the event index (event-id fingerprints,
// category and type codes per position; about 24 bytes per event) from the
// groups values, rebuilding it from the log where they stop (a directory of
// an earlier layout is migrated so); stream heads are read on demand from the
// stream index and cached. The key layout is at the top of
// rocks_event_store.cc.
//
// Thread-safety: all methods are thread-safe. Reads see only whole, durable commit
// groups: every read is bounded by the published head position.
//
//   auto store = open_rocks_event_store({.path = "./data/events"});
//   if (!store) die(store.error().message);
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "eventstore/event_store.h"

namespace ikv::eventstore {

struct RocksOptions {
  // Directory of the database; created if missing.
  std::string path;
  // What an acknowledged append survives (see Durability).
  Durability durability = Durability::kSync;
  // Source of recorded_at (UTC microseconds). Default: the system clock.
  std::function<std::int64_t()> clock;
  // Open read-only as a RocksDB secondary instance that follows a running
  // primary (for offline tools); appends then fail with kUnavailable.
  bool read_only = false;
  // Where a secondary instance keeps its own info log (read_only only).
  std::string secondary_path;
  // Block cache for the log, in bytes.
  std::size_t block_cache_bytes = 64u << 20;
  // All memtables of all column families together, in bytes (a
  // WriteBufferManager charged to the block cache): RocksDB's memory is
  // bounded by block_cache_bytes + memtable_bytes whatever the log's size.
  std::size_t memtable_bytes = 64u << 20;
  // Test seam: called on the syncing thread before each sync of the log
  // (groups are then written but not yet durable or visible).
  std::function<void()> before_sync;
  // Test seam: the event-id fingerprint (event_index.h). It is part of the
  // stored format: a data directory must always be opened with the function
  // it was written with. Empty: event_id_fingerprint, the format's own.
  std::function<std::uint64_t(std::string_view)> event_id_fingerprint;
};

// Opens (creating if needed) the store at options.path and recovers the next
// position, the chain head and the event index from disk (see above).
Result<std::unique_ptr<EventStore>> open_rocks_event_store(RocksOptions options);

}  // namespace ikv::eventstore
