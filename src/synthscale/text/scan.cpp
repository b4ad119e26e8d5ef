#include "synthscale/text/scan.h"

#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include <array>

#include "synthscale/text/hash.h"

namespace synthscale::text {
namespace {

enum class AsciiClass : std::uint8_t { kLetter, kDigit, kSpace, kPunct, kSymbol, kOther };

// ASCII by Unicode general category, so the fast path agrees with ICU.
constexpr std::array<AsciiClass, 128> MakeAsciiTable() {
  std::array<AsciiClass, 128> table{};
  for (int c = 0; c < 128; ++c) {
    AsciiClass cls = AsciiClass::kOther;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) cls = AsciiClass::kLetter;
    else if (c >= '0' && c <= '9') cls = AsciiClass::kDigit;
    else if (c == ' ' || (c >= 0x09 && c <= 0x0D)) cls = AsciiClass::kSpace;
    else if (c == '$' || c == '+' || c == '<' || c == '=' || c == '>' || c == '^' || c == '`' || c == '|' ||
             c == '~')
      cls = AsciiClass::kSymbol;
    else if (c > 0x20 && c < 0x7F) cls = AsciiClass::kPunct;
    table[static_cast<std::size_t>(c)] = cls;
  }
  return table;
}
constexpr std::array<AsciiClass, 128> kAscii = MakeAsciiTable();

bool WithoutSpaces(int script) {
  switch (script) {
    case USCRIPT_HAN: case USCRIPT_HIRAGANA: case USCRIPT_KATAKANA: case USCRIPT_KATAKANA_OR_HIRAGANA:
    case USCRIPT_THAI: case USCRIPT_LAO: case USCRIPT_KHMER: case USCRIPT_MYANMAR:
      return true;
    default:
      return false;
  }
}

}  // namespace

std::uint32_t DecodeUtf8(std::string_view text, std::size_t* pos) {
  const auto byte = [&](std::size_t at) { return static_cast<std::uint32_t>(static_cast<unsigned char>(text[at])); };
  const std::size_t at = *pos;
  const std::uint32_t lead = byte(at);
  if (lead < 0x80) {
    *pos = at + 1;
    return lead;
  }
  std::size_t length = 0;
  std::uint32_t code = 0;
  std::uint32_t min = 0;
  if (lead >= 0xC2 && lead <= 0xDF) length = 2, code = lead & 0x1F, min = 0x80;
  else if (lead >= 0xE0 && lead <= 0xEF) length = 3, code = lead & 0x0F, min = 0x800;
  else if (lead >= 0xF0 && lead <= 0xF4) length = 4, code = lead & 0x07, min = 0x10000;
  if (length == 0 || at + length > text.size()) {
    *pos = at + 1;
    return 0xFFFD;
  }
  for (std::size_t idx = 1; idx < length; ++idx) {
    const std::uint32_t next = byte(at + idx);
    if ((next & 0xC0) != 0x80) {
      *pos = at + 1;
      return 0xFFFD;
    }
    code = (code << 6) | (next & 0x3F);
  }
  if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
    *pos = at + 1;
    return 0xFFFD;
  }
  *pos = at + length;
  return code;
}

void AppendUtf8(std::uint32_t code_point, std::string& out) {
  if (code_point < 0x80) {
    out += static_cast<char>(code_point);
  } else if (code_point < 0x800) {
    out += static_cast<char>(0xC0 | (code_point >> 6));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else if (code_point < 0x10000) {
    out += static_cast<char>(0xE0 | (code_point >> 12));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code_point >> 18));
    out += static_cast<char>(0x80 | ((code_point >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  }
}

std::size_t CountCodePoints(std::string_view text) {
  std::size_t count = 0;
  for (char c : text) count += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return count;
}

std::string ScriptCode(int script) {
  if (script < 0) return "Zyyy";
  const char* name = uscript_getShortName(static_cast<UScriptCode>(script));
  return name != nullptr ? name : "Zyyy";
}

DocumentScanner::DocumentScanner() : script_letters_(static_cast<std::size_t>(USCRIPT_CODE_LIMIT), 0) {}

void DocumentScanner::EndWord() {
  if (word_length_ == 0) return;
  word_hashes_.push_back(text_internal::Hash64(word_.data(), word_.size(), text_internal::kWordSeed));
  word_chars_.push_back(word_length_);
  word_.clear();
  word_length_ = 0;
}

void DocumentScanner::AddToWord(std::uint32_t folded, bool ascii) {
  if (ascii) {
    word_ += static_cast<char>(folded);
  } else {
    AppendUtf8(folded, word_);
  }
  ++word_length_;
}

void DocumentScanner::CountScript(int script) {
  if (script < 0 || script >= USCRIPT_CODE_LIMIT) return;
  std::uint32_t& count = script_letters_[static_cast<std::size_t>(script)];
  if (count == 0) scripts_seen_.push_back(script);
  ++count;
}

void DocumentScanner::Scan(std::string_view text) {
  word_hashes_.clear();
  word_chars_.clear();
  word_.clear();
  word_length_ = 0;
  counts_ = {};
  std::uint64_t latin_letters = 0;  // ASCII letters, counted apart (no ICU call)
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto byte = static_cast<unsigned char>(text[pos]);
    ++counts_.chars;
    if (byte < 0x80) {
      ++pos;
      switch (kAscii[byte]) {
        case AsciiClass::kLetter:
          ++counts_.letters;
          ++latin_letters;
          AddToWord(byte >= 'A' && byte <= 'Z' ? byte + 32u : byte, true);
          break;
        case AsciiClass::kDigit:
          ++counts_.digits;
          AddToWord(byte, true);
          break;
        case AsciiClass::kSpace: ++counts_.whitespace; EndWord(); break;
        case AsciiClass::kPunct: ++counts_.punctuation; EndWord(); break;
        case AsciiClass::kSymbol: ++counts_.symbols; EndWord(); break;
        case AsciiClass::kOther: ++counts_.other; EndWord(); break;
      }
      continue;
    }
    const std::size_t start = pos;
    const std::uint32_t code = DecodeUtf8(text, &pos);
    if (code == 0xFFFD && pos == start + 1) {  // an ill-formed byte (a real U+FFFD takes 3)
      ++counts_.other;
      EndWord();
      continue;
    }
    const auto c = static_cast<UChar32>(code);
    const std::uint32_t mask = U_GET_GC_MASK(c);
    if ((mask & (U_GC_L_MASK | U_GC_M_MASK)) != 0) {
      ++counts_.letters;
      UErrorCode error = U_ZERO_ERROR;
      const int script = uscript_getScript(c, &error);
      if ((mask & U_GC_L_MASK) != 0) CountScript(script);
      if (WithoutSpaces(script)) {
        EndWord();
        AddToWord(static_cast<std::uint32_t>(u_foldCase(c, U_FOLD_CASE_DEFAULT)), false);
        EndWord();
      } else {
        AddToWord(static_cast<std::uint32_t>(u_foldCase(c, U_FOLD_CASE_DEFAULT)), false);
      }
    } else if ((mask & U_GC_N_MASK) != 0) {
      ++counts_.digits;
      AddToWord(code, false);
    } else if ((mask & U_GC_Z_MASK) != 0 || u_isUWhiteSpace(c)) {
      ++counts_.whitespace;
      EndWord();
    } else if ((mask & U_GC_P_MASK) != 0) {
      ++counts_.punctuation;
      EndWord();
    } else if ((mask & U_GC_S_MASK) != 0) {
      ++counts_.symbols;
      EndWord();
    } else {
      ++counts_.other;
      EndWord();
    }
  }
  EndWord();

  if (latin_letters > 0) {
    std::uint32_t& count = script_letters_[USCRIPT_LATIN];
    if (count == 0) scripts_seen_.push_back(USCRIPT_LATIN);
    count += static_cast<std::uint32_t>(latin_letters);
  }
  dominant_script_ = -1;
  std::uint32_t best = 0;
  for (int script : scripts_seen_) {
    const std::uint32_t count = script_letters_[static_cast<std::size_t>(script)];
    if (count > best || (count == best && script < dominant_script_)) {
      best = count;
      dominant_script_ = script;
    }
    script_letters_[static_cast<std::size_t>(script)] = 0;
  }
  scripts_seen_.clear();
}

}  // namespace synthscale::text
