// The registry's master key: a 256-bit key kept in a file of its own, used by
// the PersonalDataVault to wrap (encrypt) every person's data key before it is
// stored, so the event store's files alone never reveal personal data.
//
// File format: 64 lower-case hex characters and a newline. The file must be a
// regular file owned by the process's user with no permission bits for group
// or others (mode 0600 or stricter); it is created that way on first start,
// atomically (written to a temporary name, synced, then linked into place).
//
// Losing the file loses every person's personal data for good; a copy of it
// must be kept with the backups, but stored apart from them, since the two
// together reveal the data. Erasure stays real without it: a person's data key
// is deleted from the store whether it was wrapped or not.
//
// Thread-safety: a free function; concurrent first starts of two processes
// agree on one key (the second one reads what the first created).
//
//   auto key = ikv::crypto::load_or_create_master_key(data_dir / "master.key");
//   if (!key) return key.error();
//   PersonalDataVault vault(store, {.master_key = *key});
#pragma once

#include <filesystem>

#include "common/result.h"
#include "crypto/aead.h"

namespace ikv::crypto {

// The file name under the data directory.
inline constexpr const char* kMasterKeyFileName = "master.key";

// Reads the master key at `path`, creating it with a fresh random key when it
// does not exist. Errors: kIOError when the file cannot be read or created;
// kInvalidArgument when it is not a regular file, is owned by another user or is
// open to group or others; kCorruption when its content is not a key.
Result<AeadKey> load_or_create_master_key(const std::filesystem::path& path);

}  // namespace ikv::crypto
