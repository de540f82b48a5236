// Side-table layout (table eventstore::kSideKeys):
//
//   entry        := "k/" subject_id -> stored_key     the subject's data key
//                 | "x/" subject_id -> ""             the subject is erased
//   stored_key   := 0x00 data_key(32)                 stored plain (no master key)
//                 | aead_sealed                       stored wrapped (first byte 0x01)
//   aead_sealed  := crypto::seal(master_key, data_key, "ikv-data-key:" subject_id)
//
// erase() writes the "x/" mark before it deletes the "k/" entry, so a crash in
// between leaves a subject that reads as erased and is never sealed for again.
// It forgets the key in memory only once the mark is written: a failed mark
// leaves the vault knowing the key, so stage() never takes the subject for new
// while its "k/" entry is still there.
//
// The wrap's associated data binds a stored key to its subject: a value copied
// under another subject's id does not unwrap.
//
// Sealed personal data (what seal() returns):
//
//   text := base64url( crypto::seal(data_key, plaintext, subject_id) )
#include "crypto/key_vault.h"

#include <utility>

#include <openssl/crypto.h>

#include "crypto/encoding.h"

namespace ikv::crypto {
namespace {

constexpr char kPlainKeyTag = 0x00;
constexpr std::string_view kWrapContext = "ikv-data-key:";
constexpr std::string_view kKeyPrefix = "k/";
constexpr std::string_view kErasedPrefix = "x/";

std::string side_key(std::string_view prefix, std::string_view subject_id) {
  std::string key(prefix);
  key += subject_id;
  return key;
}

std::string wrap_aad(std::string_view subject_id) {
  std::string aad(kWrapContext);
  aad += subject_id;
  return aad;
}

Error invalid_subject() {
  return Error{ErrorCode::kInvalidArgument, "personal data subject id is empty", {}};
}

}  // namespace

PersonalDataVault::PersonalDataVault(eventstore::EventStore& store, VaultOptions options)
    : store_(store), options_(options) {
  if (options_.cache_capacity == 0) options_.cache_capacity = 1;
}

PersonalDataVault::~PersonalDataVault() {
  for (auto& [subject, cached] : cache_) OPENSSL_cleanse(cached.key.data(), cached.key.size());
  for (auto& [subject, staged] : staged_) {
    OPENSSL_cleanse(staged.key.data(), staged.key.size());
    OPENSSL_cleanse(staged.stored.data(), staged.stored.size());
  }
  stored_.wipe_all();
  if (options_.master_key) OPENSSL_cleanse(options_.master_key->data(), kAeadKeySize);
}

std::optional<std::string_view> PersonalDataVault::StoredKeys::find(
    std::string_view subject_id) const {
  const Span* span = spans_.find(subject_id);
  if (span == nullptr) return std::nullopt;
  return std::string_view(bytes_).substr(span->at, span->size);
}

void PersonalDataVault::StoredKeys::put(std::string_view subject_id, std::string_view stored) {
  wipe(subject_id);
  spans_.insert_or_assign(subject_id, Span{static_cast<std::uint32_t>(bytes_.size()),
                                           static_cast<std::uint32_t>(stored.size())});
  bytes_.append(stored);
}

void PersonalDataVault::StoredKeys::wipe(std::string_view subject_id) {
  const Span* span = spans_.find(subject_id);
  if (span == nullptr) return;
  OPENSSL_cleanse(bytes_.data() + span->at, span->size);
  spans_.erase(subject_id);
}

void PersonalDataVault::StoredKeys::wipe_all() { OPENSSL_cleanse(bytes_.data(), bytes_.size()); }

std::string PersonalDataVault::encode_stored_key(std::string_view subject_id,
                                                 const AeadKey& key) const {
  const std::string_view raw(reinterpret_cast<const char*>(key.data()), key.size());
  if (options_.master_key) return crypto::seal(*options_.master_key, raw, wrap_aad(subject_id));
  std::string value(1, kPlainKeyTag);
  value += raw;
  return value;
}

Result<AeadKey> PersonalDataVault::decode_stored_key(std::string_view subject_id,
                                                     std::string_view stored) const {
  ++unwrapped_;
  const bool plain = !stored.empty() && stored[0] == kPlainKeyTag;
  if (options_.master_key) {
    if (plain) {
      return Error{ErrorCode::kCorruption,
                   "stored data key is not wrapped but a master key is configured",
                   {}};
    }
    Result<std::string> raw = crypto::open(*options_.master_key, stored, wrap_aad(subject_id));
    if (!raw) {
      return Error{
          ErrorCode::kCorruption, "stored data key does not unwrap with the master key", {}};
    }
    std::optional<AeadKey> key = aead_key_from_bytes(*raw);
    OPENSSL_cleanse(raw->data(), raw->size());
    if (!key) return Error{ErrorCode::kCorruption, "stored data key has a wrong length", {}};
    return *key;
  }
  if (!plain) {
    return Error{ErrorCode::kCorruption,
                 "stored data key is wrapped or malformed and no master key is configured",
                 {}};
  }
  std::optional<AeadKey> key = aead_key_from_bytes(stored.substr(1));
  if (!key) return Error{ErrorCode::kCorruption, "stored data key has a wrong length", {}};
  return *key;
}

void PersonalDataVault::cache_locked(std::string_view subject_id, const AeadKey& key) const {
  if (auto it = cache_.find(subject_id); it != cache_.end()) {
    it->second.key = key;
    recency_.splice(recency_.begin(), recency_, it->second.recency);
    return;
  }
  if (!recency_.empty() && cache_.size() >= options_.cache_capacity) {
    const auto victim = cache_.find(recency_.back());
    // A cached key is always a stored one: its stored form stays in stored_.
    OPENSSL_cleanse(victim->second.key.data(), victim->second.key.size());
    cache_.erase(victim);
    recency_.pop_back();
  }
  recency_.emplace_front(subject_id);
  cache_.emplace(std::string(subject_id), CachedKey{key, recency_.begin()});
}

Result<bool> PersonalDataVault::is_erased_locked(std::string_view subject_id) const {
  Result<std::optional<std::string>> mark =
      store_.side_get(eventstore::kSideKeys, side_key(kErasedPrefix, subject_id));
  if (!mark) return mark.error();
  return mark->has_value();
}

Status PersonalDataVault::load_index_locked() const {
  if (index_loaded_) return ok_status();
  StoredKeys stored;
  SubjectMap<bool> erased;
  Status keys = store_.side_scan(eventstore::kSideKeys, kKeyPrefix,
                                 [&](std::string_view key, std::string_view value) {
                                   stored.put(key.substr(kKeyPrefix.size()), value);
                                   return true;
                                 });
  Status marks = keys ? store_.side_scan(eventstore::kSideKeys, kErasedPrefix,
                                         [&](std::string_view key, std::string_view) {
                                           erased.emplace(key.substr(kErasedPrefix.size()), true);
                                           return true;
                                         })
                      : keys;
  if (!marks) {
    stored.wipe_all();
    return marks;
  }
  stored_ = std::move(stored);
  erased_ = std::move(erased);
  index_loaded_ = true;
  return ok_status();
}

Result<PersonalDataVault::KeyLookup> PersonalDataVault::find_key_locked(std::string_view subject_id,
                                                                        Unknown unknown) const {
  if (auto it = cache_.find(subject_id); it != cache_.end()) {
    recency_.splice(recency_.begin(), recency_, it->second.recency);
    return KeyLookup{it->second.key, false};
  }
  if (auto it = staged_.find(subject_id); it != staged_.end()) {
    return KeyLookup{it->second.key, false};
  }
  if (Status loaded = load_index_locked(); !loaded) return loaded.error();
  if (erased_.contains(subject_id)) return KeyLookup{std::nullopt, true};
  if (const auto stored = stored_.find(subject_id)) {
    Result<AeadKey> key = decode_stored_key(subject_id, *stored);
    if (!key) return key.error();
    cache_locked(subject_id, *key);
    return KeyLookup{*key, false};
  }
  if (unknown == Unknown::kIsNew) {
    return KeyLookup{std::nullopt, false};  // new (key_vault.h, "One writer")
  }
  // Unknown to this vault: another one may have stored it since the scan.
  Result<bool> erased = is_erased_locked(subject_id);
  if (!erased) return erased.error();
  if (*erased) return KeyLookup{std::nullopt, true};
  Result<std::optional<std::string>> stored =
      store_.side_get(eventstore::kSideKeys, side_key(kKeyPrefix, subject_id));
  if (!stored) return stored.error();
  if (!stored->has_value()) return KeyLookup{std::nullopt, false};
  Result<AeadKey> key = decode_stored_key(subject_id, **stored);
  if (key) stored_.put(subject_id, **stored);
  OPENSSL_cleanse((*stored)->data(), (*stored)->size());
  if (!key) return key.error();
  cache_locked(subject_id, *key);
  return KeyLookup{*key, false};
}

Result<std::string> PersonalDataVault::seal(std::string_view subject_id,
                                            std::string_view plaintext) {
  if (subject_id.empty()) return invalid_subject();
  AeadKey key{};
  {
    std::lock_guard<std::mutex> lock(mu_);
    Result<KeyLookup> found = find_key_locked(subject_id, Unknown::kReadStore);
    if (!found) return found.error();
    if (found->erased) {
      return Error{ErrorCode::kInvalidArgument,
                   "personal data of an erased subject is not sealed again",
                   {}};
    }
    if (found->key) {
      key = *found->key;
    } else {
      key = generate_aead_key();
      std::string stored = encode_stored_key(subject_id, key);
      // Stored (synced) before any ciphertext made with it leaves the vault.
      if (Status s =
              store_.side_put(eventstore::kSideKeys, side_key(kKeyPrefix, subject_id), stored);
          !s) {
        OPENSSL_cleanse(key.data(), key.size());
        OPENSSL_cleanse(stored.data(), stored.size());
        return s.error();
      }
      if (index_loaded_) stored_.put(subject_id, stored);
      OPENSSL_cleanse(stored.data(), stored.size());
      cache_locked(subject_id, key);
    }
  }
  std::string sealed = crypto::seal(key, plaintext, subject_id);
  OPENSSL_cleanse(key.data(), key.size());
  return base64url_encode(sealed);
}

Result<std::optional<eventstore::SidePut>> PersonalDataVault::stage(std::string_view subject_id) {
  if (subject_id.empty()) return invalid_subject();
  std::lock_guard<std::mutex> lock(mu_);
  const auto put = [&](const StagedKey& staged) {
    return std::optional<eventstore::SidePut>(eventstore::SidePut{
        std::string(eventstore::kSideKeys), side_key(kKeyPrefix, subject_id), staged.stored});
  };
  if (auto it = staged_.find(subject_id); it != staged_.end()) return put(it->second);
  // A subject the vault does not know is new (the vault is the key table's only
  // writer; see key_vault.h): no store read.
  Result<KeyLookup> found = find_key_locked(subject_id, Unknown::kIsNew);
  if (!found) return found.error();
  if (found->erased) {
    return Error{
        ErrorCode::kInvalidArgument, "personal data of an erased subject is not sealed again", {}};
  }
  if (found->key) return std::optional<eventstore::SidePut>();
  StagedKey staged;
  staged.key = generate_aead_key();
  staged.stored = encode_stored_key(subject_id, staged.key);
  return put(staged_.emplace(std::string(subject_id), std::move(staged)).first->second);
}

void PersonalDataVault::confirm(std::string_view subject_id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = staged_.find(subject_id);
  if (it == staged_.end()) return;
  cache_locked(subject_id, it->second.key);
  if (index_loaded_) stored_.put(subject_id, it->second.stored);
  OPENSSL_cleanse(it->second.key.data(), it->second.key.size());
  OPENSSL_cleanse(it->second.stored.data(), it->second.stored.size());
  staged_.erase(it);
}

Result<std::optional<std::string>> PersonalDataVault::open(std::string_view subject_id,
                                                           std::string_view sealed) const {
  if (subject_id.empty()) return invalid_subject();
  AeadKey key{};
  {
    std::lock_guard<std::mutex> lock(mu_);
    Result<KeyLookup> found = find_key_locked(subject_id, Unknown::kReadStore);
    if (!found) return found.error();
    if (!found->key) return std::optional<std::string>();
    key = *found->key;
  }
  std::optional<std::string> bytes = base64url_decode(sealed);
  if (!bytes) {
    OPENSSL_cleanse(key.data(), key.size());
    return Error{ErrorCode::kCorruption, "sealed personal data is not base64url", {}};
  }
  Result<std::string> plain = crypto::open(key, *bytes, subject_id);
  OPENSSL_cleanse(key.data(), key.size());
  if (!plain) {
    return Error{ErrorCode::kCorruption, "sealed personal data does not authenticate", {}};
  }
  return std::optional<std::string>(std::move(*plain));
}

Status PersonalDataVault::erase(std::string_view subject_id) {
  if (subject_id.empty()) return invalid_subject();
  std::lock_guard<std::mutex> lock(mu_);
  // The mark first: when it cannot be written, nothing has changed, in the store
  // or in memory (the key stays known, and stage() cannot take it for new).
  if (Status s = store_.side_put(eventstore::kSideKeys, side_key(kErasedPrefix, subject_id), "");
      !s) {
    return s;
  }
  if (auto it = cache_.find(subject_id); it != cache_.end()) {
    OPENSSL_cleanse(it->second.key.data(), it->second.key.size());
    recency_.erase(it->second.recency);
    cache_.erase(it);
  }
  if (auto it = staged_.find(subject_id); it != staged_.end()) {
    OPENSSL_cleanse(it->second.key.data(), it->second.key.size());
    OPENSSL_cleanse(it->second.stored.data(), it->second.stored.size());
    staged_.erase(it);
  }
  stored_.wipe(subject_id);
  if (index_loaded_) erased_.emplace(subject_id, true);
  return store_.side_erase(eventstore::kSideKeys, side_key(kKeyPrefix, subject_id));
}

Result<bool> PersonalDataVault::has_key(std::string_view subject_id) const {
  if (subject_id.empty()) return invalid_subject();
  std::lock_guard<std::mutex> lock(mu_);
  Result<KeyLookup> found = find_key_locked(subject_id, Unknown::kReadStore);
  if (!found) return found.error();
  return found->key.has_value();
}

Result<bool> PersonalDataVault::is_erased(std::string_view subject_id) const {
  if (subject_id.empty()) return invalid_subject();
  std::lock_guard<std::mutex> lock(mu_);
  return is_erased_locked(subject_id);
}

std::uint64_t PersonalDataVault::keys_unwrapped() const {
  std::lock_guard<std::mutex> lock(mu_);
  return unwrapped_;
}

}  // namespace ikv::crypto
