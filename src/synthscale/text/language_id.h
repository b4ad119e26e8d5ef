// Language identification with CLD2 (Debian's libcld2-dev: Google's Compact Language
// Detector 2, 83 languages, naive Bayes over character quadgrams; McCandless 2010).
//
// Every document gets one language slot: CLD2's top language, "und" (undetermined: CLD2
// found no language or scored none of the text, e.g. no letters) or "mul" (mixed: the top language covers less
// than kMixedThresholdPercent of the scored text). Codes are ISO 639-1 where one exists
// (CLD2's LanguageCode), else CLD2's ISO 639-2/3 code. CLD2's is_reliable is reported
// as a count, not used to relabel: on the man-page corpus it flags 5 to 15 % of correctly
// identified Russian and Spanish documents of 200+ characters (English commands and
// option names inside translated text) and would cost more accuracy than it saves.
//
// Thread safety: CLD2's detector keeps no state between calls; call from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace synthscale::text {

// A document is "mul" when CLD2's top language covers less than this share of the text
// bytes it scored (CLD2's percent3, summed over the top language's entries): half, so
// that a translated man page quoting English commands and options stays in its language.
inline constexpr int kMixedThresholdPercent = 50;

struct LanguageGuess {
  std::uint16_t slot = 0;
  bool reliable = false;  // CLD2's is_reliable
  std::uint8_t percent = 0;  // share of the scored text in the top language
};

// Number of slots: CLD2's languages, then "und", then "mul".
std::uint16_t LanguageSlotCount();
std::uint16_t UndeterminedSlot();
std::uint16_t MixedSlot();

// "de", "und", "mul"; and the English name ("German", "undetermined", "mixed").
std::string LanguageSlotCode(std::uint16_t slot);
std::string LanguageSlotName(std::uint16_t slot);

// The slot of an ISO 639 code as LanguageSlotCode writes it, or LanguageSlotCount() when
// CLD2 does not know it.
std::uint16_t LanguageSlotOfCode(std::string_view code);

// Identify the language of `text` (valid UTF-8, plain text).
LanguageGuess IdentifyLanguage(std::string_view text);

// CLD2's version string, for the report's settings.
std::string LanguageIdentifierVersion();

}  // namespace synthscale::text
