#include "tributary/format/csv/charset.h"

#include <cstdint>
#include <cstring>

#include "tributary/base/utf8.h"

namespace tributary::csv {

namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Index of the first byte that does not start a valid UTF-8 sequence, or size.
size_t FirstInvalidUtf8(const unsigned char* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
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
    size_t length = Utf8SequenceLength(text, i);
    if (length == 0) return i;
    i += length;
  }
  return size;
}

}  // namespace

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
        size_t length = Utf8SequenceLength(content, i);
        if (length == 0) {
          storage->append(kReplacement);
          ++i;
        } else {
          storage->append(content.data() + i, length);
          i += length;
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
          AppendUtf8(c, storage);
        }
      }
      return *storage;
    }
  }
  return content;
}

}  // namespace tributary::csv
