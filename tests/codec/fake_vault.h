// FakeVault: a reversible stand-in for the personal-data key store, for codec
// tests. Each subject gets a key; sealing XORs the text with it and writes hex,
// so the clear text never shows. erase() forgets a key like crypto-shredding.
//
// Thread-safety: none; one test at a time.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "codec/personal_data.h"

namespace ikv::codec::testing {

class FakeVault final : public PersonalDataSealer, public PersonalDataOpener {
 public:
  Result<std::string> seal(std::string_view subject, std::string_view plaintext) override {
    if (fail_next_seal_) {
      fail_next_seal_ = false;
      return Error{ErrorCode::kIOError, "key store unavailable", std::nullopt};
    }
    auto [it, inserted] = keys_.try_emplace(std::string(subject), 0);
    if (inserted) it->second = static_cast<unsigned char>(0x5a + keys_.size() * 17);
    std::string out;
    for (const char c : plaintext) {
      const unsigned char b = static_cast<unsigned char>(c) ^ it->second;
      out.push_back(kHex[b >> 4]);
      out.push_back(kHex[b & 15]);
    }
    return out;
  }

  Result<std::optional<std::string>> open(std::string_view subject,
                                          std::string_view sealed) const override {
    const auto it = keys_.find(std::string(subject));
    if (it == keys_.end()) return std::optional<std::string>();
    if (sealed.size() % 2 != 0) return Error{ErrorCode::kCorruption, "odd length", std::nullopt};
    std::string out;
    for (std::size_t i = 0; i < sealed.size(); i += 2) {
      const int hi = nibble(sealed[i]);
      const int lo = nibble(sealed[i + 1]);
      if (hi < 0 || lo < 0) return Error{ErrorCode::kCorruption, "not hex", std::nullopt};
      out.push_back(static_cast<char>((hi << 4 | lo) ^ it->second));
    }
    return std::optional<std::string>(std::move(out));
  }

  void erase(std::string_view subject) { keys_.erase(std::string(subject)); }
  void fail_next_seal() { fail_next_seal_ = true; }

 private:
  static constexpr char kHex[] = "0123456789abcdef";
  static int nibble(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  }

  std::map<std::string, unsigned char> keys_;
  bool fail_next_seal_ = false;
};

}  // namespace ikv::codec::testing
