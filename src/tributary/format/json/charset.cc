#include "tributary/format/json/charset_internal.h"

#include <strings.h>

#include <cstdint>

#include "tributary/base/utf8.h"

namespace tributary::json {

namespace {

constexpr char kInvalid = static_cast<char>(0xFF);

uint8_t Byte(std::string_view text, size_t i) { return static_cast<uint8_t>(text[i]); }

void FromUtf16(std::string_view in, bool little_endian, std::string* out) {
  auto unit_at = [&](size_t i) -> uint32_t {
    return little_endian ? (Byte(in, i) | (Byte(in, i + 1) << 8)) : ((Byte(in, i) << 8) | Byte(in, i + 1));
  };
  size_t i = 0;
  for (; i + 1 < in.size(); i += 2) {
    uint32_t unit = unit_at(i);
    if (unit >= 0xD800 && unit <= 0xDBFF) {
      uint32_t low = i + 3 < in.size() ? unit_at(i + 2) : 0;
      if (low >= 0xDC00 && low <= 0xDFFF) {
        AppendUtf8(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00), out);
        i += 2;
      } else {
        out->push_back(kInvalid);
      }
    } else if (unit >= 0xDC00 && unit <= 0xDFFF) {
      out->push_back(kInvalid);
    } else {
      AppendUtf8(unit, out);
    }
  }
  if (i < in.size()) out->push_back(kInvalid);
}

void FromUtf32(std::string_view in, bool little_endian, std::string* out) {
  size_t i = 0;
  for (; i + 3 < in.size(); i += 4) {
    uint32_t unit = little_endian ? (Byte(in, i) | (Byte(in, i + 1) << 8) | (Byte(in, i + 2) << 16) |
                                     (static_cast<uint32_t>(Byte(in, i + 3)) << 24))
                                  : ((static_cast<uint32_t>(Byte(in, i)) << 24) | (Byte(in, i + 1) << 16) |
                                     (Byte(in, i + 2) << 8) | Byte(in, i + 3));
    if (unit > 0x10FFFF || (unit >= 0xD800 && unit <= 0xDFFF)) {
      out->push_back(kInvalid);
    } else {
      AppendUtf8(unit, out);
    }
  }
  if (i < in.size()) out->push_back(kInvalid);
}

}  // namespace

bool ParseCharset(std::string_view name, Charset* charset) {
  struct Name {
    const char* text;
    Charset charset;
  };
  static constexpr Name kNames[] = {
      {"UTF-8", Charset::kUtf8},       {"UTF8", Charset::kUtf8},         {"UTF-16", Charset::kUtf16},
      {"UTF16", Charset::kUtf16},      {"UTF-16LE", Charset::kUtf16Le},  {"UTF-16BE", Charset::kUtf16Be},
      {"UTF-32", Charset::kUtf32},     {"UTF32", Charset::kUtf32},       {"UTF-32LE", Charset::kUtf32Le},
      {"UTF-32BE", Charset::kUtf32Be}, {"ISO-8859-1", Charset::kLatin1}, {"ISO8859-1", Charset::kLatin1},
      {"LATIN1", Charset::kLatin1},    {"US-ASCII", Charset::kUsAscii},  {"ASCII", Charset::kUsAscii},
  };
  for (const Name& candidate : kNames) {
    std::string_view text(candidate.text);
    if (text.size() == name.size() && strncasecmp(text.data(), name.data(), name.size()) == 0) {
      *charset = candidate.charset;
      return true;
    }
  }
  return false;
}

Charset DetectCharset(std::string_view content, Charset declared) {
  auto starts = [&](std::initializer_list<int> bytes) {
    if (content.size() < bytes.size()) return false;
    size_t i = 0;
    for (int b : bytes) {
      if (Byte(content, i++) != b) return false;
    }
    return true;
  };
  if (declared == Charset::kUtf16) return starts({0xFF, 0xFE}) ? Charset::kUtf16Le : Charset::kUtf16Be;
  if (declared == Charset::kUtf32) return starts({0xFF, 0xFE, 0, 0}) ? Charset::kUtf32Le : Charset::kUtf32Be;
  if (declared != Charset::kDetect) return declared;
  if (starts({0xFF, 0xFE, 0, 0})) return Charset::kUtf32Le;
  if (starts({0, 0, 0xFE, 0xFF})) return Charset::kUtf32Be;
  if (starts({0xFF, 0xFE})) return Charset::kUtf16Le;
  if (starts({0xFE, 0xFF})) return Charset::kUtf16Be;
  // RFC 4627 section 3: the first two characters are ASCII, so zeros tell the form.
  if (content.size() >= 4) {
    bool z0 = content[0] == 0, z1 = content[1] == 0, z2 = content[2] == 0, z3 = content[3] == 0;
    if (z0 && z1 && z2 && !z3) return Charset::kUtf32Be;
    if (!z0 && z1 && z2 && z3) return Charset::kUtf32Le;
    if (z0 && !z1 && z2 && !z3) return Charset::kUtf16Be;
    if (!z0 && z1 && !z2 && z3) return Charset::kUtf16Le;
  }
  return Charset::kUtf8;
}

void TranscodeToUtf8(std::string_view content, Charset charset, std::string* out) {
  out->clear();
  out->reserve(content.size());
  switch (charset) {
    case Charset::kUtf16Le:
    case Charset::kUtf16Be: {
      bool little = charset == Charset::kUtf16Le;
      if (content.size() >= 2 && Byte(content, 0) == (little ? 0xFF : 0xFE) &&
          Byte(content, 1) == (little ? 0xFE : 0xFF)) {
        content.remove_prefix(2);
      }
      FromUtf16(content, little, out);
      return;
    }
    case Charset::kUtf32Le:
    case Charset::kUtf32Be: {
      bool little = charset == Charset::kUtf32Le;
      static constexpr char kLittleBom[] = {static_cast<char>(0xFF), static_cast<char>(0xFE), 0, 0};
      static constexpr char kBigBom[] = {0, 0, static_cast<char>(0xFE), static_cast<char>(0xFF)};
      if (content.starts_with(std::string_view(little ? kLittleBom : kBigBom, 4))) content.remove_prefix(4);
      FromUtf32(content, little, out);
      return;
    }
    case Charset::kLatin1:
      for (char c : content) AppendUtf8(static_cast<uint8_t>(c), out);
      return;
    case Charset::kUsAscii:
      for (char c : content) out->push_back(static_cast<uint8_t>(c) < 0x80 ? c : kInvalid);
      return;
    default:
      out->assign(content);
      return;
  }
}

}  // namespace tributary::json
