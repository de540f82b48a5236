#include "projections/personal_seal.h"

#include "crypto/aead.h"
#include "crypto/encoding.h"
#include "crypto/random.h"
#include "projections/snapshot_io.h"

namespace ikv::projections {
namespace {

class EphemeralSeal final : public PersonalSeal {
 public:
  EphemeralSeal()
      : key_(crypto::generate_aead_key()),
        id_("ephemeral-" + crypto::hex_encode(crypto::random_bytes(8))) {}

  std::optional<std::string> seal(std::string_view subject,
                                  std::string_view plaintext) const override {
    return crypto::seal(key_, plaintext, subject);
  }
  std::optional<std::string> open(std::string_view subject,
                                  std::string_view sealed) const override {
    auto plain = crypto::open(key_, sealed, subject);
    if (!plain) return std::nullopt;
    return std::move(*plain);
  }
  std::string_view id() const override { return id_; }

 private:
  crypto::AeadKey key_;
  std::string id_;
};

}  // namespace

std::optional<std::string> PersonalSeal::seal_fields(std::string_view subject,
                                                     const domain::PersonalData& fields) const {
  return seal(subject, encode_personal_piece(fields));
}

std::optional<domain::PersonalData> PersonalSeal::open_fields(std::string_view subject,
                                                              std::string_view sealed) const {
  return decode_personal_piece(open(subject, sealed));
}

std::optional<std::string> VaultSeal::seal(std::string_view subject,
                                           std::string_view plaintext) const {
  auto sealed = sealer_->seal(subject, plaintext);
  if (!sealed) return std::nullopt;
  return std::move(*sealed);
}

std::optional<std::string> VaultSeal::open(std::string_view subject,
                                           std::string_view sealed) const {
  auto plain = opener_->open(subject, sealed);
  if (!plain || !*plain) return std::nullopt;
  return std::move(**plain);
}

const PersonalSeal& ephemeral_seal() {
  static const EphemeralSeal seal;
  return seal;
}

}  // namespace ikv::projections
