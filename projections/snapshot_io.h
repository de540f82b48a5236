// Snapshot I/O: the binary primitives of read-model and aggregate snapshots,
// and the personal-data pieces that must never be written in clear text.
//
// Grammar of the primitives (all written by SnapshotWriter, read back by
// SnapshotReader):
//
//   varint   := LEB128, 7 bits a byte, low bits first (at most 10 bytes)
//   svarint  := varint of the zigzag form (signed values)
//   string   := varint length | bytes
//   optional := 0x00 | 0x01 value
//   date     := svarint year | varint month | varint day (0: known to the month)
//   list     := varint count | item*
//   ascending positions := varint count | (varint delta from the previous, from 0)*
//
// Personal data (member names, e-mails, phones and anything derived from them)
// never goes into the body: a writer hands each piece to PersonalPieces, which
// numbers it, and the body keeps only that number. The owner of the snapshot
// seals the pieces per subject (member id) with the subject's own key and opens
// them on load; a piece whose subject's key is gone loads as absent (erased).
//
// Thread-safety: plain values; one writer or reader per thread.
//
//   SnapshotWriter w;
//   w.string("oulu");
//   w.varint(42);
//   SnapshotReader r(w.bytes());
//   std::string s = r.string();
//   std::uint64_t n = r.varint();
//   if (!r.ok()) return corrupt();
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/date.h"
#include "domain/values.h"

namespace ikv::projections {

class SnapshotWriter {
 public:
  void byte(std::uint8_t b) { out_.push_back(static_cast<char>(b)); }
  void boolean(bool b) { byte(b ? 1 : 0); }
  void varint(std::uint64_t v);
  void svarint(std::int64_t v);
  void string(std::string_view s);
  void optional_string(const std::optional<std::string>& s);
  void optional_svarint(const std::optional<std::int64_t>& v);
  void strings(const std::vector<std::string>& list);
  void date(const domain::Date& d);
  void optional_date(const std::optional<domain::Date>& d);
  void localized(const domain::LocalizedText& t);
  void personal(const domain::PersonalData& p);
  void ascending(const std::vector<std::uint64_t>& positions);
  // Bytes as they are (no length prefix): what another writer wrote.
  void raw(std::string_view bytes) { out_.append(bytes); }

  const std::string& bytes() const { return out_; }
  // The bytes written; the writer starts over empty.
  std::string take() {
    std::string out = std::move(out_);
    out_.clear();
    return out;
  }

 private:
  std::string out_;
};

// Reads what SnapshotWriter wrote. Never throws and never reads out of
// bounds: on malformed input it sets !ok() and returns empty values, so a
// caller checks ok() once at the end (and before trusting a count).
class SnapshotReader {
 public:
  explicit SnapshotReader(std::string_view bytes) : in_(bytes) {}

  std::uint8_t byte();
  bool boolean() { return byte() != 0; }
  std::uint64_t varint();
  std::int64_t svarint();
  std::string string();
  // A string without copying it: a view into the reader's bytes.
  std::string_view slice();
  // The next `n` bytes as they are (no length prefix).
  std::string_view slice_raw(std::size_t n);
  std::optional<std::string> optional_string();
  std::optional<std::int64_t> optional_svarint();
  std::vector<std::string> strings();
  domain::Date date();
  std::optional<domain::Date> optional_date();
  domain::LocalizedText localized();
  domain::PersonalData personal();
  std::vector<std::uint64_t> ascending();
  // A count of items each taking at least one byte; 0 and !ok() when it
  // cannot be (guards allocations against corrupt input).
  std::size_t count();

  // Hands `release` the bytes read so far, `step` bytes or more at a time
  // (checked as varints are read), and never reads them again: a loader of a
  // mapped file gives their pages back as it goes, so that a section is
  // never resident whole beside what is built from it. A view the reader
  // gave out (slice()) may point into released bytes: the mapping reads
  // them back from the file.
  void release_behind(std::function<void(std::string_view)> release, std::size_t step);

  bool ok() const { return ok_; }
  bool at_end() const { return pos_ == in_.size(); }
  // Bytes not read yet.
  std::size_t left() const { return in_.size() - pos_; }
  // Bytes read so far; since(offset()) taken earlier: the bytes read since.
  std::size_t offset() const { return pos_; }
  std::string_view since(std::size_t offset) const { return in_.substr(offset, pos_ - offset); }
  void fail() { ok_ = false; }

 private:
  void release_read();

  std::string_view in_;
  std::size_t pos_ = 0;
  bool ok_ = true;
  std::function<void(std::string_view)> release_;
  std::size_t release_step_ = 0;
  std::size_t released_ = 0;                               // bytes handed to release_
  std::size_t release_at_ = static_cast<std::size_t>(-1);  // pos_ that calls it next
};

// The personal-data pieces of one snapshot being written: what goes to the
// sealer, grouped by subject. Reference 0 means "no piece".
class PersonalPieces {
 public:
  struct Piece {
    std::string subject;    // the member id whose key seals it
    std::string plaintext;  // never stored as such
  };
  // Adds a piece; returns its reference (>= 1) for the body.
  std::uint64_t add(std::string_view subject, std::string plaintext);
  const std::vector<Piece>& pieces() const { return pieces_; }
  std::vector<Piece>& pieces() { return pieces_; }

 private:
  std::vector<Piece> pieces_;
};

// The opened pieces of one snapshot being read: by reference, nullopt when the
// piece's subject is erased (or the reference is 0).
class OpenedPieces {
 public:
  explicit OpenedPieces(std::vector<std::optional<std::string>> pieces = {})
      : pieces_(std::move(pieces)) {}
  // The plaintext of reference `ref`; nullopt for 0, an erased subject, or a
  // reference out of range.
  const std::optional<std::string>& get(std::uint64_t ref) const;

 private:
  std::vector<std::optional<std::string>> pieces_;
};

// A piece holding one optional PersonalData (the view's member record).
std::string encode_personal_piece(const domain::PersonalData& p);
std::optional<domain::PersonalData> decode_personal_piece(const std::optional<std::string>& piece);

}  // namespace ikv::projections
