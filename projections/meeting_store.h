// MeetingStore: the view's meetings, each kept encoded (meeting_view.h:
// encode_meeting) with the version of its stream ("meeting-<id>"), laid out
// flat for the hundreds of thousands a registry holds.
//
// Layout: every meeting's bytes in one arena; per meeting id (an IdMap: the
// id's characters once) a 16-byte slot with the bytes' offset and size and
// the stream's version. Where a std::string per meeting cost 32 bytes and an
// allocation rounded up to its size class, and an unordered_map of stream
// names kept each meeting's version under a second copy of its id (about
// 130 bytes a meeting), a meeting here costs its bytes, its id and about 30
// bytes.
//
// Changes: put() writes a meeting's new bytes over its old ones when they fit
// (a meeting is re-encoded on each of its events), else at the arena's end;
// the bytes left behind are garbage, and once garbage is over a quarter of
// the arena (and over kCompactFloor) the arena is rewritten without it, in
// the same order. So views handed out by find() and for_each() are valid
// only until the next change: a reader holds them under the view's lock.
//
// Thread-safety: a plain value; not to be changed while another thread reads.
//
//   MeetingStore meetings;
//   meetings.put("m-1", encode_meeting(record));
//   meetings.raise_version("m-1", 3);
//   if (auto m = meetings.find("m-1")) decode_kept_meeting(m->bytes);
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/id_map.h"

namespace ikv::projections {

class MeetingStore {
 public:
  struct Entry {
    std::string_view bytes;     // as encode_meeting wrote them
    std::uint64_t version = 0;  // of the stream "meeting-<id>"; 0: none applied
  };

  // Arena garbage below this is never compacted away.
  static constexpr std::size_t kCompactFloor = std::size_t{1} << 20;

  std::optional<Entry> find(std::string_view meeting_id) const;
  bool contains(std::string_view meeting_id) const { return slots_.contains(meeting_id); }
  std::size_t size() const { return slots_.size(); }

  // Sets the meeting's bytes, adding it (at version 0) when new.
  void put(std::string_view meeting_id, std::string_view bytes);
  // Adds a meeting with its bytes and version; false (nothing changed) when
  // the id is already kept.
  bool add(std::string_view meeting_id, std::string_view bytes, std::uint64_t version);
  // Raises the meeting's stream version to `version` (a lower one changes
  // nothing); false when the meeting is not kept.
  bool raise_version(std::string_view meeting_id, std::uint64_t version);

  // f(id, entry) for each meeting, in the order they were first added.
  template <class F>
  void for_each(F&& f) const {
    slots_.for_each([&](std::string_view id, const Slot& s) { f(id, entry(s)); });
  }
  // The meetings by id.
  std::map<std::string_view, Entry> sorted() const;

  // Room for `meetings` meetings of `bytes` bytes in all.
  void reserve(std::size_t meetings, std::size_t bytes);
  // Gives back what growth left unused in the index (after a load). The
  // arena keeps its room: room never written is never resident, and it takes
  // the meetings to come.
  void shrink_to_fit();
  // Bytes in the arena no meeting uses (tests, diagnostics).
  std::size_t garbage() const { return garbage_; }

  // The same meetings with the same bytes and versions.
  bool operator==(const MeetingStore& other) const;

 private:
  struct Slot {
    std::uint64_t at = 0;
    std::uint32_t size = 0;
    std::uint32_t version = 0;
    bool operator==(const Slot&) const = default;
  };
  Entry entry(const Slot& s) const {
    return {std::string_view(arena_).substr(s.at, s.size), s.version};
  }
  Slot keep(std::string_view bytes);
  void compact_if_wasteful();

  IdMap<Slot> slots_;
  std::string arena_;
  std::size_t garbage_ = 0;
};

}  // namespace ikv::projections
