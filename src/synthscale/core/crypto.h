// SHA-256 and a ChaCha20 CSPRNG, both through libsodium.
//
// Csprng is the only source of randomness for differential-privacy noise: keyed by a
// 32-byte noise key that is fresh from the operating system by default and never written
// anywhere; a user may supply one to reproduce a run, and only its SHA-256 commitment is
// recorded. Sampling randomness uses RandomStream instead.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "synthscale/core/status.h"

namespace synthscale {

using Sha256Digest = std::array<std::uint8_t, 32>;
using NoiseKey = std::array<std::uint8_t, 32>;

Sha256Digest Sha256(std::span<const std::uint8_t> bytes);
Sha256Digest Sha256(std::string_view bytes);
std::string ToHex(std::span<const std::uint8_t> bytes);

// Incremental SHA-256 for files and streams.
class Sha256Hasher {
 public:
  Sha256Hasher();
  void Update(std::span<const std::uint8_t> bytes);
  void Update(std::string_view bytes);
  Sha256Digest Finish();

 private:
  alignas(64) std::array<std::uint8_t, 128> state_{};  // crypto_hash_sha256_state
};

// SHA-256 of a whole file, read in blocks. Errors: kIO.
Result<Sha256Digest> Sha256File(const std::string& path);

// The ChaCha20 keystream (original variant: 64-bit nonce of zeros, 64-bit block counter)
// used as a cryptographically secure generator.
// Not thread-safe: one instance per mechanism call sequence.
class Csprng {
 public:
  explicit Csprng(const NoiseKey& key);
  ~Csprng();
  Csprng(const Csprng&) = delete;
  Csprng& operator=(const Csprng&) = delete;

  // A generator keyed from the operating system's entropy source.
  static Csprng FromOs();
  // A key read from a file of exactly 32 raw bytes or 64 hex digits. Errors: kIO, kInvalidData.
  static Result<NoiseKey> ReadKeyFile(const std::string& path);
  // SHA-256 commitment of the key: what provenance records instead of the key.
  Sha256Digest KeyCommitment() const;

  void Fill(std::span<std::uint8_t> out);
  std::uint64_t NextU64();
  // Uniform integer in [0, bound), exactly (rejection sampling). bound > 0.
  std::uint64_t UniformBelow(std::uint64_t bound);

  Csprng(Csprng&& other) noexcept;

 private:
  void RefillBuffer();

  NoiseKey key_;
  std::uint64_t block_counter_ = 0;
  std::array<std::uint8_t, 256> buffer_{};
  std::size_t buffer_used_ = 256;
};

// Random bytes from the operating system (libsodium's randombytes).
void OsRandomBytes(std::span<std::uint8_t> out);

}  // namespace synthscale
