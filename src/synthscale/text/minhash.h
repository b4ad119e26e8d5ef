// MinHash signatures of word shingles, and the Jaccard similarities they estimate.
//
// A shingle is a window of `shingle_words` consecutive normalised words (scan.h); a
// document with fewer words has one shingle of all its words, and a document without
// words has none. Its hash is XXH3-64 over the window of word hashes. Permutation j maps
// a shingle hash x to h_j(x) = (a_j * x + b_j) mod 2^64 >> 32 (multiply-add-shift,
// Dietzfelbinger 1996), with a_j odd and b_j drawn from the named random stream
// (seed, "text.minhash", j): the signature is the minimum of h_j over the document's
// shingles, for j = 0 .. permutations - 1. Same seed, same signatures, on every machine.
//
// P[signature_a[j] == signature_b[j]] is the Jaccard similarity of the two shingle sets
// (Broder 1997), so the fraction of equal entries estimates it with standard error
// sqrt(J (1 - J) / permutations).
//
// Thread safety: a MinHasher is immutable after construction; share it between threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace synthscale::text {

class MinHasher {
 public:
  MinHasher(std::uint32_t permutations, std::uint64_t seed);

  std::uint32_t permutations() const { return static_cast<std::uint32_t>(multipliers_.size()); }

  // Write the signature of the shingles of `word_hashes` into `signature` (size
  // permutations()). Returns false, leaving `signature` untouched, for a document
  // without words.
  bool Sign(std::span<const std::uint64_t> word_hashes, std::uint32_t shingle_words,
            std::span<std::uint32_t> signature) const;

 private:
  using UpdateMinima = void (*)(const std::uint64_t* shingles, std::size_t count, const std::uint64_t* multipliers,
                                const std::uint64_t* increments, std::uint32_t* minima, std::size_t permutations);

  UpdateMinima update_minima_;  // the AVX2 kernel where the CPU has it, else the portable one
  std::vector<std::uint64_t> multipliers_;
  std::vector<std::uint64_t> increments_;
};

// The shingle hashes of `word_hashes`, sorted and without repeats, into `out`.
void ShingleSet(std::span<const std::uint64_t> word_hashes, std::uint32_t shingle_words,
                std::vector<std::uint64_t>& out);

// |A ∩ B| / |A ∪ B| of two sorted sets without repeats (1 when both are empty).
double ExactJaccard(std::span<const std::uint64_t> a, std::span<const std::uint64_t> b);

// Fraction of equal entries of two signatures of the same length.
double EstimatedJaccard(std::span<const std::uint32_t> a, std::span<const std::uint32_t> b);

// Probability that LSH with `bands` bands of `rows` rows makes a pair of Jaccard
// similarity s a candidate: 1 - (1 - s^rows)^bands (Leskovec, Rajaraman and Ullman,
// Mining of Massive Datasets, section 3.4.2).
double CandidateProbability(double jaccard, std::uint32_t bands, std::uint32_t rows);

}  // namespace synthscale::text
