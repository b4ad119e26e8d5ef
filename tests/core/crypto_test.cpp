#include "synthscale/core/crypto.h"

#include <sodium.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace synthscale {
namespace {

// A fresh directory for this test's files, removed at the end.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "synthscale_crypto_XXXXXX").string();
    path_ = ::mkdtemp(pattern.data()) != nullptr ? pattern : std::string();
  }
  ~TempDir() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
  }
  std::string File(const std::string& name, const std::string& content) const {
    const std::string file = path_ + "/" + name;
    std::ofstream out(file, std::ios::binary);
    out << content;
    return file;
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

NoiseKey CountingKey() {
  NoiseKey key;
  std::iota(key.begin(), key.end(), std::uint8_t{0});  // 00 01 02 ... 1f
  return key;
}

// Expected values below were computed independently of this code base: SHA-256 digests
// with Python's hashlib (and FIPS 180-2 appendix B for "abc", the 448-bit message and the
// million 'a'), ChaCha20 keystreams with a from-scratch Python implementation of
// Bernstein's ChaCha20 (64-bit counter, 64-bit nonce) that reproduces the RFC 8439
// appendix A.1 vectors #1 and #2.

TEST(Sha256, KnownAnswers) {
  EXPECT_EQ(ToHex(Sha256(std::string_view(""))),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(ToHex(Sha256(std::string_view("abc"))),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(ToHex(Sha256(std::string_view("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256, SpanAndStringOverloadsAgree) {
  const std::vector<std::uint8_t> bytes = {'a', 'b', 'c'};
  EXPECT_EQ(Sha256(bytes), Sha256(std::string_view("abc")));
  const std::vector<std::uint8_t> empty;
  EXPECT_EQ(ToHex(Sha256(empty)), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Sha256Hasher, MillionAInUnevenPieces) {
  const std::string chunk(1000, 'a');
  Sha256Hasher hasher;
  std::size_t fed = 0;
  // Piece sizes around the 64-byte block size, cycled until a million bytes are fed.
  const std::array<std::size_t, 8> sizes = {1, 63, 64, 65, 127, 128, 129, 1000};
  for (std::size_t step = 0; fed < 1000000; ++step) {
    const std::size_t take = std::min(sizes[step % sizes.size()], 1000000 - fed);
    hasher.Update(std::string_view(chunk).substr(0, take));
    fed += take;
  }
  EXPECT_EQ(ToHex(hasher.Finish()), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256Hasher, EmptyAndSpanUpdates) {
  Sha256Hasher empty;
  EXPECT_EQ(ToHex(empty.Finish()), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  Sha256Hasher hasher;
  const std::vector<std::uint8_t> a = {'a'};
  const std::vector<std::uint8_t> bc = {'b', 'c'};
  hasher.Update(a);
  hasher.Update(std::span<const std::uint8_t>());
  hasher.Update(bc);
  EXPECT_EQ(ToHex(hasher.Finish()), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256File, HashesWholeFile) {
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  Result<Sha256Digest> abc = Sha256File(dir.File("abc.txt", "abc"));
  ASSERT_TRUE(abc.ok()) << abc.status().ToString();
  EXPECT_EQ(ToHex(*abc), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");

  Result<Sha256Digest> empty = Sha256File(dir.File("empty.txt", ""));
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(ToHex(*empty), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

  // Larger than the read buffer, and an exact multiple of 64 KiB.
  Result<Sha256Digest> million = Sha256File(dir.File("million.txt", std::string(1000000, 'a')));
  ASSERT_TRUE(million.ok());
  EXPECT_EQ(ToHex(*million), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  Result<Sha256Digest> exact = Sha256File(dir.File("exact.txt", std::string(131072, 'a')));
  ASSERT_TRUE(exact.ok());
  EXPECT_EQ(ToHex(*exact), "b44ffb72fcc259676bd80495fef1b44b808ca8f1ffe1b1706a4d7911b0e31f11");
}

TEST(Sha256File, MissingFileIsIOError) {
  TempDir dir;
  const std::string missing = dir.path() + "/does-not-exist.bin";
  Result<Sha256Digest> result = Sha256File(missing);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), ErrorCode::kIO);
  EXPECT_NE(result.status().message().find("cannot open"), std::string::npos) << result.status().message();
  EXPECT_EQ(result.status().location().file, missing);
}

TEST(ToHex, LowercaseTwoDigitsPerByte) {
  const std::vector<std::uint8_t> bytes = {0x00, 0x0f, 0xa5, 0xff, 0x10};
  EXPECT_EQ(ToHex(bytes), "000fa5ff10");
  EXPECT_EQ(ToHex(std::span<const std::uint8_t>()), "");
}

std::vector<std::uint8_t> Draw(Csprng& generator, std::size_t count) {
  std::vector<std::uint8_t> out(count);
  generator.Fill(out);
  return out;
}

TEST(Csprng, ZeroKeyMatchesRfc8439Vectors) {
  // RFC 8439 appendix A.1, test vectors #1 (block 0) and #2 (block 1): key 0, nonce 0.
  // With a zero nonce and a counter below 2^32 the original and IETF variants coincide.
  Csprng generator(NoiseKey{});
  EXPECT_EQ(ToHex(Draw(generator, 128)),
            "76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7"
            "da41597c5157488d7724e03fb8d84a376a43b8f41518a11cc387b669b2ee6586"
            "9f07e7be5551387a98ba977c732d080dcb0f29a048e3656912c6533e32ee7aed"
            "29b721769ce64e43d57133b074d839d531ed1f28510afb45ace10a1f4b794d6f");
}

TEST(Csprng, CountingKeyKnownAnswer) {
  Csprng generator(CountingKey());
  EXPECT_EQ(ToHex(Draw(generator, 64)),
            "39fd2b7dd9c5196a8dbd0377b8dc4a498a35d86fbcde6accb2cc7d4cd8ea2492"
            "2b23cce7a26023ab3f0eef693ac87f64258235eab1f7a32dc22762a0485b410c");
  // Bytes 250..269 cross the generator's 256-byte internal buffer (blocks 3 and 4).
  Csprng crossing(CountingKey());
  Draw(crossing, 250);
  EXPECT_EQ(ToHex(Draw(crossing, 20)), "1ca8e4ae3b2cffdba11827588c438f5434eac956");
}

TEST(Csprng, MatchesLibsodiumKeystreamWhateverTheFillSizes) {
  // Independent path: libsodium's crypto_stream_chacha20 with nonce 0 from counter 0.
  const NoiseKey key = CountingKey();
  std::vector<std::uint8_t> expected(5000);
  const std::array<std::uint8_t, crypto_stream_chacha20_NONCEBYTES> nonce{};
  ASSERT_EQ(crypto_stream_chacha20(expected.data(), expected.size(), nonce.data(), key.data()), 0);

  Csprng generator(key);
  std::vector<std::uint8_t> got;
  const std::array<std::size_t, 7> sizes = {1, 7, 64, 255, 256, 257, 3};
  for (std::size_t step = 0; got.size() < expected.size(); ++step) {
    const std::size_t take = std::min(sizes[step % sizes.size()], expected.size() - got.size());
    const std::vector<std::uint8_t> piece = Draw(generator, take);
    got.insert(got.end(), piece.begin(), piece.end());
  }
  EXPECT_EQ(got, expected);
}

TEST(Csprng, NextU64ConsumesEightBytes) {
  Csprng reference(CountingKey());
  const std::vector<std::uint8_t> stream = Draw(reference, 24);
  Csprng generator(CountingKey());
  const std::uint64_t first = generator.NextU64();
  // The word is built from the first eight keystream bytes (in some fixed byte order).
  std::uint64_t big_endian = 0;
  std::uint64_t little_endian = 0;
  for (std::size_t byte_idx = 0; byte_idx < 8; ++byte_idx) {
    big_endian = (big_endian << 8) | stream[byte_idx];
    little_endian |= static_cast<std::uint64_t>(stream[byte_idx]) << (8 * byte_idx);
  }
  EXPECT_TRUE(first == big_endian || first == little_endian);
  const std::vector<std::uint8_t> next = Draw(generator, 16);
  EXPECT_EQ(next, std::vector<std::uint8_t>(stream.begin() + 8, stream.end()));
}

TEST(Csprng, SameKeySameStreamDifferentKeyDifferentStream) {
  Csprng first(CountingKey());
  Csprng second(CountingKey());
  NoiseKey flipped = CountingKey();
  flipped[31] ^= 0x01;
  Csprng third(flipped);
  const std::vector<std::uint8_t> a = Draw(first, 1000);
  EXPECT_EQ(a, Draw(second, 1000));
  EXPECT_NE(a, Draw(third, 1000));
}

TEST(Csprng, MovedGeneratorContinuesTheStream) {
  Csprng reference(CountingKey());
  const std::vector<std::uint8_t> stream = Draw(reference, 40);
  Csprng original(CountingKey());
  Draw(original, 10);
  Csprng moved(std::move(original));
  EXPECT_EQ(Draw(moved, 30), std::vector<std::uint8_t>(stream.begin() + 10, stream.end()));
}

TEST(Csprng, FromOsGivesDifferentStreams) {
  Csprng first = Csprng::FromOs();
  Csprng second = Csprng::FromOs();
  EXPECT_NE(Draw(first, 32), Draw(second, 32));  // equal with probability 2^-256
  EXPECT_NE(first.KeyCommitment(), second.KeyCommitment());
}

TEST(OsRandomBytes, FillsBuffer) {
  std::array<std::uint8_t, 64> first{};
  std::array<std::uint8_t, 64> second{};
  OsRandomBytes(first);
  OsRandomBytes(second);
  EXPECT_NE(first, second);
}

TEST(Csprng, KeyCommitmentIsSha256OfKey) {
  const Csprng generator(CountingKey());
  // hashlib.sha256(bytes(range(32))).hexdigest()
  EXPECT_EQ(ToHex(generator.KeyCommitment()), "630dcd2966c4336691125448bbb25b4ff412a49c732db2c8abc1b8581bd710dd");
  const NoiseKey key = CountingKey();
  EXPECT_EQ(generator.KeyCommitment(), Sha256(key));
}

TEST(Csprng, KeyCommitmentUnchangedByDrawing) {
  Csprng generator(CountingKey());
  const Sha256Digest before = generator.KeyCommitment();
  Draw(generator, 1000);
  EXPECT_EQ(generator.KeyCommitment(), before);
}

// Pearson chi-square statistic of observed counts against equal expected counts.
double ChiSquareUniform(const std::vector<std::uint64_t>& counts, std::uint64_t draws) {
  const double expected = static_cast<double>(draws) / static_cast<double>(counts.size());
  double statistic = 0.0;
  for (std::uint64_t count : counts) {
    const double diff = static_cast<double>(count) - expected;
    statistic += diff * diff / expected;
  }
  return statistic;
}

// Critical values of the chi-square distribution at significance 1e-6, computed with
// mpmath: the x with regularized upper incomplete gamma Q(df/2, x/2) = 1e-6.
constexpr double kChiSquare1e6Df1 = 23.928;
constexpr double kChiSquare1e6Df2 = 27.631;
constexpr double kChiSquare1e6Df999 = 1226.05;

TEST(Csprng, UniformBelowThreeIsUniform) {
  // Chi-square goodness of fit, key 00..1f, 300000 draws, df 2, significance 1e-6.
  Csprng generator(CountingKey());
  constexpr std::uint64_t kDraws = 300000;
  std::vector<std::uint64_t> counts(3, 0);
  for (std::uint64_t draw = 0; draw < kDraws; ++draw) {
    const std::uint64_t value = generator.UniformBelow(3);
    ASSERT_LT(value, 3u);
    ++counts[value];
  }
  EXPECT_LT(ChiSquareUniform(counts, kDraws), kChiSquare1e6Df2);
}

TEST(Csprng, UniformBelowThousandIsUniform) {
  // Chi-square goodness of fit, key 00..1f, 500000 draws, df 999, significance 1e-6.
  Csprng generator(CountingKey());
  constexpr std::uint64_t kDraws = 500000;
  std::vector<std::uint64_t> counts(1000, 0);
  for (std::uint64_t draw = 0; draw < kDraws; ++draw) {
    const std::uint64_t value = generator.UniformBelow(1000);
    ASSERT_LT(value, 1000u);
    ++counts[value];
  }
  EXPECT_LT(ChiSquareUniform(counts, kDraws), kChiSquare1e6Df999);
}

TEST(Csprng, UniformBelowHasNoModuloBiasForHugeBounds) {
  // bound = 3 * 2^62. Plain `word % bound` would put half the mass below 2^62 instead
  // of a third; multiply-shift without rejection would put half on multiples of 3.
  // Chi-square on the cells {< 2^62, >= 2^62} (df 1) and on value % 3 (df 2), zero key,
  // 60000 draws, significance 1e-6 each.
  Csprng generator(NoiseKey{});
  constexpr std::uint64_t kBound = 3ULL << 62;
  constexpr std::uint64_t kDraws = 60000;
  std::uint64_t low = 0;
  std::vector<std::uint64_t> residues(3, 0);
  for (std::uint64_t draw = 0; draw < kDraws; ++draw) {
    const std::uint64_t value = generator.UniformBelow(kBound);
    ASSERT_LT(value, kBound);
    if (value < (1ULL << 62)) ++low;
    ++residues[value % 3];
  }
  // Multiply-shift without rejection would instead give residue 0 half of the mass.
  EXPECT_LT(ChiSquareUniform(residues, kDraws), kChiSquare1e6Df2) << residues[0] << " " << residues[1] << " " << residues[2];
  const double expected_low = static_cast<double>(kDraws) / 3.0;
  const double expected_high = static_cast<double>(kDraws) - expected_low;
  const double diff_low = static_cast<double>(low) - expected_low;
  const double diff_high = static_cast<double>(kDraws - low) - expected_high;
  const double statistic = diff_low * diff_low / expected_low + diff_high * diff_high / expected_high;
  EXPECT_LT(statistic, kChiSquare1e6Df1) << "draws below 2^62: " << low << " of " << kDraws;
}

TEST(Csprng, UniformBelowOneIsZero) {
  Csprng generator(CountingKey());
  for (int draw = 0; draw < 100; ++draw) EXPECT_EQ(generator.UniformBelow(1), 0u);
}

TEST(Csprng, UniformBelowIsDeterministicPerKey) {
  Csprng first(CountingKey());
  Csprng second(CountingKey());
  for (int draw = 0; draw < 1000; ++draw) EXPECT_EQ(first.UniformBelow(1000003), second.UniformBelow(1000003));
}

TEST(Csprng, ReadKeyFileAcceptsRawBytes) {
  TempDir dir;
  std::string raw;
  for (int byte = 0; byte < 32; ++byte) raw.push_back(static_cast<char>(byte * 7 + 3));
  Result<NoiseKey> key = Csprng::ReadKeyFile(dir.File("raw.bin", raw));
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  for (std::size_t byte_idx = 0; byte_idx < 32; ++byte_idx) {
    EXPECT_EQ((*key)[byte_idx], static_cast<std::uint8_t>(byte_idx * 7 + 3));
  }
  // 32 raw bytes that end in newlines are still raw bytes, not trimmed.
  Result<NoiseKey> newlines = Csprng::ReadKeyFile(dir.File("newlines.bin", std::string(32, '\n')));
  ASSERT_TRUE(newlines.ok()) << newlines.status().ToString();
  for (std::uint8_t byte : *newlines) EXPECT_EQ(byte, '\n');
}

TEST(Csprng, ReadKeyFileAcceptsHexDigits) {
  TempDir dir;
  const std::string hex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
  for (const std::string& content : {hex, hex + "\n", hex + "\r\n",
                                     std::string("000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F")}) {
    Result<NoiseKey> key = Csprng::ReadKeyFile(dir.File("key.hex", content));
    ASSERT_TRUE(key.ok()) << key.status().ToString();
    EXPECT_EQ(*key, CountingKey());
  }
}

TEST(Csprng, ReadKeyFileRejectsOtherContent) {
  TempDir dir;
  const std::string hex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
  const std::vector<std::string> bad = {
      "",                      // empty
      std::string(31, 'x'),    // one raw byte short
      std::string(33, 'x'),    // one raw byte too many
      hex.substr(0, 63),       // one hex digit short
      hex + "0",               // one hex digit too many
      std::string(64, 'z'),    // 64 characters, not hex
      " " + hex.substr(1),     // 64 characters with a space
      "0x" + hex,              // prefixed
  };
  for (const std::string& content : bad) {
    Result<NoiseKey> key = Csprng::ReadKeyFile(dir.File("bad.key", content));
    ASSERT_FALSE(key.ok()) << "accepted: '" << content << "'";
    EXPECT_EQ(key.status().code(), ErrorCode::kInvalidData);
    EXPECT_NE(key.status().message().find("exactly 32 raw bytes or 64 hex digits"), std::string::npos)
        << key.status().message();
    EXPECT_EQ(key.status().location().file, dir.path() + "/bad.key");
  }
}

TEST(Csprng, ReadKeyFileMissingIsIOError) {
  TempDir dir;
  Result<NoiseKey> key = Csprng::ReadKeyFile(dir.path() + "/missing.key");
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.status().code(), ErrorCode::kIO);
  EXPECT_NE(key.status().message().find("cannot open noise key file"), std::string::npos);
}

TEST(Csprng, ReadKeyFileDirectoryIsIOError) {
  // Reading a directory fails after opening it: an error, never an escaping exception.
  TempDir dir;
  Result<NoiseKey> key = Csprng::ReadKeyFile(dir.path());
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.status().code(), ErrorCode::kIO);
  EXPECT_NE(key.status().message().find("cannot read noise key file"), std::string::npos) << key.status().message();
}

TEST(Csprng, ReadKeyFileRejectsLargeFile) {
  TempDir dir;
  Result<NoiseKey> key = Csprng::ReadKeyFile(dir.File("big.key", std::string(100000, 'a')));
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.status().code(), ErrorCode::kInvalidData);
  EXPECT_NE(key.status().message().find("exactly 32 raw bytes or 64 hex digits"), std::string::npos);
}

}  // namespace
}  // namespace synthscale
