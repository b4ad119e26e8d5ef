// UTF-8 validation (internal to io/): every input byte of a CSV file is checked.
//
// Hand-written: simdutf is not packaged in Debian 12. Most CSV bytes are ASCII, so an
// SSE2 fast path skips 16 ASCII bytes at a time and only multi-byte sequences take the
// scalar path, which follows the Unicode Standard's Table 3-7 of well-formed sequences
// (no overlongs, no surrogates, nothing above U+10FFFF). NUL bytes are rejected too: a
// text CSV never holds them, and they usually mean UTF-16 or a binary file.
#pragma once

#include <cstddef>

namespace synthscale::csv_internal {

struct Utf8Check {
  std::size_t offset;  // offset of the first bad byte; size when the text is valid
  bool nul;            // whether that byte is NUL (else an ill-formed UTF-8 sequence)
};

Utf8Check ValidateUtf8(const char* data, std::size_t size);

}  // namespace synthscale::csv_internal
