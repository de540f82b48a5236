// Restore: turns a backup (POST /v1/admin/backups: <backup>/events, a RocksDB
// checkpoint of the store, and <backup>/master.key) into the data directory
// of a registry, applies every erasure recorded since (the erasure lists of
// the live data directory, of the target and of the backup: app/erasure_list.h),
// then proves it: opens the registry on it (every event
// decoded into the read models), walks the whole hash chain, and opens the
// personal data of every event with the restored master key.
//
// The target's events directory must be absent or empty unless `force`
// (then it is replaced). The master key comes from the backup, else from
// `master_key` (a copy kept apart from the backups), else the one already in
// the data directory; a different key already in the data directory is only
// replaced with `force`. Files are copied under temporary names, synced and
// renamed into place, so an interrupted restore leaves no half events/.
//
// Thread-safety: a free function; nothing else may use the data directory
// while it runs (the store's lock refuses a running server).
//
//   auto summary = restore_backup({.backup_dir = "data/backups/backup-2024...",
//                                  .data_dir = "restored"});
//   if (!summary) die(summary.error().message);
//   std::cout << summary_text(*summary);
#pragma once

#include <cstdint>
#include <string>

#include "common/result.h"

namespace ikv::server {

struct RestoreOptions {
  std::string backup_dir;
  std::string data_dir;
  // A master key file to use when the backup holds none.
  std::string master_key;
  // Replace a non-empty <data>/events and a different <data>/master.key.
  bool force = false;
  // The live data directory whose erasure list is applied to the restored
  // copy. Empty: the data directory the backup lies in (<live>/backups/<id>),
  // when it has an erasure list.
  std::string live_data_dir;
};

struct RestoreSummary {
  std::string events_dir;       // where the log now lives
  std::string master_key_from;  // "backup", "--master-key" or "data directory"
  std::uint64_t events = 0;     // events in the restored log (checked by verify)
  std::uint64_t head_position = 0;
  std::string head_hash;                    // hex SHA-256 of the head event
  bool chain_ok = false;                    // the hash chain verified end to end
  std::uint64_t personal_data_checked = 0;  // events whose personal data opened
  std::uint64_t erasures_applied = 0;       // members of the merged erasure lists
  std::string problem;                      // why the restored log failed verification ("" = ok)
};

// Errors: kInvalidArgument (no backup there, no master key anywhere, target
// not empty without force, different master key without force, a live data
// directory that does not exist); kCorruption (an erasure list that does not
// parse: nothing erased would be safe to skip); kIOError
// (copying failed); kCorruption (the restored registry does not open). A log
// that opens but does not verify is a summary with `problem` set (and
// chain_ok false when the chain is broken): the restore has failed, and the
// data directory keeps the restored files for inspection.
Result<RestoreSummary> restore_backup(const RestoreOptions& options);

// Human-readable summary lines ("events: 42", ...).
std::string summary_text(const RestoreSummary& summary);

}  // namespace ikv::server
