// Personal-data sealing: the codec never writes a member's name, e-mail or
// phone in clear text. It hands them, serialised (a FlatBuffers PersonalFields
// buffer since storage contract v2, JSON in release 1), to a
// PersonalDataSealer, which encrypts them with the person's own key, and reads
// them back through a
// PersonalDataOpener, which answers nullopt once the key has been erased
// (crypto-shredding). The AES-256-GCM implementation lives in crypto/.
//
// Thread-safety: implementations document their own; the codec calls them from
// the thread that encodes or decodes.
//
//   class MySealer : public PersonalDataSealer { ... };
//   auto encoded = codec::encode(event, sealer);
//   auto decoded = codec::decode(type, version, payload, opener);
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace ikv::codec {

class PersonalDataSealer {
 public:
  virtual ~PersonalDataSealer() = default;

  // Encrypts `plaintext` (the serialised PersonalData fields: any bytes) for subject
  // `subject_id` (the member id), creating the subject's key if it has none.
  // Returns an opaque, JSON-safe string (e.g. base64), or an error (for
  // example when the subject's key was erased: personal data of an erased
  // person is not written again).
  virtual Result<std::string> seal(std::string_view subject_id, std::string_view plaintext) = 0;

 protected:
  // Implementations may be copied and moved; the interface alone may not (no slicing).
  PersonalDataSealer() = default;
  PersonalDataSealer(const PersonalDataSealer&) = default;
  PersonalDataSealer& operator=(const PersonalDataSealer&) = default;
  PersonalDataSealer(PersonalDataSealer&&) = default;
  PersonalDataSealer& operator=(PersonalDataSealer&&) = default;
};

class PersonalDataOpener {
 public:
  virtual ~PersonalDataOpener() = default;

  // Decrypts what seal() returned for `subject_id`. Returns std::nullopt when
  // the subject's key has been erased; kCorruption when `sealed` does not
  // authenticate; other errors when the key store fails.
  virtual Result<std::optional<std::string>> open(std::string_view subject_id,
                                                  std::string_view sealed) const = 0;

 protected:
  // Implementations may be copied and moved; the interface alone may not (no slicing).
  PersonalDataOpener() = default;
  PersonalDataOpener(const PersonalDataOpener&) = default;
  PersonalDataOpener& operator=(const PersonalDataOpener&) = default;
  PersonalDataOpener(PersonalDataOpener&&) = default;
  PersonalDataOpener& operator=(PersonalDataOpener&&) = default;
};

// An opener for readers that must not or need not see personal data (reports,
// analysts' replays): every subject reads as erased. Counts stay right.
class WithoutPersonalData final : public PersonalDataOpener {
 public:
  Result<std::optional<std::string>> open(std::string_view /*subject_id*/,
                                          std::string_view /*sealed*/) const override {
    return std::optional<std::string>();
  }
};

}  // namespace ikv::codec
