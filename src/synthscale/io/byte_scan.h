// Byte-scanning kernels for the CSV reader (internal to io/).
//
// Hand-written because no Debian 12 package offers them: simdutf (UTF-8 validation) and
// simdcsv-style structural scanning are not packaged. SSE2 is part of the x86-64 baseline,
// so the vector paths need no runtime dispatch; other targets use the scalar fallbacks.
//
// Callers guarantee kScanPadding readable bytes after `end` (the reader's buffers are
// padded), so the 16-byte loads may run past `end` but never past the allocation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace synthscale::csv_internal {

inline constexpr std::size_t kScanPadding = 64;

// First byte in [p, end) that is the delimiter, '\n', '\r' or '"'; `end` if none.
inline const char* FindSpecial(const char* p, const char* end, char delimiter) {
#if defined(__SSE2__)
  const __m128i delim = _mm_set1_epi8(delimiter);
  const __m128i newline = _mm_set1_epi8('\n');
  const __m128i carriage = _mm_set1_epi8('\r');
  const __m128i quote = _mm_set1_epi8('"');
  while (p < end) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i hits = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(bytes, delim), _mm_cmpeq_epi8(bytes, newline)),
                                      _mm_or_si128(_mm_cmpeq_epi8(bytes, carriage), _mm_cmpeq_epi8(bytes, quote)));
    const auto mask = static_cast<unsigned>(_mm_movemask_epi8(hits));
    if (mask != 0) {
      const char* found = p + __builtin_ctz(mask);
      return found < end ? found : end;
    }
    p += 16;
  }
  return end;
#else
  while (p < end) {
    const char ch = *p;
    if (ch == delimiter || ch == '\n' || ch == '\r' || ch == '"') return p;
    ++p;
  }
  return end;
#endif
}

// Number of bytes equal to `value` in [p, end).
inline std::size_t CountByte(const char* p, const char* end, char value) {
  std::size_t count = 0;
#if defined(__SSE2__)
  const __m128i needle = _mm_set1_epi8(value);
  while (end - p >= 16) {
    // Accumulate up to 255 rounds of per-lane 0/1 counts in 8 bits, then widen.
    __m128i acc = _mm_setzero_si128();
    int rounds = 0;
    while (end - p >= 16 && rounds < 255) {
      const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
      acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(bytes, needle));
      p += 16;
      ++rounds;
    }
    const __m128i sums = _mm_sad_epu8(acc, _mm_setzero_si128());
    count += static_cast<std::size_t>(_mm_cvtsi128_si32(sums)) +
             static_cast<std::size_t>(_mm_cvtsi128_si32(_mm_unpackhi_epi64(sums, sums)));
  }
#endif
  while (p < end) count += *p++ == value ? 1u : 0u;
  return count;
}

// Offset of the first byte in [p, end) that is not 7-bit ASCII or is NUL; end - p if none.
inline std::size_t AsciiPrefixLength(const char* begin, const char* end) {
  const char* p = begin;
#if defined(__SSE2__)
  const __m128i zero = _mm_setzero_si128();
  while (end - p >= 16) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    // High bit set (non-ASCII) or equal to zero (NUL).
    const int bad = _mm_movemask_epi8(_mm_or_si128(bytes, _mm_cmpeq_epi8(bytes, zero)));
    if (bad != 0) return static_cast<std::size_t>(p - begin) + static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(bad)));
    p += 16;
  }
#endif
  while (p < end && static_cast<unsigned char>(*p) - 1u < 0x7fu) ++p;
  return static_cast<std::size_t>(p - begin);
}

}  // namespace synthscale::csv_internal
