// PersonalSeal: how the read models hold a member's personal fields (name,
// e-mail, phone): sealed, in memory as in their snapshots, and opened only
// while an answer that shows them is rendered.
//
// The view seals the fields of a MemberJoined or MemberDetailsChanged as it
// folds the event (MemberRecord::sealed_personal) and keeps nothing else of
// them; a snapshot section copies the sealed text as it is, so a start from a
// snapshot opens nothing.
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
//   VaultSeal seal(vault);
//   std::optional<std::string> text = seal.seal("m-1", {"Anna", "anna@example.fi", {}});
//   std::optional<domain::PersonalData> shown = seal.open("m-1", *text);
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

  // The fields sealed for `subject` (a member id); nullopt when the subject's
  // key is erased (or cannot be read): the record then holds no personal data.
  virtual std::optional<std::string> seal(std::string_view subject,
                                          const domain::PersonalData& fields) const = 0;
  // The fields of a text seal() made for `subject`; nullopt once the subject's
  // key is erased, or when the text does not open.
  virtual std::optional<domain::PersonalData> open(std::string_view subject,
                                                   std::string_view sealed) const = 0;
  // The key the texts open with: "vault", or "ephemeral-<hex>" (see above).
  virtual std::string_view id() const = 0;

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
                                  const domain::PersonalData& fields) const override;
  std::optional<domain::PersonalData> open(std::string_view subject,
                                           std::string_view sealed) const override;
  std::string_view id() const override { return "vault"; }

 private:
  codec::PersonalDataSealer* sealer_;
  const codec::PersonalDataOpener* opener_;
};

// The process's ephemeral seal (AES-256-GCM under a random key never stored).
const PersonalSeal& ephemeral_seal();

}  // namespace ikv::projections
