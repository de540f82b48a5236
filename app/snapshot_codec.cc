#include "app/snapshot_codec.h"

#include <algorithm>
#include <cstring>
#include <future>
#include <unordered_map>
#include <utility>
#include <vector>

#include "crypto/hash.h"

namespace ikv::app {
namespace {

using projections::SnapshotReader;
using projections::SnapshotWriter;

constexpr std::string_view kMagic = "IKVS";
constexpr std::size_t kHeaderSize = 4 + 4 + 8 + crypto::kDigestSize;

void put_le(std::string& out, std::uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

std::uint64_t get_le(std::string_view in, std::size_t at, int bytes) {
  std::uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) {
    v |= static_cast<std::uint64_t>(static_cast<std::uint8_t>(in[at + i])) << (8 * i);
  }
  return v;
}

Error corrupt(std::string message) {
  return Error{ErrorCode::kCorruption, "registry snapshot: " + std::move(message), {}};
}

}  // namespace

void draft_sections(const projections::ReadModels& models, std::uint64_t position,
                    projections::PersonalPieces& pieces,
                    const std::function<void(SnapshotDraft::Section)>& out) {
  for (const auto& unit : models.units()) {
    SnapshotWriter body;
    unit->save(body, pieces);
    out({std::string(unit->name()), unit->format(), std::min(unit->applied_position(), position),
         body.take()});
  }
}

SnapshotDraft draft_snapshot(const projections::ReadModels& models, std::uint64_t position) {
  SnapshotDraft d;
  d.position = position;
  draft_sections(models, position, d.pieces,
                 [&](SnapshotDraft::Section section) { d.sections.push_back(std::move(section)); });
  return d;
}

Result<std::string> seal_snapshot(SnapshotDraft draft, codec::PersonalDataSealer& sealer) {
  // Group the pieces by subject, in first-seen order.
  std::unordered_map<std::string_view, std::size_t> group_of;
  std::vector<std::pair<std::string_view, std::vector<std::size_t>>> groups;
  const auto& pieces = draft.pieces.pieces();
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    auto [it, fresh] = group_of.try_emplace(pieces[i].subject, groups.size());
    if (fresh) groups.emplace_back(pieces[i].subject, std::vector<std::size_t>{});
    groups[it->second].second.push_back(i);
  }
  // Sealed first (the body's count of written groups precedes them).
  SnapshotWriter sealed_groups;
  std::uint64_t written = 0;
  for (const auto& [subject, indexes] : groups) {
    SnapshotWriter plain;
    plain.varint(indexes.size());
    for (std::size_t i : indexes) {
      plain.varint(i + 1);
      plain.string(pieces[i].plaintext);
    }
    auto sealed = sealer.seal(subject, plain.bytes());
    if (!sealed) {
      // An erased person is never sealed again: their data is left out.
      if (sealed.error().code == ErrorCode::kInvalidArgument) continue;
      return sealed.error();
    }
    sealed_groups.string(subject);
    sealed_groups.string(*sealed);
    ++written;
  }
  // The header with room for the personal part's checksum, the personal
  // part in place, then the sections.
  std::string out;
  std::size_t size = kHeaderSize + sealed_groups.bytes().size() + 64;
  for (const auto& section : draft.sections) size += section.body.size() + 64;
  out.reserve(size);
  out.append(kMagic);
  put_le(out, kSnapshotFormat, 4);
  put_le(out, draft.position, 8);
  out.append(crypto::kDigestSize, '\0');
  SnapshotWriter personal;
  personal.varint(pieces.size());
  personal.varint(written);
  std::string personal_part = personal.take();
  personal_part.append(sealed_groups.bytes());
  const crypto::Digest personal_digest = crypto::sha256(personal_part);
  std::memcpy(out.data() + (kHeaderSize - crypto::kDigestSize), personal_digest.data(),
              personal_digest.size());
  SnapshotWriter w;
  w.string(personal_part);
  w.varint(draft.sections.size());
  out.append(w.take());
  for (const auto& section : draft.sections) {
    w.string(section.name);
    w.varint(section.format);
    w.varint(section.position);
    out.append(w.take());
    const crypto::Digest digest = crypto::sha256(section.body);
    out.append(reinterpret_cast<const char*>(digest.data()), digest.size());
    w.string(section.body);
    out.append(w.take());
  }
  return out;
}

std::optional<std::uint64_t> snapshot_position(std::string_view bytes) {
  if (bytes.size() < kHeaderSize || bytes.substr(0, 4) != kMagic) return std::nullopt;
  if (get_le(bytes, 4, 4) != kSnapshotFormat) return std::nullopt;
  return get_le(bytes, 8, 8);
}

// The personal part's pieces, opened (nullopt: erased).
Result<std::vector<std::optional<std::string>>> open_pieces(
    std::string_view part, const codec::PersonalDataOpener& opener) {
  std::vector<std::optional<std::string>> out;
  SnapshotReader r(part);
  const std::size_t piece_count = r.count();
  out.resize(piece_count);
  for (std::size_t g = 0, groups = r.count(); g < groups && r.ok(); ++g) {
    const std::string_view subject = r.slice();
    const std::string_view sealed = r.slice();
    if (!r.ok()) break;
    auto plain = opener.open(subject, sealed);
    if (!plain) return plain.error();
    if (!*plain) continue;  // erased since: the member loads without personal data
    SnapshotReader p(**plain);
    for (std::size_t i = 0, n = p.count(); i < n && p.ok(); ++i) {
      const std::uint64_t ref = p.varint();
      std::string piece = p.string();
      if (ref == 0 || ref > piece_count) p.fail();
      if (p.ok()) out[ref - 1] = std::move(piece);
    }
    if (!p.ok()) return corrupt("a personal-data piece does not parse");
  }
  if (!r.ok() || !r.at_end()) return corrupt("the personal part does not parse");
  return out;
}

Result<LoadedSnapshot> open_snapshot(std::string_view bytes,
                                     const codec::PersonalDataOpener& opener,
                                     projections::ReadModels into) {
  if (bytes.size() < kHeaderSize || bytes.substr(0, 4) != kMagic) {
    return corrupt("not a snapshot");
  }
  const std::uint64_t format = get_le(bytes, 4, 4);
  if (format != kSnapshotFormat) return corrupt("unknown format " + std::to_string(format));
  LoadedSnapshot loaded{get_le(bytes, 8, 8), std::move(into), {}};
  SnapshotReader r(bytes.substr(kHeaderSize));
  const std::string_view personal_part = r.slice();
  if (!r.ok()) return corrupt("the personal part does not parse");
  const crypto::Digest personal_digest = crypto::sha256(personal_part);
  if (std::memcmp(personal_digest.data(), bytes.data() + (kHeaderSize - crypto::kDigestSize),
                  crypto::kDigestSize) != 0) {
    return corrupt("checksum mismatch in the personal part");
  }
  auto pieces = open_pieces(personal_part, opener);
  if (!pieces) return pieces.error();
  const projections::OpenedPieces opened(std::move(*pieces));

  // The sections first; then each unit checks and loads its own, the units
  // on two threads (they share nothing but the opened pieces, read only).
  struct Section {
    projections::Projection* unit = nullptr;
    std::string name;
    std::uint64_t format = 0;
    std::uint64_t position = 0;
    std::string_view digest;
    std::string_view body;
    std::string problem;  // empty: loaded
  };
  std::vector<Section> sections;
  const std::size_t count = r.count();
  for (std::size_t s = 0; s < count && r.ok(); ++s) {
    Section section;
    section.name = r.string();
    section.format = r.varint();
    section.position = r.varint();
    section.digest = r.slice_raw(crypto::kDigestSize);
    section.body = r.slice();
    if (!r.ok()) break;
    section.unit = loaded.models.find(section.name);
    if (section.unit == nullptr) continue;  // a unit no longer registered
    sections.push_back(std::move(section));
  }
  if (!r.ok() || !r.at_end()) return corrupt("the sections do not parse");
  const auto load = [&](Section& section) {
    projections::Projection& unit = *section.unit;
    if (section.format != unit.format()) {
      section.problem =
          "format " + std::to_string(section.format) + ", now " + std::to_string(unit.format());
    } else if (const crypto::Digest actual = crypto::sha256(section.body);
               std::memcmp(actual.data(), section.digest.data(), crypto::kDigestSize) != 0) {
      section.problem = "checksum mismatch";
    } else if (section.position > loaded.position) {
      section.problem =
          "covers position " + std::to_string(section.position) + " beyond the snapshot's";
    } else if (SnapshotReader in(section.body); !unit.load(in, opened) || !in.at_end()) {
      section.problem = "the section does not parse";
    }
    if (!section.problem.empty()) unit.clear();
  };
  // The largest section on a thread of its own, the others on this one.
  const auto largest = std::max_element(
      sections.begin(), sections.end(),
      [](const Section& a, const Section& b) { return a.body.size() < b.body.size(); });
  std::future<void> apart;
  if (largest != sections.end()) {
    apart = std::async(std::launch::async, [&load, &section = *largest] { load(section); });
  }
  for (auto it = sections.begin(); it != sections.end(); ++it) {
    if (it != largest) load(*it);
  }
  if (apart.valid()) apart.get();
  std::vector<std::string> loaded_units;
  for (const Section& section : sections) {
    if (!section.problem.empty()) {
      loaded.rebuilt.push_back(section.name + ": " + section.problem);
      continue;
    }
    projections::ReadModels::set_position(*section.unit, section.position);
    loaded_units.push_back(section.name);
  }
  for (const auto& unit : loaded.models.units()) {
    if (std::find(loaded_units.begin(), loaded_units.end(), unit->name()) == loaded_units.end() &&
        std::none_of(loaded.rebuilt.begin(), loaded.rebuilt.end(), [&](const std::string& why) {
          return why.starts_with(std::string(unit->name()) + ":");
        })) {
      loaded.rebuilt.push_back(std::string(unit->name()) + ": no section");
    }
  }
  return loaded;
}

}  // namespace ikv::app
