#include "tributary/format/csv/charset.h"

#include <cstdint>
#include <cstring>

namespace tributary::csv {

namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

bool IsContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// Index of the first byte that does not start a valid UTF-8 sequence, or size.
size_t FirstInvalidUtf8(const unsigned char* data, size_t size) {
  size_t i = 0;
  while (i < size) {
    // Eight ASCII bytes at a time: the common case for CSV.
    if (i + 8 <= size) {
      uint64_t word;
      std::memcpy(&word, data + i, 8);
      if ((word & 0x8080808080808080ULL) == 0) {
        i += 8;
        continue;
      }
    }
    if (data[i] < 0x80) {
      ++i;
      continue;
    }
    int length = Utf8SequenceLength(data + i, size - i);
    if (length == 0) return i;
    i += static_cast<size_t>(length);
  }
  return size;
}

}  // namespace

int Utf8SequenceLength(const unsigned char* data, size_t size) {
  unsigned char c = data[0];
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return size >= 2 && IsContinuation(data[1]) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (size < 3 || !IsContinuation(data[1]) || !IsContinuation(data[2])) return 0;
    if (c == 0xE0 && data[1] < 0xA0) return 0;   // overlong
    if (c == 0xED && data[1] >= 0xA0) return 0;  // surrogate
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (size < 4 || !IsContinuation(data[1]) || !IsContinuation(data[2]) || !IsContinuation(data[3])) return 0;
    if (c == 0xF0 && data[1] < 0x90) return 0;   // overlong
    if (c == 0xF4 && data[1] >= 0x90) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

std::string_view ToUtf8(std::string_view content, Charset charset, std::string* storage) {
  const auto* data = reinterpret_cast<const unsigned char*>(content.data());
  size_t size = content.size();
  switch (charset) {
    case Charset::kUtf8: {
      if (size >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF) {
        data += 3;
        size -= 3;
        content.remove_prefix(3);
      }
      size_t bad = FirstInvalidUtf8(data, size);
      if (bad == size) return content;
      storage->clear();
      storage->reserve(size + 16);
      storage->append(content.data(), bad);
      size_t i = bad;
      while (i < size) {
        int length = Utf8SequenceLength(data + i, size - i);
        if (length == 0) {
          storage->append(kReplacement);
          ++i;
        } else {
          storage->append(content.data() + i, static_cast<size_t>(length));
          i += static_cast<size_t>(length);
        }
      }
      return *storage;
    }
    case Charset::kLatin1:
    case Charset::kUsAscii: {
      size_t first_high = 0;
      while (first_high < size && data[first_high] < 0x80) ++first_high;
      if (first_high == size) return content;
      storage->clear();
      storage->reserve(size + size / 4);
      storage->append(content.data(), first_high);
      for (size_t i = first_high; i < size; ++i) {
        unsigned char c = data[i];
        if (c < 0x80) {
          storage->push_back(static_cast<char>(c));
        } else if (charset == Charset::kUsAscii) {
          storage->append(kReplacement);
        } else {
          storage->push_back(static_cast<char>(0xC0 | (c >> 6)));
          storage->push_back(static_cast<char>(0x80 | (c & 0x3F)));
        }
      }
      return *storage;
    }
  }
  return content;
}

}  // namespace tributary::csv
