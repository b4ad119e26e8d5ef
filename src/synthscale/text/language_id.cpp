#include "synthscale/text/language_id.h"

#include <cstdio>
#include <cld2/public/compact_lang_det.h>

#include <algorithm>
#include <climits>
#include <cctype>

namespace synthscale::text {
namespace {

constexpr auto kCld2Languages = static_cast<std::uint16_t>(CLD2::NUM_LANGUAGES);

// CLD2 scores at most this many bytes of a document; longer documents are scored on
// their beginning (CLD2 itself samples long texts; this bounds the time per document).
constexpr std::size_t kMaxScoredBytes = std::size_t{1} << 20;

}  // namespace

std::uint16_t LanguageSlotCount() { return static_cast<std::uint16_t>(kCld2Languages + 2); }
std::uint16_t UndeterminedSlot() { return kCld2Languages; }
std::uint16_t MixedSlot() { return static_cast<std::uint16_t>(kCld2Languages + 1); }

std::string LanguageSlotCode(std::uint16_t slot) {
  if (slot == UndeterminedSlot()) return "und";
  if (slot == MixedSlot()) return "mul";
  if (slot >= kCld2Languages) return "und";
  return CLD2::LanguageCode(static_cast<CLD2::Language>(slot));
}

std::string LanguageSlotName(std::uint16_t slot) {
  if (slot == UndeterminedSlot() || slot >= LanguageSlotCount()) return "undetermined";
  if (slot == MixedSlot()) return "mixed";
  std::string name = CLD2::LanguageName(static_cast<CLD2::Language>(slot));
  // CLD2 names are upper case ("GERMAN", "SCOTS_GAELIC"): "German", "Scots gaelic".
  for (std::size_t idx = 0; idx < name.size(); ++idx) {
    const auto c = static_cast<unsigned char>(name[idx]);
    name[idx] = name[idx] == '_' ? ' ' : static_cast<char>(idx == 0 ? c : std::tolower(c));
  }
  return name;
}

std::uint16_t LanguageSlotOfCode(std::string_view code) {
  if (code == "und") return UndeterminedSlot();
  if (code == "mul") return MixedSlot();
  for (std::uint16_t slot = 0; slot < kCld2Languages; ++slot) {
    if (slot == CLD2::UNKNOWN_LANGUAGE || slot == CLD2::TG_UNKNOWN_LANGUAGE) continue;
    if (code == CLD2::LanguageCode(static_cast<CLD2::Language>(slot))) return slot;
  }
  return LanguageSlotCount();
}

LanguageGuess IdentifyLanguage(std::string_view text) {
  const int length = static_cast<int>(std::min(text.size(), kMaxScoredBytes));
  CLD2::Language language3[3] = {CLD2::UNKNOWN_LANGUAGE, CLD2::UNKNOWN_LANGUAGE, CLD2::UNKNOWN_LANGUAGE};
  int percent3[3] = {0, 0, 0};
  int text_bytes = 0;
  bool reliable = false;
  const CLD2::Language top =
      CLD2::DetectLanguageSummary(text.data(), length, true, language3, percent3, &text_bytes, &reliable);
  LanguageGuess guess;
  guess.reliable = reliable;
  // CLD2 may list a language twice (scored in separate chunks): add its shares.
  int top_percent = 0;
  for (int idx = 0; idx < 3; ++idx) top_percent += language3[idx] == top ? percent3[idx] : 0;
  guess.percent = static_cast<std::uint8_t>(std::clamp(top_percent, 0, 100));
  // Without scorable text CLD2 answers ENGLISH with 0 % (and 0 text bytes): undetermined.
  if (top == CLD2::UNKNOWN_LANGUAGE || top == CLD2::TG_UNKNOWN_LANGUAGE || top < 0 || top >= CLD2::NUM_LANGUAGES ||
      top_percent == 0) {
    guess.slot = UndeterminedSlot();
  } else if (top_percent < kMixedThresholdPercent) {
    guess.slot = MixedSlot();
  } else {
    guess.slot = static_cast<std::uint16_t>(top);
  }
  return guess;
}

std::string LanguageIdentifierVersion() { return std::string("CLD2 ") + CLD2::DetectLanguageVersion(); }

}  // namespace synthscale::text
