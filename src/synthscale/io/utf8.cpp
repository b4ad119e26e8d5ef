#include "synthscale/io/utf8.h"

#include "synthscale/io/byte_scan.h"

namespace synthscale::csv_internal {
namespace {

bool InRange(unsigned char byte, unsigned low, unsigned high) { return byte >= low && byte <= high; }

// Length of the well-formed sequence at `p` (1 to 4), or 0 if ill-formed.
std::size_t SequenceLength(const unsigned char* p, std::size_t available) {
  const unsigned char lead = p[0];
  if (lead < 0x80) return lead == 0 ? 0 : 1;
  std::size_t length = 0;
  unsigned second_low = 0x80, second_high = 0xBF;
  if (InRange(lead, 0xC2, 0xDF)) {
    length = 2;
  } else if (lead == 0xE0) {
    length = 3;
    second_low = 0xA0;
  } else if (InRange(lead, 0xE1, 0xEC) || InRange(lead, 0xEE, 0xEF)) {
    length = 3;
  } else if (lead == 0xED) {
    length = 3;
    second_high = 0x9F;  // no UTF-16 surrogates
  } else if (lead == 0xF0) {
    length = 4;
    second_low = 0x90;
  } else if (InRange(lead, 0xF1, 0xF3)) {
    length = 4;
  } else if (lead == 0xF4) {
    length = 4;
    second_high = 0x8F;  // nothing above U+10FFFF
  } else {
    return 0;  // a continuation byte, C0/C1 (overlong) or F5..FF
  }
  if (available < length || !InRange(p[1], second_low, second_high)) return 0;
  for (std::size_t idx = 2; idx < length; ++idx) {
    if (!InRange(p[idx], 0x80, 0xBF)) return 0;
  }
  return length;
}

}  // namespace

Utf8Check ValidateUtf8(const char* data, std::size_t size) {
  std::size_t pos = 0;
  while (pos < size) {
    pos += AsciiPrefixLength(data + pos, data + size);
    if (pos >= size) break;
    const auto* bytes = reinterpret_cast<const unsigned char*>(data + pos);
    const std::size_t length = SequenceLength(bytes, size - pos);
    if (length == 0) return {pos, bytes[0] == 0};
    pos += length;
  }
  return {size, false};
}

}  // namespace synthscale::csv_internal
