#include "server/restore.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "app/erasure_list.h"
#include "app/registry.h"

namespace ikv::server {
namespace {

namespace fs = std::filesystem;

Error invalid(std::string message) { return {ErrorCode::kInvalidArgument, std::move(message), {}}; }
Error io(std::string message) { return {ErrorCode::kIOError, std::move(message), {}}; }

bool non_empty_dir(const fs::path& p) {
  std::error_code ec;
  return fs::is_directory(p, ec) && !fs::is_empty(p, ec);
}

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// fsync of one file or directory.
bool sync_path(const fs::path& p, bool directory) {
  const int fd = ::open(p.c_str(), (directory ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

// Syncs every file under `dir` and the directory itself.
Status sync_tree(const fs::path& dir) {
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    const bool is_dir = it->is_directory(ec);
    if (!sync_path(it->path(), is_dir)) return io("cannot sync " + it->path().string());
  }
  if (ec) return io("cannot list " + dir.string() + ": " + ec.message());
  if (!sync_path(dir, true)) return io("cannot sync " + dir.string());
  return ok_status();
}

std::string hex(const eventstore::Hash& h) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (std::uint8_t b : h) {
    out += kDigits[b >> 4];
    out += kDigits[b & 0x0F];
  }
  return out;
}

// Puts the master key in place; returns where it came from.
Result<std::string> place_master_key(const RestoreOptions& o, const fs::path& data) {
  const fs::path target = data / "master.key";
  fs::path source;
  std::string from;
  std::error_code ec;
  if (fs::is_regular_file(fs::path(o.backup_dir) / "master.key", ec)) {
    source = fs::path(o.backup_dir) / "master.key";
    from = "backup";
  } else if (!o.master_key.empty()) {
    if (!fs::is_regular_file(o.master_key, ec)) return invalid("no master key at " + o.master_key);
    source = o.master_key;
    from = "--master-key";
  } else if (fs::is_regular_file(target, ec)) {
    return std::string("data directory");
  } else {
    return invalid(
        "the backup holds no master.key and none was given (--master-key): "
        "sealed personal data could not be read");
  }
  if (fs::exists(target, ec)) {
    if (read_all(target) == read_all(source)) return from;
    if (!o.force) {
      return invalid(target.string() + " holds a different master key (use --force to replace it)");
    }
  }
  const fs::path tmp = data / "master.key.restoring";
  fs::remove(tmp, ec);
  fs::copy_file(source, tmp, fs::copy_options::overwrite_existing, ec);
  if (!ec)
    fs::permissions(tmp, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace,
                    ec);
  if (ec) return io("cannot copy the master key: " + ec.message());
  if (!sync_path(tmp, false)) return io("cannot sync " + tmp.string());
  fs::rename(tmp, target, ec);
  if (ec) return io("cannot place the master key: " + ec.message());
  if (!sync_path(data, true)) return io("cannot sync " + data.string());
  return from;
}

// Every member id of the erasure lists to apply: the live data directory's,
// the target's own (restoring in place) and the backup's copy, each once.
Result<std::vector<std::string>> erasures_to_apply(const RestoreOptions& o, const fs::path& data) {
  std::error_code ec;
  std::vector<fs::path> sources{fs::path(o.backup_dir), data};
  if (!o.live_data_dir.empty()) {
    if (!fs::is_directory(o.live_data_dir, ec)) {
      return invalid("no live data directory at " + o.live_data_dir);
    }
    sources.emplace_back(o.live_data_dir);
  } else {
    const fs::path backup = fs::weakly_canonical(fs::absolute(o.backup_dir, ec), ec);
    if (!ec && backup.parent_path().filename() == "backups") {
      sources.push_back(backup.parent_path().parent_path());
    }
  }
  std::vector<std::string> ids;
  for (const fs::path& source : sources) {
    auto listed = app::read_erasure_list(source);
    if (!listed) return listed.error();
    for (auto& id : *listed) {
      if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(std::move(id));
    }
  }
  return ids;
}

// Opens the restored registry and checks everything it holds.
Result<RestoreSummary> check(const fs::path& data, RestoreSummary s) {
  auto opened = app::Registry::open({.data_dir = data.string()});
  if (!opened) {
    return Error{ErrorCode::kCorruption,
                 "the restored registry does not open: " + opened.error().message,
                 {}};
  }
  auto& reg = **opened;
  s.head_position = reg.store().head_position();
  auto verified = reg.store().verify();
  if (!verified) {
    return Error{ErrorCode::kCorruption, "verification failed: " + verified.error().message, {}};
  }
  s.events = verified->events_checked;
  s.head_hash = hex(verified->head_hash);
  s.chain_ok = verified->ok && verified->events_checked == s.head_position;
  if (!verified->ok) {
    s.problem = "hash chain broken at position " +
                std::to_string(verified->first_bad_position.value_or(0)) + ": " + verified->problem;
  } else if (!s.chain_ok) {
    s.problem = "verify checked " + std::to_string(verified->events_checked) +
                " events for a head at " + std::to_string(s.head_position);
  }
  std::string bad;
  auto scanned = reg.store().scan_all(0, [&](const eventstore::RecordedEvent& e) {
    auto j = reg.event_json(e, true);
    if (!j) {
      bad = "event " + std::to_string(e.position) + " does not open: " + j.error().message;
      return false;
    }
    ++s.personal_data_checked;
    return true;
  });
  reg.close();
  if (!scanned)
    return Error{ErrorCode::kCorruption, "reading the log: " + scanned.error().message, {}};
  if (!bad.empty() && s.problem.empty()) s.problem = bad;
  return s;
}

}  // namespace

Result<RestoreSummary> restore_backup(const RestoreOptions& o) {
  std::error_code ec;
  const fs::path backup_events = fs::path(o.backup_dir) / "events";
  if (o.backup_dir.empty() || !fs::is_regular_file(backup_events / "CURRENT", ec)) {
    return invalid("no backup at " + o.backup_dir +
                   " (expected events/ with a RocksDB checkpoint)");
  }
  if (o.data_dir.empty()) return invalid("--data is required with --restore");
  const fs::path data = fs::absolute(o.data_dir, ec);
  if (ec) return invalid("bad data directory " + o.data_dir);
  const fs::path events = data / "events";
  if (non_empty_dir(events) && !o.force) {
    return invalid(events.string() + " is not empty (use --force to replace it)");
  }
  fs::create_directories(data, ec);
  if (ec) return io("cannot create " + data.string() + ": " + ec.message());

  RestoreSummary s;
  s.events_dir = events.string();
  auto key_from = place_master_key(o, data);
  if (!key_from) return key_from.error();
  s.master_key_from = *key_from;
  // The audit signing key and the access log of the backup, where the data
  // directory has none of its own (a live one is newer: it is kept).
  for (const char* file : {"audit-signing.key", "personal-access.log"}) {
    const fs::path from = fs::path(o.backup_dir) / file;
    if (!fs::is_regular_file(from, ec) || fs::exists(data / file, ec)) continue;
    fs::copy_file(from, data / file, ec);
    if (!ec)
      fs::permissions(data / file, fs::perms::owner_read | fs::perms::owner_write,
                      fs::perm_options::replace, ec);
    if (ec) return io("cannot place " + (data / file).string() + ": " + ec.message());
    if (!sync_path(data / file, false)) return io("cannot sync " + (data / file).string());
  }

  // Read before anything is replaced: the target's own list may be the live one.
  auto erasures = erasures_to_apply(o, data);
  if (!erasures) return erasures.error();

  const fs::path tmp = data / "events.restoring";
  fs::remove_all(tmp, ec);
  fs::copy(backup_events, tmp, fs::copy_options::recursive, ec);
  if (ec) return io("cannot copy " + backup_events.string() + ": " + ec.message());
  if (auto synced = sync_tree(tmp); !synced) return synced.error();
  if (fs::exists(events, ec)) fs::remove_all(events, ec);
  if (ec) return io("cannot remove " + events.string() + ": " + ec.message());
  fs::rename(tmp, events, ec);
  if (ec) return io("cannot place " + events.string() + ": " + ec.message());
  if (!sync_path(data, true)) return io("cannot sync " + data.string());
  if (auto applied = app::apply_erasures(data, *erasures); !applied) {
    return io("cannot apply the erasure list: " + applied.error().message);
  }
  s.erasures_applied = erasures->size();
  return check(data, std::move(s));
}

std::string summary_text(const RestoreSummary& s) {
  std::string out;
  out += "restored into: " + s.events_dir + "\n";
  out += "master key: from " + s.master_key_from + "\n";
  out += "events: " + std::to_string(s.events) + "\n";
  out += "head position: " + std::to_string(s.head_position) + "\n";
  out += "head hash: " + s.head_hash + "\n";
  out += "hash chain: " + std::string(s.chain_ok ? "ok" : "BROKEN") + "\n";
  out += "events decoded with personal data: " + std::to_string(s.personal_data_checked) + "\n";
  out += "erasures applied: " + std::to_string(s.erasures_applied) + "\n";
  if (!s.problem.empty()) out += "problem: " + s.problem + "\n";
  return out;
}

}  // namespace ikv::server
