// MemoryEventStore: the EventStore in memory, for tests and fuzzing. Same
// semantics as the RocksDB store (positions, versions, idempotency, hash chain,
// side tables); appends complete synchronously on the caller's thread.
//
// Thread-safety: all methods are thread-safe (one mutex).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "eventstore/event_store.h"

namespace ikv::eventstore {

// `clock` gives recorded_at in UTC microseconds; default: the system clock.
std::unique_ptr<EventStore> make_memory_event_store(std::function<std::int64_t()> clock = {});

}  // namespace ikv::eventstore
