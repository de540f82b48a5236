// PersonalAccessLog: the record of every answer that showed members' personal
// data (name, e-mail, phone) in clear (API.md, "Who sees personal data"),
// listed at GET /v1/audit/access. It is not domain history: it lives in its own
// append-only file in the data directory, never in the event log.
//
// An entry says who asked (token id and name, role; never a secret), when (the
// recorded instant), what (method, route template, path without its query, the
// request id), which network, which members were shown in clear (member ids
// only) and how many rows. An entry holds no name, e-mail or phone: nothing in
// it needs sealing.
//
// Recording is off the request path: record() only stamps the entry and queues
// it. A writer thread takes the queue in batches (one batch at most
// `flush_interval` after its first entry, sooner when `max_batch` wait or a
// reader flushes), appends it with one write and one fdatasync, and only then
// makes the entries visible to list(). close() writes what waits before it
// returns. What a crash loses: the entries queued in the last `flush_interval`
// and the batch being written (see the file grammar in personal_access_log.cc).
//
// Entries are numbered (seq, from 1) in the order record() took them, and
// their recorded instants never go backwards in that order (a clock stepping
// back repeats the last instant), so both paging and the from/to filters
// seek in an index kept in memory (a few dozen bytes per entry); a page reads
// only the lines it answers with.
//
// Without a path the log is kept in memory and record() stores at once (tests,
// --print-routes).
//
// Thread-safety: all methods are thread-safe. record() takes one lock and never
// waits for I/O; list() and flush() wait for the writer.
//
//   auto log = PersonalAccessLog::open({.path = data + "/personal-access.log"});
//   (*log)->record({.token_id = "tok-1", .route = "/v1/networks/{id}/members", ...});
//   auto page = (*log)->list({.network = "oulu", .limit = 50});
//   (*log)->close();
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "common/result.h"

namespace ikv::server {

struct PersonalAccessLogOptions {
  // The log's file; created (mode 0600) when missing. Empty: kept in memory.
  std::string path;
  // An entry waits at most this long before its batch is written and synced;
  // a crash loses at most the entries of this last interval (and the batch
  // being written). Kept at or under one second.
  std::chrono::milliseconds flush_interval{200};
  // A batch is written as soon as this many entries wait.
  std::size_t max_batch = 4096;
  // Entries waiting beyond this many are dropped (counted in stats()), so a
  // stalled disk neither delays answers nor fills the memory.
  std::size_t max_pending = 100'000;
  // Source of recorded instants (UTC microseconds); default: the system clock.
  std::function<std::int64_t()> clock;
  // Told about problems (lines skipped on open, a failed write); never given
  // personal data. Default: nothing.
  std::function<void(const std::string&)> on_warning;
};

// One answer's access to one network's personal data.
struct AccessEntry {
  std::uint64_t seq = 0;   // set by record()
  std::int64_t at_us = 0;  // set by record(): the recorded instant
  std::string token_id;
  std::string token_name;
  std::string role;
  std::string method;   // "GET"
  std::string route;    // the route template, "/v1/networks/{id}/members"
  std::string path;     // the request's path, without the query
  std::string network;  // "" when the rows belong to no network
  std::string request_id;
  std::vector<std::string> members;  // member ids shown in clear, each once
  std::uint64_t records = 0;         // rows shown with personal fields in clear
};

// What list() selects: every filter given must match; newest first.
struct AccessQuery {
  std::optional<std::string> token_id;
  std::optional<std::string> token_name;
  std::optional<std::string> network;
  std::optional<std::int64_t> from_us;      // at_us >= from_us
  std::optional<std::int64_t> to_us;        // at_us <= to_us
  std::optional<std::uint64_t> before_seq;  // only entries with seq < before_seq (paging)
  std::size_t limit = 100;
};

struct AccessPage {
  std::vector<AccessEntry> entries;  // newest first
  bool more = false;                 // older entries match too
};

class PersonalAccessLog {
 public:
  struct Stats {
    std::uint64_t entries = 0;        // readable entries (on disk or, in memory, kept)
    std::uint64_t pending = 0;        // queued, not yet written
    std::uint64_t dropped = 0;        // refused: queue full, log closed or failed
    std::uint64_t skipped_lines = 0;  // complete lines that failed their checks on open
    std::uint64_t torn_bytes = 0;     // an unfinished last line cut off on open
    bool failed = false;              // a write failed: nothing more is written
  };

  // Opens (or creates) the log and reads its index; starts the writer.
  // Errors: kIOError when the file cannot be opened, read or repaired.
  static Result<std::unique_ptr<PersonalAccessLog>> open(PersonalAccessLogOptions options);
  ~PersonalAccessLog();  // close(), then closes the file
  PersonalAccessLog(const PersonalAccessLog&) = delete;
  PersonalAccessLog& operator=(const PersonalAccessLog&) = delete;
  PersonalAccessLog(PersonalAccessLog&&) = delete;
  PersonalAccessLog& operator=(PersonalAccessLog&&) = delete;

  // Stamps `entry` (seq, at_us) and queues it. Never waits for I/O. Dropped
  // (and counted) after close(), after a failed write, or over max_pending.
  void record(AccessEntry entry);

  // Waits until every entry recorded before the call is written and synced.
  // Errors: kIOError when the log failed a write (those entries are lost).
  Status flush();

  // The page of entries `query` selects, newest first; flushes first so that
  // it sees every entry recorded before the call. Errors: the flush's, or
  // kCorruption/kIOError when a line cannot be read back.
  Result<AccessPage> list(const AccessQuery& query);

  // Writes what waits and stops the writer; entries recorded afterwards are
  // dropped (counted), list() still answers. Idempotent. The destructor
  // closes the file.
  void close();

  Stats stats() const;

 private:
  struct Slot;
  explicit PersonalAccessLog(PersonalAccessLogOptions options);
  Status load();
  void writer_loop();
  // Appends `batch` to the file (one write, one fdatasync) and indexes it.
  Status write_batch(std::vector<AccessEntry>& batch);
  // Adds a stored line to the index. REQUIRES: mu_ held.
  void index_locked(const AccessEntry& e, std::uint64_t offset, std::uint32_t length);
  std::uint32_t intern(std::unordered_map<std::string, std::uint32_t>& ids,
                       std::vector<std::vector<std::uint32_t>>& postings, const std::string& key);
  Result<AccessEntry> read_line(std::uint64_t offset, std::uint32_t length) const;
  void warn(const std::string& message) const;

  // Constant after open.
  PersonalAccessLogOptions options_;
  int fd_ = -1;  // -1: in memory

  mutable std::mutex mu_;
  std::condition_variable work_cv_;  // the writer waits here
  std::condition_variable done_cv_;  // flush() waits here
  // Guarded by mu_.
  std::vector<AccessEntry> queue_;
  std::chrono::steady_clock::time_point queue_since_{};
  std::uint64_t next_seq_ = 1;
  std::int64_t last_at_us_ = 0;
  std::uint64_t durable_seq_ = 0;  // every seq up to this one is written (or lost to a failure)
  bool flush_requested_ = false;
  bool closing_ = false;
  bool closed_ = false;
  Stats stats_{};
  std::string memory_;          // the "file" of an in-memory log
  std::uint64_t file_end_ = 0;  // written bytes (the writer's append offset)
  std::vector<Slot> slots_;     // readable entries, by seq
  std::unordered_map<std::string, std::uint32_t> token_ids_, token_names_, networks_;
  std::vector<std::vector<std::uint32_t>> by_token_id_, by_token_name_, by_network_;
  std::thread writer_;
};

}  // namespace ikv::server
