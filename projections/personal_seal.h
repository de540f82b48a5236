// PersonalSeal: how the read models hold personal data (a member's name,
// e-mail and phone, a join request's details): sealed, in memory as in their
// snapshots, and opened only while an answer that shows them is rendered.
//
// The view seals the fields of a MemberJoined or MemberDetailsChanged as it
// folds the event (MemberRecord::sealed_personal), JoinRequests a request's
// details (subject: the request id), and neither keeps anything else of them;
// a snapshot section copies the sealed text as it is, so a start from a
// snapshot opens nothing. The runner hands every unit its seal
// (Projection::seal_with, ReadModels).
//
// The registry seals with the personal-data vault (VaultSeal over
// crypto::PersonalDataVault: the subject's own key, so an erasure shreds what
// memory and every snapshot hold too). The key exists whenever the view seals:
// the view seals only fields its event carried in clear, which the codec
// sealed or opened with that key just before. A view given no seal (tests,
// tools) uses the process's ephemeral seal: one random key made at first use
// and never stored, so that what it seals cannot outlive the process.
//
// id() names the key a sealed text can be opened with; a snapshot section
// records it, and a section written under another one is not loaded (the
// view is rebuilt from the log instead): an ephemeral seal's texts are
// unreadable in another process.
//
// Thread-safety: implementations are safe to call from any thread.
//
//   VaultSeal seal(vault, vault);
//   std::optional<std::string> text = seal.seal_fields("m-1", {"Anna", "anna@example.fi", {}});
//   std::optional<domain::PersonalData> shown = seal.open_fields("m-1", *text);
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "codec/personal_data.h"
#include "domain/values.h"

namespace ikv::projections {

class PersonalSeal {
 public:
  virtual ~PersonalSeal() = default;

  // `plaintext` sealed for `subject` (a member or request id); nullopt when
  // the subject's key is erased (or cannot be read): the record then holds no
  // personal data.
  virtual std::optional<std::string> seal(std::string_view subject,
                                          std::string_view plaintext) const = 0;
  // The plaintext of a text seal() made for `subject`; nullopt once the
  // subject's key is erased, or when the text does not open.
  virtual std::optional<std::string> open(std::string_view subject,
                                          std::string_view sealed) const = 0;
  // The key the texts open with: "vault", or "ephemeral-<hex>" (see above).
  virtual std::string_view id() const = 0;

  // A member's fields, as seal() and open() (snapshot_io.h's personal piece).
  std::optional<std::string> seal_fields(std::string_view subject,
                                         const domain::PersonalData& fields) const;
  std::optional<domain::PersonalData> open_fields(std::string_view subject,
                                                  std::string_view sealed) const;

 protected:
  PersonalSeal() = default;
  PersonalSeal(const PersonalSeal&) = default;
  PersonalSeal& operator=(const PersonalSeal&) = default;
  PersonalSeal(PersonalSeal&&) = default;
  PersonalSeal& operator=(PersonalSeal&&) = default;
};

// Seals with the codec's sealer and opener (the registry's vault).
// REQUIRES: both outlive the seal.
class VaultSeal final : public PersonalSeal {
 public:
  VaultSeal(codec::PersonalDataSealer& sealer, const codec::PersonalDataOpener& opener)
      : sealer_(&sealer), opener_(&opener) {}

  std::optional<std::string> seal(std::string_view subject,
                                  std::string_view plaintext) const override;
  std::optional<std::string> open(std::string_view subject, std::string_view sealed) const override;
  std::string_view id() const override { return "vault"; }

 private:
  codec::PersonalDataSealer* sealer_;
  const codec::PersonalDataOpener* opener_;
};

// The process's ephemeral seal (AES-256-GCM under a random key never stored).
const PersonalSeal& ephemeral_seal();

// Personal data as a unit holds it: sealed, "" for none. Two seals of the same
// plaintext differ (a fresh random nonce each), so records compare only
// whether each holds some; what they open to is compared by the units' dump().
struct SealedPersonal {
  std::string text;

  bool empty() const { return text.empty(); }
  bool operator==(const SealedPersonal& other) const { return empty() == other.empty(); }
};

// The seal a unit uses: units compare equal under seals of the same id.
struct SealRef {
  const PersonalSeal* seal = &ephemeral_seal();

  bool operator==(const SealRef& other) const { return seal->id() == other.seal->id(); }
};

}  // namespace ikv::projections
