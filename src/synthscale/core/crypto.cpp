#include "synthscale/core/crypto.h"

#include <sodium.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>

namespace synthscale {
namespace {

void EnsureSodium() {
  // sodium_init is thread-safe and idempotent; it fails only without an entropy source.
  static const int kInit = sodium_init();
  (void)kInit;
}

crypto_hash_sha256_state* AsState(std::array<std::uint8_t, 128>& storage) {
  static_assert(sizeof(crypto_hash_sha256_state) <= 128);
  return reinterpret_cast<crypto_hash_sha256_state*>(storage.data());
}

}  // namespace

Sha256Digest Sha256(std::span<const std::uint8_t> bytes) {
  Sha256Digest digest;
  crypto_hash_sha256(digest.data(), bytes.data(), bytes.size());
  return digest;
}

Sha256Digest Sha256(std::string_view bytes) {
  return Sha256(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                              bytes.size()));
}

std::string ToHex(std::span<const std::uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (std::uint8_t byte : bytes) {
    out.push_back(kDigits[byte >> 4]);
    out.push_back(kDigits[byte & 0xF]);
  }
  return out;
}

Sha256Hasher::Sha256Hasher() { crypto_hash_sha256_init(AsState(state_)); }

void Sha256Hasher::Update(std::span<const std::uint8_t> bytes) {
  crypto_hash_sha256_update(AsState(state_), bytes.data(), bytes.size());
}

void Sha256Hasher::Update(std::string_view bytes) {
  Update(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                       bytes.size()));
}

Sha256Digest Sha256Hasher::Finish() {
  Sha256Digest digest;
  crypto_hash_sha256_final(AsState(state_), digest.data());
  return digest;
}

Result<Sha256Digest> Sha256File(const std::string& path) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) return IOError("cannot open '" + path + "' for reading: " + std::strerror(errno), path);
  Sha256Hasher hasher;
  std::array<std::uint8_t, 1 << 16> buffer;
  while (true) {
    const std::size_t got = std::fread(buffer.data(), 1, buffer.size(), file.get());
    hasher.Update(std::span<const std::uint8_t>(buffer.data(), got));
    if (got < buffer.size()) break;
  }
  if (std::ferror(file.get())) return IOError("error while reading '" + path + "'", path);
  return hasher.Finish();
}

void OsRandomBytes(std::span<std::uint8_t> out) {
  EnsureSodium();
  randombytes_buf(out.data(), out.size());
}

Csprng::Csprng(const NoiseKey& key) : key_(key) { EnsureSodium(); }

Csprng::~Csprng() {
  sodium_memzero(key_.data(), key_.size());
  sodium_memzero(buffer_.data(), buffer_.size());
}

Csprng::Csprng(Csprng&& other) noexcept
    : key_(other.key_),
      block_counter_(other.block_counter_),
      buffer_(other.buffer_),
      buffer_used_(other.buffer_used_) {
  sodium_memzero(other.key_.data(), other.key_.size());
}

Csprng Csprng::FromOs() {
  NoiseKey key;
  OsRandomBytes(key);
  Csprng generator(key);
  sodium_memzero(key.data(), key.size());
  return generator;
}

Result<NoiseKey> Csprng::ReadKeyFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return IOError("cannot open noise key file '" + path + "'", path);
  // istream::read turns read errors (e.g. a directory) into badbit; an istreambuf_iterator
  // would let them escape as exceptions. Key files are tiny: reading a bounded prefix also
  // keeps a mistaken --noise-key-file /dev/urandom from reading forever.
  std::string content(4096, '\0');
  in.read(content.data(), static_cast<std::streamsize>(content.size()));
  if (in.bad()) return IOError("cannot read noise key file '" + path + "' (is it a directory?)", path);
  content.resize(static_cast<std::size_t>(in.gcount()));
  NoiseKey key;
  if (content.size() == key.size()) {
    std::memcpy(key.data(), content.data(), key.size());
    return key;
  }
  while (!content.empty() && (content.back() == '\n' || content.back() == '\r')) content.pop_back();
  std::size_t bin_len = 0;
  if (content.size() == 64 &&
      sodium_hex2bin(key.data(), key.size(), content.data(), content.size(), nullptr, &bin_len,
                     nullptr) == 0 &&
      bin_len == key.size()) {
    return key;
  }
  SourceLocation location;
  location.file = path;
  return InvalidData("a noise key file must hold exactly 32 raw bytes or 64 hex digits, got " +
                         std::to_string(content.size()) + " bytes; create one with "
                         "'head -c 32 /dev/urandom > key.bin'",
                     location);
}

Sha256Digest Csprng::KeyCommitment() const { return Sha256(key_); }

void Csprng::RefillBuffer() {
  static const std::array<std::uint8_t, crypto_stream_chacha20_NONCEBYTES> kNonce{};
  std::memset(buffer_.data(), 0, buffer_.size());
  crypto_stream_chacha20_xor_ic(buffer_.data(), buffer_.data(), buffer_.size(), kNonce.data(),
                                block_counter_, key_.data());
  block_counter_ += buffer_.size() / 64;  // ChaCha20 blocks are 64 bytes
  buffer_used_ = 0;
}

void Csprng::Fill(std::span<std::uint8_t> out) {
  std::size_t written = 0;
  while (written < out.size()) {
    if (buffer_used_ == buffer_.size()) RefillBuffer();
    const std::size_t take = std::min(out.size() - written, buffer_.size() - buffer_used_);
    std::memcpy(out.data() + written, buffer_.data() + buffer_used_, take);
    sodium_memzero(buffer_.data() + buffer_used_, take);
    buffer_used_ += take;
    written += take;
  }
}

std::uint64_t Csprng::NextU64() {
  std::array<std::uint8_t, 8> bytes;
  Fill(bytes);
  std::uint64_t value = 0;
  for (std::uint8_t byte : bytes) value = (value << 8) | byte;
  return value;
}

std::uint64_t Csprng::UniformBelow(std::uint64_t bound) {
  // Rejection from the largest multiple of bound below 2^64: exact, no modulo bias.
  const std::uint64_t limit = (0 - bound) % bound;  // 2^64 mod bound
  while (true) {
    const std::uint64_t word = NextU64();
    if (word >= limit) return word % bound;
  }
}

}  // namespace synthscale
