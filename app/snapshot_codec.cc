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
// Where the header's fields sit.
constexpr std::size_t kDigestAt = 4 + 4 + 8;
constexpr std::size_t kPersonalAt = kDigestAt + crypto::kDigestSize;
constexpr std::size_t kCountAt = kPersonalAt + 8;
constexpr std::size_t kHeaderSize = kCountAt + 4;

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

Status StringOutput::append(std::string_view bytes) {
  bytes_.append(bytes);
  return ok_status();
}

Status StringOutput::patch(std::uint64_t at, std::string_view bytes) {
  if (at > bytes_.size() || bytes.size() > bytes_.size() - at) {
    return Error{ErrorCode::kInternal, "snapshot: a patch beyond the bytes written", {}};
  }
  bytes_.replace(static_cast<std::size_t>(at), bytes.size(), bytes);
  return ok_status();
}

SnapshotEncoder::SnapshotEncoder(SnapshotOutput& out, std::uint64_t position) : out_(out) {
  // The checksum, offset and count are patched in by finish().
  std::string header(kMagic);
  put_le(header, kSnapshotFormat, 4);
  put_le(header, position, 8);
  header.append(kHeaderSize - header.size(), '\0');
  status_ = out_.append(header);
}

Status SnapshotEncoder::fail(std::string why) {
  status_ = Error{ErrorCode::kInternal, "snapshot encoder: " + std::move(why), {}};
  return status_;
}

Status SnapshotEncoder::begin_section(std::string_view name, std::uint32_t format,
                                      std::uint64_t position, std::uint64_t body_size) {
  if (!status_) return status_;
  if (body_hash_) return fail("a section begun inside another");
  SnapshotWriter w;
  w.string(name);
  w.varint(format);
  w.varint(position);
  std::string head = w.take();
  digest_at_ = out_.size() + head.size();
  head.append(crypto::kDigestSize, '\0');  // patched in by end_section()
  w.varint(body_size);
  head.append(w.take());
  if (status_ = out_.append(head); !status_) return status_;
  body_hash_.emplace();
  body_left_ = body_size;
  return status_;
}

Status SnapshotEncoder::body(std::string_view part) {
  if (!status_) return status_;
  if (!body_hash_) return fail("a body outside a section");
  if (part.size() > body_left_) return fail("a body longer than announced");
  body_hash_->update(part);
  body_left_ -= part.size();
  status_ = out_.append(part);
  return status_;
}

Status SnapshotEncoder::end_section() {
  if (!status_) return status_;
  if (!body_hash_) return fail("a section ended that was not begun");
  if (body_left_ != 0) return fail("a body shorter than announced");
  const crypto::Digest digest = body_hash_->digest();
  body_hash_.reset();
  ++sections_;
  status_ = out_.patch(digest_at_, crypto::as_bytes(digest));
  return status_;
}

Status SnapshotEncoder::finish(const projections::PersonalPieces& pieces,
                               codec::PersonalDataSealer& sealer) {
  if (!status_) return status_;
  if (body_hash_) return fail("finished inside a section");
  // Group the pieces by subject, in first-seen order.
  std::unordered_map<std::string_view, std::size_t> group_of;
  std::vector<std::pair<std::string_view, std::vector<std::size_t>>> groups;
  const auto& list = pieces.pieces();
  for (std::size_t i = 0; i < list.size(); ++i) {
    auto [it, fresh] = group_of.try_emplace(list[i].subject, groups.size());
    if (fresh) groups.emplace_back(list[i].subject, std::vector<std::size_t>{});
    groups[it->second].second.push_back(i);
  }
  SnapshotWriter sealed_groups;
  std::uint64_t written = 0;
  for (const auto& [subject, indexes] : groups) {
    SnapshotWriter plain;
    plain.varint(indexes.size());
    for (std::size_t i : indexes) {
      plain.varint(i + 1);
      plain.string(list[i].plaintext);
    }
    auto sealed = sealer.seal(subject, plain.bytes());
    if (!sealed) {
      // An erased person is never sealed again: their data is left out.
      if (sealed.error().code == ErrorCode::kInvalidArgument) continue;
      status_ = sealed.error();
      return status_;
    }
    sealed_groups.string(subject);
    sealed_groups.string(*sealed);
    ++written;
  }
  SnapshotWriter personal;
  personal.varint(list.size());
  personal.varint(written);
  std::string part = personal.take();
  part.append(sealed_groups.bytes());
  const std::uint64_t offset = out_.size();
  const crypto::Digest digest = crypto::sha256(part);
  if (status_ = out_.append(part); !status_) return status_;
  std::string fields(crypto::as_bytes(digest));
  put_le(fields, offset, 8);
  put_le(fields, sections_, 4);
  status_ = out_.patch(kDigestAt, fields);
  return status_;
}

Status feed_draft(const SnapshotDraft& draft, DraftSink& sink) {
  for (const auto& section : draft.sections) {
    if (Status s =
            sink.begin_section(section.name, section.format, section.position, section.body.size());
        !s) {
      return s;
    }
    if (Status s = sink.body(section.body); !s) return s;
    if (Status s = sink.end_section(); !s) return s;
  }
  return ok_status();
}

Result<std::string> seal_snapshot(const SnapshotDraft& draft, codec::PersonalDataSealer& sealer) {
  StringOutput out;
  SnapshotEncoder encoder(out, draft.position);
  if (Status s = feed_draft(draft, encoder); !s) return s.error();
  if (Status s = encoder.finish(draft.pieces, sealer); !s) return s.error();
  return out.take();
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

namespace {

// Bytes between two calls of a loader's release.
constexpr std::size_t kReleaseStep = std::size_t{8} << 20;

// SHA-256 of `bytes`, handing each part to `release` once hashed.
crypto::Digest sha256_releasing(std::string_view bytes, const ReleaseBytes& release) {
  if (!release) return crypto::sha256(bytes);
  crypto::Sha256 hash;
  for (std::size_t at = 0; at < bytes.size(); at += kReleaseStep) {
    const std::string_view part = bytes.substr(at, kReleaseStep);
    hash.update(part);
    release(part);
  }
  return hash.digest();
}

}  // namespace

Result<LoadedSnapshot> open_snapshot(std::string_view bytes,
                                     const codec::PersonalDataOpener& opener,
                                     projections::ReadModels into, const ReleaseBytes& release) {
  if (bytes.size() < kHeaderSize || bytes.substr(0, 4) != kMagic) {
    return corrupt("not a snapshot");
  }
  const std::uint64_t format = get_le(bytes, 4, 4);
  if (format != kSnapshotFormat) return corrupt("unknown format " + std::to_string(format));
  LoadedSnapshot loaded{get_le(bytes, 8, 8), std::move(into), {}};
  const std::uint64_t personal_at = get_le(bytes, kPersonalAt, 8);
  const std::uint64_t count = get_le(bytes, kCountAt, 4);
  if (personal_at < kHeaderSize || personal_at > bytes.size()) {
    return corrupt("the personal part's offset is out of bounds");
  }
  const std::string_view personal_part = bytes.substr(personal_at);
  const crypto::Digest personal_digest = sha256_releasing(personal_part, release);
  if (std::memcmp(personal_digest.data(), bytes.data() + kDigestAt, crypto::kDigestSize) != 0) {
    return corrupt("checksum mismatch in the personal part");
  }
  SnapshotReader r(bytes.substr(kHeaderSize, personal_at - kHeaderSize));
  auto pieces = open_pieces(personal_part, opener);
  if (!pieces) return pieces.error();
  if (release) release(personal_part);
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
  for (std::uint64_t s = 0; s < count && r.ok(); ++s) {
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
    } else if (const crypto::Digest actual = sha256_releasing(section.body, release);
               std::memcmp(actual.data(), section.digest.data(), crypto::kDigestSize) != 0) {
      section.problem = "checksum mismatch";
    } else if (section.position > loaded.position) {
      section.problem =
          "covers position " + std::to_string(section.position) + " beyond the snapshot's";
    } else {
      SnapshotReader in(section.body);
      if (release) in.release_behind(release, kReleaseStep);
      if (!unit.load(in, opened) || !in.at_end()) section.problem = "the section does not parse";
    }
    if (release) release(section.body);
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
