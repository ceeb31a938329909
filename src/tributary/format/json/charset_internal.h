#pragma once

#include <string>
#include <string_view>

namespace tributary::json {

/// Input charsets the reader converts to UTF-8 before parsing (Spark's `encoding`).
enum class Charset {
  kUtf8,
  kUtf16,    // byte order from the BOM, big-endian without one
  kUtf16Le,
  kUtf16Be,
  kUtf32,    // byte order from the BOM, big-endian without one
  kUtf32Le,
  kUtf32Be,
  kLatin1,   // ISO-8859-1
  kUsAscii,
  kDetect,   // multiLine without `encoding`: BOM, else RFC 4627's zero-byte pattern
};

/// Parses an `encoding` value ignoring case ("UTF-16LE", "utf8", "ISO-8859-1",
/// "latin1", "US-ASCII", ...); false when unknown.
bool ParseCharset(std::string_view name, Charset* charset);

/// Resolves kDetect (and plain UTF-16/UTF-32 byte order) from the first bytes of
/// `content`.
Charset DetectCharset(std::string_view content, Charset declared);

/// Converts `content` in `charset` to UTF-8 into `out`, dropping a BOM. A code unit
/// that is not valid in the charset (a lone surrogate, a byte above 0x7F in ASCII, a
/// truncated unit) becomes the byte 0xFF, which is never valid UTF-8: the record
/// holding it is then malformed like any other invalid input. REQUIRES: charset is
/// neither kUtf8 nor kDetect.
void TranscodeToUtf8(std::string_view content, Charset charset, std::string* out);

}  // namespace tributary::json
