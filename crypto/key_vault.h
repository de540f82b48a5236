// PersonalDataVault: crypto-shredding of personal data (names, e-mail
// addresses, phone numbers) that must never sit in the immutable log in clear.
//
// Each subject (a person, named by a stable id such as their member id) gets a
// random 256-bit data key, created on the first seal() and stored, synced,
// in the event store's side table eventstore::kSideKeys before any ciphertext
// made with it is handed out. seal() encrypts with AES-256-GCM under that key,
// with the subject id as associated data (so a ciphertext cannot be passed off
// as another person's), and returns text that can go into an event payload.
// erase() marks the subject as erased and deletes the key (the store compacts
// it away): from then on open() answers std::nullopt for every ciphertext of
// that subject, on every replay, and seal() refuses the subject for good.
//
// The vault is the codec's PersonalDataSealer and PersonalDataOpener.
//
// With VaultOptions::master_key set (see master_key.h) the data keys are stored
// wrapped under the master key, so the store's files alone reveal nothing.
// A vault must always be opened the same way: a key stored wrapped cannot be
// read without the master key, nor a plain one with it (kCorruption).
//
// Thread-safety: all methods may be called from any thread. A small cache of
// data keys (least recently used dropped first) and every key-table access are guarded by mu_, so
// an erase() cannot be undone by a concurrent open() putting the old key back in the cache.
// Personal data is sealed and opened outside mu_ (aead.h); data keys are
// wrapped and unwrapped under it.
//
// Key lookups: on its first lookup the vault reads the whole key table in one
// scan and keeps the stored (wrapped, when a master key is set) keys and the
// erasure marks in memory (StoredKeys: one byte arena and a flat id map); a
// stored key is unwrapped into the bounded cache when used, so a replay of
// the log costs no store read per person. From then on, as long as the vault
// is the table's only writer, its index is authoritative: it holds the stored
// form of every key the scan found and of every key it has since stored (a
// seal() or a confirmed stage()), and the erasure marks it found or wrote. A
// key dropped from a full cache is unwrapped again from that index when next
// used, with no store read.
//
// One writer: the vault must be the only writer of the key table (the server
// opens one vault per store). stage(), the server's write path, relies on it:
// a subject the vault does not know is new, and staging its key reads nothing
// from the store. seal(), open() and has_key() still read the store for a
// subject the vault does not know (its erasure mark, then its key), for a
// second vault opened on the same store in turn (tests, tools reading a store):
// open() then finds a key written since its scan, and seal() does not replace
// it. These reads do not make two writers safe, and stage() could not use them
// to: the batch carrying a staged key overwrites whatever the table holds by
// then, and an erase() through one vault does not reach another's cache.
//
//   PersonalDataVault vault(store, {.master_key = master});
//   auto box = vault.seal(member_id, "coordinator@example.fi");  // base64url
//   auto plain = vault.open(member_id, *box);   // optional<string>: nullopt if erased
//   vault.erase(member_id);
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "codec/personal_data.h"
#include "common/id_map.h"
#include "common/result.h"
#include "crypto/aead.h"
#include "eventstore/event_store.h"

namespace ikv::crypto {

struct VaultOptions {
  // When set, data keys are stored encrypted under this key. Default: stored as
  // they are (the store's files then hold the keys next to the ciphertexts).
  std::optional<AeadKey> master_key;
  // Data keys kept in memory; when full, one cached key is dropped per new one.
  std::size_t cache_capacity = 4096;
};

class PersonalDataVault final : public codec::PersonalDataSealer, public codec::PersonalDataOpener {
 public:
  // REQUIRES: `store` outlives the vault.
  explicit PersonalDataVault(eventstore::EventStore& store, VaultOptions options = {});
  ~PersonalDataVault() override;

  PersonalDataVault(const PersonalDataVault&) = delete;
  PersonalDataVault& operator=(const PersonalDataVault&) = delete;
  PersonalDataVault(PersonalDataVault&&) = delete;
  PersonalDataVault& operator=(PersonalDataVault&&) = delete;

  // Encrypts `plaintext` for `subject_id`, creating and durably storing the
  // subject's key on first use. Returns unpadded base64url text.
  // Errors: kInvalidArgument for an empty subject id or an erased subject; the
  // store's error when the key cannot be read or stored (nothing is sealed
  // then); kCorruption when the stored key cannot be read with these options.
  Result<std::string> seal(std::string_view subject_id, std::string_view plaintext) override;

  // Staging: a new subject's key written in the same atomic batch as the first
  // event sealed with it (one sync instead of two, and no key without event).
  // stage() returns the side-table write to add to that batch, or nullopt when
  // the subject already has a stored key; until confirm(), seal() uses the
  // staged key and every stage() returns the same write again (a retried
  // append must carry it too). Once the key table is loaded (the first lookup
  // of any kind scans it), staging a subject the vault does not know reads
  // nothing from the store. REQUIRES: the vault is the key table's only writer
  // (see "One writer" above). Errors: as seal().
  Result<std::optional<eventstore::SidePut>> stage(std::string_view subject_id);
  // The batch carrying the staged key is durable.
  void confirm(std::string_view subject_id);

  // Decrypts text made by seal() for the same subject. Returns std::nullopt when
  // the subject is erased or has no key.
  // Errors: kCorruption when `sealed` is not base64url or does not authenticate
  // under the subject's key; the store's error when the key cannot be read.
  Result<std::optional<std::string>> open(std::string_view subject_id,
                                          std::string_view sealed) const override;

  // Marks the subject as erased, then deletes its key from the store (compacted
  // away on disk) and from the cache. Idempotent; a subject without a key can
  // be erased too. When the mark cannot be written nothing changes; when the
  // key cannot be deleted the erasure is partial (the subject is then already
  // refused by seal()). Either way: call erase() again. Errors: the store's.
  Status erase(std::string_view subject_id);

  // Whether the subject has a usable key (created and not erased).
  // Errors: the store's; kCorruption as for seal().
  Result<bool> has_key(std::string_view subject_id) const;

  // Whether erase() was called for the subject. Errors: the store's.
  Result<bool> is_erased(std::string_view subject_id) const;

  // Stored keys unwrapped (read into the cache) since construction (tests,
  // diagnostics).
  std::uint64_t keys_unwrapped() const;

 private:
  struct KeyLookup {
    std::optional<AeadKey> key;  // unset: no key (never created, or erased)
    bool erased = false;         // the subject's erasure mark is stored
  };
  // Hashes std::string and std::string_view alike (lookups without a copy).
  struct SubjectHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  template <class V>
  using SubjectMap = std::unordered_map<std::string, V, SubjectHash, std::equal_to<>>;

  // What find_key_locked() does for a subject the vault does not know: in none
  // of cache_, staged_, stored_, erased_, dropped_ once the index is loaded.
  enum class Unknown {
    kReadStore,  // reads its erasure mark and its key from the store
    kIsNew,      // answers "no key, not erased" without a store read (stage())
  };
  // The subject's key from the cache, the staged keys, the index or the store.
  // REQUIRES: mu_ held.
  Result<KeyLookup> find_key_locked(std::string_view subject_id, Unknown unknown) const;
  // The stored form of subjects' keys, in one byte arena (a key costs its
  // stored form, its subject id and a few bytes of index instead of two
  // strings and a hash node). Growing the arena frees its older copy without
  // wiping it: it holds stored forms only, wrapped when a master key is set
  // and as they are on disk otherwise; wipe() zeroes a form in place.
  class StoredKeys {
   public:
    // The stored form of `subject_id`'s key, if known; valid until the next put().
    std::optional<std::string_view> find(std::string_view subject_id) const;
    // Sets `subject_id`'s stored form (an older one is wiped).
    void put(std::string_view subject_id, std::string_view stored);
    // Zeroes and forgets `subject_id`'s stored form.
    void wipe(std::string_view subject_id);
    // Zeroes every stored form.
    void wipe_all();

   private:
    struct Span {
      std::uint32_t at = 0;
      std::uint32_t size = 0;
      bool operator==(const Span&) const = default;
    };
    IdMap<Span> spans_;
    std::string bytes_;
  };

  // Reads the key table into stored_ and erased_ once. REQUIRES: mu_ held.
  Status load_index_locked() const;
  // Whether the subject's erasure mark is stored. REQUIRES: mu_ held.
  Result<bool> is_erased_locked(std::string_view subject_id) const;
  // Adds a key to the cache (or refreshes it) as the most recently used,
  // dropping the least recently used one if full (its stored form stays in
  // stored_). REQUIRES: mu_ held.
  void cache_locked(std::string_view subject_id, const AeadKey& key) const;
  // The side-table value for `key` and back (format in key_vault.cc).
  std::string encode_stored_key(std::string_view subject_id, const AeadKey& key) const;
  Result<AeadKey> decode_stored_key(std::string_view subject_id, std::string_view stored) const;

  // Constant after construction.
  eventstore::EventStore& store_;
  VaultOptions options_;

  mutable std::mutex mu_;
  // Guarded by mu_: subject id -> data key, for subjects not erased, and
  // the subjects from the most to the least recently used: a full cache
  // drops the least recently used key (the keys of the rows a page shows
  // again and again stay).
  struct CachedKey {
    AeadKey key{};
    std::list<std::string>::iterator recency;
  };
  mutable SubjectMap<CachedKey> cache_;
  mutable std::list<std::string> recency_;
  // Guarded by mu_: keys staged for a batch not yet known to be durable, with
  // the stored form that batch writes (stage() hands out the same one again).
  struct StagedKey {
    AeadKey key{};
    std::string stored;
  };
  SubjectMap<StagedKey> staged_;
  // Guarded by mu_: the key table as read by load_index_locked() and kept up
  // to date since: every known subject's stored key, and the erased subjects.
  mutable bool index_loaded_ = false;
  mutable StoredKeys stored_;
  mutable SubjectMap<bool> erased_;
  mutable std::uint64_t unwrapped_ = 0;  // guarded by mu_
};

}  // namespace ikv::crypto
