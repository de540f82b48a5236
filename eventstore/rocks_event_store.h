// RocksEventStore: the EventStore on an embedded RocksDB database.
//
// Write path (group commit): append() queues the request and returns; one
// writer thread owns the log tail. It drains every pending request, checks each
// expected version against in-memory stream heads, assigns positions, chains
// hashes, writes all of them as one WriteBatch (sync per Options::durability),
// runs the commit listener, then completes every waiter. One fsync serves many
// appends. A failed write or sync puts the store in a failed state: every later
// append gets kUnavailable until the process reopens the store, because the
// state on disk is then unknown.
//
// Thread-safety: all methods are thread-safe. Reads see only whole commit groups.
//
//   auto store = RocksEventStore::open({.path = "./data/events"});
//   if (!store) die(store.error().message);
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

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
};


// Opens (creating if needed) the store at options.path and recovers stream
// heads, the next position and the chain head from disk.
Result<std::unique_ptr<EventStore>> open_rocks_event_store(RocksOptions options);

}  // namespace ikv::eventstore
