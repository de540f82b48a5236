// Erasure list: the member ids whose personal data was erased, kept as a file
// beside the log (never inside it) so that erasures outlive the backups taken
// before them. A backup copies the list (it is a data directory's file like
// master.key); a restore applies every id of the live data directory's list,
// and of the backup's own copy, to the restored copy (server/restore.h), so a
// person erased after the backup was taken stays unreadable there.
//
// The list holds member ids only (random UUIDs chosen by the server): no name,
// e-mail or phone, nothing that needs sealing.
//
// File grammar (<data>/erasures, mode 0600):
//
//   file  := "ikv-erasures v1\n" { member_id "\n" }
//
// ids in the order they were erased, each once; a member id is 1..64 visible
// ASCII characters. Crash order of add_erasure(): the whole new list goes to
// "<data>/erasures.tmp", is fsynced, renamed over the list and the directory
// fsynced (replace_file_durably(), durable_file.h), so the list on disk is
// always the old one or the new one, whole.
//
// Thread-safety: free functions; the registry adds one id at a time (its
// sequencer runs erasures one after another) and nothing else writes the file.
// apply_erasures() opens the store itself: no registry may have it open.
//
//   add_erasure(data_dir, member_id);
//   auto ids = read_erasure_list(data_dir);   // empty when there is no list
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace ikv::app {

inline constexpr std::string_view kErasureListFile = "erasures";

// The ids listed in <data_dir>/erasures, in order; empty when the file does
// not exist. Errors: kIOError when it cannot be read; kCorruption when it does
// not follow the grammar.
Result<std::vector<std::string>> read_erasure_list(const std::filesystem::path& data_dir);

// Adds `member_id` to the list (durably, as above); an id already listed
// changes nothing. Errors: kInvalidArgument for an id outside the grammar;
// kIOError (the list on disk is then the old one).
Status add_erasure(const std::filesystem::path& data_dir, std::string_view member_id);

// Writes `member_ids` as the whole list (durably, as above), each once, in order.
// Errors: as add_erasure().
Status write_erasure_list(const std::filesystem::path& data_dir,
                          const std::vector<std::string>& member_ids);

// Makes every listed member's personal data unreadable in the data directory
// (its store in <data_dir>/events, its key in <data_dir>/master.key): deletes
// each one's data key (compacted away) as an erasure does, then writes
// `member_ids` as the directory's erasure list. The log itself is not changed
// (no event is appended, the hash chain stays as it was): a member without a
// key reads as erased. Members the log does not know are recorded all the same.
// Errors: the store's, the master key's, or add_erasure()'s.
Status apply_erasures(const std::filesystem::path& data_dir,
                      const std::vector<std::string>& member_ids);

}  // namespace ikv::app
