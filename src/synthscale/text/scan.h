// DocumentScanner: one pass over a document's code points that yields what every later
// stage needs: normalised word hashes, character counts by class, and the dominant script.
//
// Normalisation (docs/text.md): a word is a maximal run of letters (Unicode general
// category L), combining marks (M) and digits/numbers (N); everything else (spaces,
// punctuation, symbols, controls) separates words and is dropped. Letters are case-folded
// (Unicode simple case folding, ICU u_foldCase). In scripts written without spaces (Han,
// Hiragana, Katakana, Thai, Lao, Khmer, Myanmar) each character is a word of its own, so
// shingles and n-grams stay meaningful there. A word's hash is XXH3-64 of its folded UTF-8.
//
// Character classes count code points: letters (L and M), digits (N), whitespace (Z and
// the white-space controls), punctuation (P), symbols (S), other (controls, format
// characters, private use, unassigned). Scripts are ISO 15924 codes from ICU.
//
// Thread safety: a scanner holds reusable buffers; give each thread its own.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace synthscale::text {

struct CharacterCounts {
  std::uint64_t chars = 0;  // code points
  std::uint64_t letters = 0;
  std::uint64_t digits = 0;
  std::uint64_t whitespace = 0;
  std::uint64_t punctuation = 0;
  std::uint64_t symbols = 0;
  std::uint64_t other = 0;
};

class DocumentScanner {
 public:
  DocumentScanner();

  // Scan `text` (UTF-8; an ill-formed byte counts as one "other" character).
  void Scan(std::string_view text);

  const std::vector<std::uint64_t>& word_hashes() const { return word_hashes_; }
  // Code points of each word (same order as word_hashes).
  const std::vector<std::uint32_t>& word_chars() const { return word_chars_; }
  const CharacterCounts& counts() const { return counts_; }
  // ICU UScriptCode with the most letters (ties: the smaller code); -1 without letters.
  int dominant_script() const { return dominant_script_; }

 private:
  void EndWord();
  void AddToWord(std::uint32_t folded, bool ascii);
  void CountScript(int script);

  std::vector<std::uint64_t> word_hashes_;
  std::vector<std::uint32_t> word_chars_;
  std::string word_;  // the current word, folded, as UTF-8
  std::uint32_t word_length_ = 0;
  CharacterCounts counts_;
  std::vector<std::uint32_t> script_letters_;  // per UScriptCode
  std::vector<int> scripts_seen_;
  int dominant_script_ = -1;
};

// ISO 15924 code of an ICU script ("Latn", "Cyrl"); "Zyyy" (common) for -1 or unknown.
std::string ScriptCode(int script);

// Decode one code point at `text[*pos]` and advance `*pos`; ill-formed bytes decode to
// U+FFFD one byte at a time.
std::uint32_t DecodeUtf8(std::string_view text, std::size_t* pos);
// Append the UTF-8 form of `code_point` to `out`.
void AppendUtf8(std::uint32_t code_point, std::string& out);
// Code points in `text` (bytes that are not UTF-8 continuation bytes).
std::size_t CountCodePoints(std::string_view text);

}  // namespace synthscale::text
