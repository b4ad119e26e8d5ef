// String hashing and a flat label -> code index (internal to io/).
//
// The CSV reader looks up every categorical field in the schema's category list. A
// node-based std::unordered_map costs a pointer chase per lookup; this open-addressing
// table keeps (hash, code) pairs in one array and compares the label only on a hash
// match. HashBytes is also what schema inference uses to detect duplicate values.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace synthscale::csv_internal {

// splitmix64's finaliser: a bijection with full avalanche.
inline std::uint64_t Mix64(std::uint64_t value) {
  value ^= value >> 30;
  value *= 0xbf58476d1ce4e5b9ULL;
  value ^= value >> 27;
  value *= 0x94d049bb133111ebULL;
  value ^= value >> 31;
  return value;
}

// The 128-bit product folded to 64 bits (wyhash's "mum"): one multiply that mixes well.
inline std::uint64_t Mum(std::uint64_t left, std::uint64_t right) {
  __extension__ using Uint128 = unsigned __int128;
  const Uint128 product = static_cast<Uint128>(left) * right;
  return static_cast<std::uint64_t>(product) ^ static_cast<std::uint64_t>(product >> 64);
}

inline std::uint64_t Load64(const char* p) {
  std::uint64_t word;
  std::memcpy(&word, p, 8);
  return word;
}

inline std::uint64_t Load32(const char* p) {
  std::uint32_t word;
  std::memcpy(&word, p, 4);
  return word;
}

// 64-bit hash of a byte string, after wyhash (Wang Yi, public domain): short strings
// (most labels) cost two loads and two multiplies.
[[gnu::always_inline]] inline std::uint64_t HashBytes(std::string_view text) {
  constexpr std::uint64_t kSecret0 = 0xa0761d6478bd642fULL;
  constexpr std::uint64_t kSecret1 = 0xe7037ed1a0b428dbULL;
  constexpr std::uint64_t kSecret2 = 0x8ebc6af09c88c6e3ULL;
  const char* p = text.data();
  const std::size_t length = text.size();
  std::uint64_t seed = kSecret0;
  std::uint64_t first = 0;
  std::uint64_t second = 0;
  if (length <= 16) {
    if (length >= 4) {
      const std::size_t shift = (length >> 3) << 2;  // 0 for 4..7 bytes, 4 for 8..16
      first = (Load32(p) << 32) | Load32(p + shift);
      second = (Load32(p + length - 4) << 32) | Load32(p + length - 4 - shift);
    } else if (length > 0) {
      first = (static_cast<std::uint64_t>(static_cast<unsigned char>(p[0])) << 16) |
              (static_cast<std::uint64_t>(static_cast<unsigned char>(p[length >> 1])) << 8) |
              static_cast<unsigned char>(p[length - 1]);
    }
  } else {
    std::size_t left = length;
    while (left > 16) {
      seed = Mum(Load64(p) ^ kSecret1, Load64(p + 8) ^ seed);
      p += 16;
      left -= 16;
    }
    first = Load64(p + left - 16);
    second = Load64(p + left - 8);
  }
  return Mum(kSecret1 ^ length, Mum(first ^ kSecret1, second ^ seed ^ kSecret2));
}

// Whether n bytes at a and b are equal (inline: labels are short, a libc call is not).
inline bool BytesEqual(const char* a, const char* b, std::size_t n) {
  while (n >= 8) {
    if (Load64(a) != Load64(b)) return false;
    a += 8;
    b += 8;
    n -= 8;
  }
  while (n > 0) {
    if (*a++ != *b++) return false;
    --n;
  }
  return true;
}

// Labels -> their index in the list given at construction. Built once, read by many
// threads. The labels must outlive the index.
class LabelIndex {
 public:
  static constexpr std::uint32_t kNotFound = 0xffffffffu;

  LabelIndex() = default;
  explicit LabelIndex(const std::vector<std::string>* labels) : labels_(labels) {
    std::size_t capacity = 16;
    while (capacity < labels->size() * 2) capacity *= 2;
    slots_.assign(capacity, Slot{0, kNotFound});
    mask_ = capacity - 1;
    for (std::size_t code = 0; code < labels->size(); ++code) {
      const std::uint64_t hash = HashBytes((*labels)[code]);
      std::size_t slot = static_cast<std::size_t>(hash) & mask_;
      while (slots_[slot].code != kNotFound) slot = (slot + 1) & mask_;
      slots_[slot] = Slot{hash, static_cast<std::uint32_t>(code)};
    }
  }

  std::uint32_t Find(std::string_view label) const {
    if (slots_.empty()) return kNotFound;
    const std::uint64_t hash = HashBytes(label);
    std::size_t slot = static_cast<std::size_t>(hash) & mask_;
    while (true) {
      const Slot& entry = slots_[slot];
      if (entry.code == kNotFound) return kNotFound;
      if (entry.hash == hash) {
        const std::string& known = (*labels_)[entry.code];
        if (known.size() == label.size() && BytesEqual(known.data(), label.data(), label.size())) return entry.code;
      }
      slot = (slot + 1) & mask_;
    }
  }

 private:
  struct Slot {
    std::uint64_t hash;
    std::uint32_t code;
  };
  const std::vector<std::string>* labels_ = nullptr;
  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
};

// A set of 64-bit hashes (open addressing, load factor at most 1/2).
class HashSet64 {
 public:
  std::size_t size() const { return size_; }
  // Insert `hash`; false if it was already there.
  bool Insert(std::uint64_t hash) {
    if (hash == 0) hash = 1;  // 0 marks an empty slot
    if ((size_ + 1) * 2 > slots_.size()) Grow();
    std::size_t slot = static_cast<std::size_t>(hash) & (slots_.size() - 1);
    while (slots_[slot] != 0) {
      if (slots_[slot] == hash) return false;
      slot = (slot + 1) & (slots_.size() - 1);
    }
    slots_[slot] = hash;
    ++size_;
    return true;
  }
  void Clear() {
    slots_.clear();
    slots_.shrink_to_fit();
    size_ = 0;
  }

 private:
  void Grow() {
    std::vector<std::uint64_t> old = std::move(slots_);
    slots_.assign(old.empty() ? 64 : old.size() * 2, 0);
    const std::size_t mask = slots_.size() - 1;
    for (const std::uint64_t hash : old) {
      if (hash == 0) continue;
      std::size_t slot = static_cast<std::size_t>(hash) & mask;
      while (slots_[slot] != 0) slot = (slot + 1) & mask;
      slots_[slot] = hash;
    }
  }

  std::vector<std::uint64_t> slots_;
  std::size_t size_ = 0;
};

struct TransparentStringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const { return static_cast<std::size_t>(HashBytes(text)); }
};

}  // namespace synthscale::csv_internal
