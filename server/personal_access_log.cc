// File grammar (one line per entry, appended only):
//
//   file  := line*
//   line  := check ' ' body '\n'
//   check := 16 lower-case hex digits: the first 8 bytes of SHA-256(body)
//   body  := one JSON object on one line (Boost.JSON escapes control
//            characters, so a body never holds a raw '\n'):
//            {"seq": n, "at": us, "token_id": s, "token_name": s, "role": s,
//             "method": s, "route": s, "path": s, "network": s,
//             "request_id": s, "members": [s, ...], "records": n}
//
// seq rises by one per entry in file order; at (UTC microseconds) never falls.
//
// Crashes. Only the writer thread appends, one batch at a time: all its lines
// in one write(), then fdatasync(); the batch's entries become readable (and
// flush() returns) only after the sync. So every byte before the current batch
// was synced and stays intact, and a crash can damage only the unsynced tail:
// any prefix of the batch, possibly followed or interleaved by garbage (blocks
// allocated but never written read back as zeros). On open:
//   - every complete line is checked (check, JSON shape, seq above the line
//     before); a line that fails is skipped and counted, and the lines after it
//     are still read (they can only be a crashed batch's complete lines, or a
//     damaged disk's survivors);
//   - bytes after the last '\n' are an unfinished line: they are cut off
//     (ftruncate, then fsync) before anything is appended, so that a new line
//     never joins a torn one;
//   - the next seq is the highest read plus one, the last instant the highest
//     read. Seqs of a batch lost whole are used again: no reader ever saw them.
// A failed write or sync leaves the file's state unknown (as in the event
// store): the log writes nothing more until it is opened again, drops new
// entries (counted) and keeps answering what it had indexed.
#include "server/personal_access_log.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include <boost/json.hpp>

#include "crypto/hash.h"

namespace ikv::server {

namespace json = boost::json;

struct PersonalAccessLog::Slot {
  std::uint64_t seq = 0;
  std::int64_t at_us = 0;
  std::uint64_t offset = 0;  // of the body
  std::uint32_t length = 0;  // of the body
  std::uint32_t token_id = 0;
  std::uint32_t token_name = 0;
  std::uint32_t network = 0;
};

namespace {

constexpr std::size_t kCheckSize = 16;

std::string check_of(std::string_view body) {
  return crypto::sha256_hex(body).substr(0, kCheckSize);
}

Error io_error(const std::string& what) {
  return Error{ErrorCode::kIOError, what + ": " + std::strerror(errno), {}};
}

std::int64_t system_now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string encode_body(const AccessEntry& e) {
  json::array members;
  members.reserve(e.members.size());
  for (const auto& m : e.members) members.emplace_back(m);
  json::object o;
  o["seq"] = e.seq;
  o["at"] = e.at_us;
  o["token_id"] = e.token_id;
  o["token_name"] = e.token_name;
  o["role"] = e.role;
  o["method"] = e.method;
  o["route"] = e.route;
  o["path"] = e.path;
  o["network"] = e.network;
  o["request_id"] = e.request_id;
  o["members"] = std::move(members);
  o["records"] = e.records;
  return json::serialize(o);
}

// The entry of a line's body, or nullopt when it is not one.
std::optional<AccessEntry> decode_body(std::string_view body) {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const json::object& o = v.as_object();
  AccessEntry e;
  const auto text = [&o](std::string_view key, std::string& out) {
    const auto* f = o.if_contains(key);
    if (f == nullptr || !f->is_string()) return false;
    out = std::string(f->as_string());
    return true;
  };
  const auto* seq = o.if_contains("seq");
  const auto* at = o.if_contains("at");
  const auto* records = o.if_contains("records");
  const auto* members = o.if_contains("members");
  if (seq == nullptr || at == nullptr || records == nullptr || members == nullptr)
    return std::nullopt;
  auto s = json::try_value_to<std::uint64_t>(*seq);
  auto a = json::try_value_to<std::int64_t>(*at);
  auto r = json::try_value_to<std::uint64_t>(*records);
  auto m = json::try_value_to<std::vector<std::string>>(*members);
  if (!s || !a || !r || !m || *s == 0) return std::nullopt;
  e.seq = *s;
  e.at_us = *a;
  e.records = *r;
  e.members = std::move(*m);
  if (!text("token_id", e.token_id) || !text("token_name", e.token_name) || !text("role", e.role) ||
      !text("method", e.method) || !text("route", e.route) || !text("path", e.path) ||
      !text("network", e.network) || !text("request_id", e.request_id)) {
    return std::nullopt;
  }
  return e;
}

bool write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

bool read_all(int fd, std::uint64_t offset, std::size_t length, std::string& out) {
  out.resize(length);
  std::size_t done = 0;
  while (done < length) {
    const ssize_t n =
        ::pread(fd, out.data() + done, length - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

void sync_directory_of(const std::string& path) {
  const auto dir = std::filesystem::path(path).parent_path();
  const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

PersonalAccessLog::PersonalAccessLog(PersonalAccessLogOptions options)
    : options_(std::move(options)) {
  if (!options_.clock) options_.clock = system_now_us;
  if (options_.max_batch == 0) options_.max_batch = 1;
  options_.flush_interval = std::clamp(options_.flush_interval, std::chrono::milliseconds(0),
                                       std::chrono::milliseconds(1000));
}

Result<std::unique_ptr<PersonalAccessLog>> PersonalAccessLog::open(
    PersonalAccessLogOptions options) {
  std::unique_ptr<PersonalAccessLog> log(new PersonalAccessLog(std::move(options)));
  if (!log->options_.path.empty()) {
    if (auto s = log->load(); !s) return s.error();
    log->writer_ = std::thread([l = log.get()] { l->writer_loop(); });
  }
  return log;
}

PersonalAccessLog::~PersonalAccessLog() {
  close();
  if (fd_ >= 0) ::close(fd_);
}

Status PersonalAccessLog::load() {
  const std::string& path = options_.path;
  const bool existed = std::filesystem::exists(path);
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd_ < 0) return io_error("cannot open the access log " + path);
  if (!existed) sync_directory_of(path);
  struct stat st {};
  if (::fstat(fd_, &st) != 0) return io_error("cannot read the access log " + path);
  std::string text;
  if (!read_all(fd_, 0, static_cast<std::size_t>(st.st_size), text)) {
    return io_error("cannot read the access log " + path);
  }
  std::lock_guard lock(mu_);
  std::size_t pos = 0;
  std::uint64_t last_seq = 0;
  while (pos < text.size()) {
    const std::size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) break;
    const std::string_view line(text.data() + pos, nl - pos);
    std::optional<AccessEntry> entry;
    if (line.size() > kCheckSize + 1 && line[kCheckSize] == ' ') {
      const std::string_view body = line.substr(kCheckSize + 1);
      if (line.substr(0, kCheckSize) == check_of(body)) entry = decode_body(body);
    }
    if (entry && entry->seq > last_seq) {
      last_seq = entry->seq;
      last_at_us_ = std::max(last_at_us_, entry->at_us);
      index_locked(*entry, pos + kCheckSize + 1,
                   static_cast<std::uint32_t>(line.size() - kCheckSize - 1));
    } else {
      ++stats_.skipped_lines;
    }
    pos = nl + 1;
  }
  if (pos < text.size()) {
    stats_.torn_bytes = text.size() - pos;
    if (::ftruncate(fd_, static_cast<off_t>(pos)) != 0 || ::fsync(fd_) != 0) {
      return io_error("cannot cut the unfinished last line of the access log " + path);
    }
  }
  file_end_ = pos;
  next_seq_ = last_seq + 1;
  durable_seq_ = last_seq;
  if (stats_.skipped_lines > 0 || stats_.torn_bytes > 0) {
    warn("access log " + path + ": " + std::to_string(stats_.skipped_lines) +
         " damaged line(s) skipped, " + std::to_string(stats_.torn_bytes) +
         " byte(s) of an unfinished last line cut off (left by a crash)");
  }
  return ok_status();
}

void PersonalAccessLog::record(AccessEntry entry) {
  std::unique_lock lock(mu_);
  if (closing_ || stats_.failed || queue_.size() >= options_.max_pending) {
    ++stats_.dropped;
    return;
  }
  entry.seq = next_seq_++;
  entry.at_us = std::max(options_.clock(), last_at_us_);
  last_at_us_ = entry.at_us;
  if (fd_ < 0) {
    // In memory: stored at once.
    const std::string body = encode_body(entry);
    index_locked(entry, memory_.size(), static_cast<std::uint32_t>(body.size()));
    memory_ += body;
    durable_seq_ = entry.seq;
    return;
  }
  if (queue_.empty()) queue_since_ = std::chrono::steady_clock::now();
  queue_.push_back(std::move(entry));
  const bool wake = queue_.size() == 1 || queue_.size() >= options_.max_batch;
  lock.unlock();
  if (wake) work_cv_.notify_one();
}

Status PersonalAccessLog::flush() {
  std::unique_lock lock(mu_);
  const std::uint64_t target = next_seq_ - 1;
  if (durable_seq_ < target) {
    flush_requested_ = true;
    work_cv_.notify_one();
    done_cv_.wait(lock, [&] { return durable_seq_ >= target || closed_; });
  }
  if (stats_.failed) return Error{ErrorCode::kIOError, "the access log failed a write", {}};
  return ok_status();
}

void PersonalAccessLog::writer_loop() {
  std::unique_lock lock(mu_);
  for (;;) {
    work_cv_.wait(lock, [&] { return closing_ || !queue_.empty(); });
    if (queue_.empty()) break;  // closing with nothing left
    // The batch's window: it goes when it is due, full, asked for or closing.
    work_cv_.wait_until(lock, queue_since_ + options_.flush_interval, [&] {
      return closing_ || flush_requested_ || queue_.size() >= options_.max_batch;
    });
    std::vector<AccessEntry> batch;
    batch.swap(queue_);
    flush_requested_ = false;
    lock.unlock();
    const Status written = write_batch(batch);
    lock.lock();
    if (!written) {
      stats_.failed = true;
      stats_.dropped += batch.size() + queue_.size();
      queue_.clear();
    }
    durable_seq_ = std::max(durable_seq_, next_seq_ - 1 - queue_.size());
    done_cv_.notify_all();
    if (!written) {
      lock.unlock();
      warn(written.error().message + "; the access log writes nothing more until restarted");
      lock.lock();
    }
  }
}

Status PersonalAccessLog::write_batch(std::vector<AccessEntry>& batch) {
  // Only this thread changes file_end_; readers see it through the index.
  std::string bytes;
  std::vector<std::pair<std::uint64_t, std::uint32_t>> where;
  where.reserve(batch.size());
  for (const auto& e : batch) {
    const std::string body = encode_body(e);
    bytes += check_of(body);
    bytes += ' ';
    where.emplace_back(file_end_ + bytes.size(), static_cast<std::uint32_t>(body.size()));
    bytes += body;
    bytes += '\n';
  }
  if (!write_all(fd_, bytes)) return io_error("cannot write the access log " + options_.path);
  if (::fdatasync(fd_) != 0) return io_error("cannot sync the access log " + options_.path);
  std::lock_guard lock(mu_);
  file_end_ += bytes.size();
  for (std::size_t i = 0; i < batch.size(); ++i)
    index_locked(batch[i], where[i].first, where[i].second);
  return ok_status();
}

std::uint32_t PersonalAccessLog::intern(std::unordered_map<std::string, std::uint32_t>& ids,
                                        std::vector<std::vector<std::uint32_t>>& postings,
                                        const std::string& key) {
  auto [it, added] = ids.try_emplace(key, static_cast<std::uint32_t>(postings.size()));
  if (added) postings.emplace_back();
  postings[it->second].push_back(static_cast<std::uint32_t>(slots_.size()));
  return it->second;
}

void PersonalAccessLog::index_locked(const AccessEntry& e, std::uint64_t offset,
                                     std::uint32_t length) {
  Slot s;
  s.seq = e.seq;
  s.at_us = e.at_us;
  s.offset = offset;
  s.length = length;
  s.token_id = intern(token_ids_, by_token_id_, e.token_id);
  s.token_name = intern(token_names_, by_token_name_, e.token_name);
  s.network = intern(networks_, by_network_, e.network);
  slots_.push_back(s);
  ++stats_.entries;
}

Result<AccessPage> PersonalAccessLog::list(const AccessQuery& query) {
  if (auto s = flush(); !s) return s.error();
  std::vector<Slot> chosen;
  std::vector<std::string> bodies;  // in memory only
  bool more = false;
  {
    std::lock_guard lock(mu_);
    // The slots [lo, hi) that the instants and the cursor allow (seq and at
    // both rise with the index).
    const auto by_at = [](const Slot& s, std::int64_t at) { return s.at_us < at; };
    std::size_t lo = 0;
    std::size_t hi = slots_.size();
    if (query.from_us) {
      lo = std::lower_bound(slots_.begin(), slots_.end(), *query.from_us, by_at) - slots_.begin();
    }
    if (query.to_us) {
      hi = std::upper_bound(slots_.begin(), slots_.end(), *query.to_us,
                            [](std::int64_t at, const Slot& s) { return at < s.at_us; }) -
           slots_.begin();
    }
    if (query.before_seq) {
      hi = std::min<std::size_t>(
          hi, std::lower_bound(slots_.begin(), slots_.end(), *query.before_seq,
                               [](const Slot& s, std::uint64_t q) { return s.seq < q; }) -
                  slots_.begin());
    }
    // The filters as interned ids; a value never seen matches nothing.
    struct Filter {
      const std::unordered_map<std::string, std::uint32_t>* ids;
      const std::vector<std::vector<std::uint32_t>>* postings;
      const std::optional<std::string>* value;
      std::uint32_t Slot::*field;
    };
    const Filter filters[] = {
        {&token_ids_, &by_token_id_, &query.token_id, &Slot::token_id},
        {&token_names_, &by_token_name_, &query.token_name, &Slot::token_name},
        {&networks_, &by_network_, &query.network, &Slot::network}};
    std::vector<std::pair<std::uint32_t Slot::*, std::uint32_t>> wanted;
    const std::vector<std::uint32_t>* walk = nullptr;  // the shortest posting list
    bool none = lo >= hi;
    for (const auto& f : filters) {
      if (!*f.value) continue;
      const auto it = f.ids->find(**f.value);
      if (it == f.ids->end()) {
        none = true;
        break;
      }
      wanted.emplace_back(f.field, it->second);
      const auto& list = (*f.postings)[it->second];
      if (walk == nullptr || list.size() < walk->size()) walk = &list;
    }
    const auto accept = [&](std::size_t i) {
      return std::ranges::all_of(wanted,
                                 [&](const auto& w) { return slots_[i].*w.first == w.second; });
    };
    const auto take = [&](std::size_t i) {
      if (chosen.size() == query.limit) {
        more = true;
        return false;
      }
      chosen.push_back(slots_[i]);
      return true;
    };
    if (!none && walk != nullptr) {
      // Postings hold slot indexes in rising order: seek to hi, walk down to lo.
      auto it = std::lower_bound(walk->begin(), walk->end(), hi);
      while (it != walk->begin()) {
        const std::size_t i = *--it;
        if (i < lo) break;
        if (accept(i) && !take(i)) break;
      }
    } else if (!none) {
      for (std::size_t i = hi; i > lo;) {
        if (!take(--i)) break;
      }
    }
    if (fd_ < 0) {
      for (const auto& s : chosen) bodies.emplace_back(memory_, s.offset, s.length);
    }
  }
  AccessPage page;
  page.more = more;
  page.entries.reserve(chosen.size());
  for (std::size_t i = 0; i < chosen.size(); ++i) {
    std::optional<AccessEntry> e;
    if (fd_ < 0) {
      e = decode_body(bodies[i]);
    } else {
      auto read = read_line(chosen[i].offset, chosen[i].length);
      if (!read) return read.error();
      e = std::move(*read);
    }
    if (!e) return Error{ErrorCode::kCorruption, "an access log entry does not decode", {}};
    page.entries.push_back(std::move(*e));
  }
  return page;
}

Result<AccessEntry> PersonalAccessLog::read_line(std::uint64_t offset, std::uint32_t length) const {
  std::string body;
  if (!read_all(fd_, offset, length, body))
    return io_error("cannot read the access log " + options_.path);
  auto e = decode_body(body);
  if (!e) return Error{ErrorCode::kCorruption, "an access log entry does not decode", {}};
  return std::move(*e);
}

void PersonalAccessLog::close() {
  {
    std::lock_guard lock(mu_);
    if (closed_) return;
    closing_ = true;
  }
  work_cv_.notify_all();
  if (writer_.joinable()) writer_.join();
  std::lock_guard lock(mu_);
  closed_ = true;
  done_cv_.notify_all();
}

PersonalAccessLog::Stats PersonalAccessLog::stats() const {
  std::lock_guard lock(mu_);
  Stats s = stats_;
  s.pending = queue_.size();
  return s;
}

void PersonalAccessLog::warn(const std::string& message) const {
  if (options_.on_warning) options_.on_warning(message);
}

}  // namespace ikv::server
