#pragma once

// Helpers shared by json.cc (writing) and json_parser.cc (reading).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace tributary::json_internal {

// Length of the valid UTF-8 sequence starting at text[pos], or 0 when invalid
// (overlong forms, surrogates and code points above U+10FFFF are invalid).
inline size_t Utf8SequenceLength(std::string_view text, size_t pos) {
  auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  unsigned char lead = byte(pos);
  size_t remaining = text.size() - pos;
  auto continuation = [&](size_t i) { return (byte(pos + i) & 0xC0) == 0x80; };
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return remaining >= 2 && continuation(1) ? 2 : 0;
  if (lead >= 0xE0 && lead <= 0xEF) {
    if (remaining < 3 || !continuation(1) || !continuation(2)) return 0;
    unsigned char second = byte(pos + 1);
    if (lead == 0xE0 && second < 0xA0) return 0;  // overlong
    if (lead == 0xED && second > 0x9F) return 0;  // UTF-16 surrogate
    return 3;
  }
  if (lead >= 0xF0 && lead <= 0xF4) {
    if (remaining < 4 || !continuation(1) || !continuation(2) || !continuation(3)) return 0;
    unsigned char second = byte(pos + 1);
    if (lead == 0xF0 && second < 0x90) return 0;  // overlong
    if (lead == 0xF4 && second > 0x8F) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

}  // namespace tributary::json_internal
