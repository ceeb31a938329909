#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string_view>

namespace tributary::columnar {

/// A growable block of bytes, 64-byte aligned as Arrow recommends, zero-filled when
/// it grows. Columns share finished buffers through std::shared_ptr, so a column can
/// be handed out (e.g. through the Arrow C Data Interface) without a copy.
class Buffer {
 public:
  Buffer() = default;
  explicit Buffer(size_t size) { Resize(size); }
  ~Buffer() { std::free(data_); }
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;

  uint8_t* data() { return data_; }
  const uint8_t* data() const { return data_; }
  size_t size() const { return size_; }
  size_t capacity() const { return capacity_; }

  template <typename T>
  T* mutable_data_as() { return reinterpret_cast<T*>(data_); }
  template <typename T>
  const T* data_as() const { return reinterpret_cast<const T*>(data_); }
  std::string_view view() const { return {reinterpret_cast<const char*>(data_), size_}; }

  /// Sets the size, growing capacity geometrically; new bytes are zero.
  void Resize(size_t new_size) {
    if (new_size > capacity_) Reserve(new_size > capacity_ * 2 ? new_size : capacity_ * 2);
    if (new_size > size_) std::memset(data_ + size_, 0, new_size - size_);
    size_ = new_size;
  }
  void Reserve(size_t new_capacity) {
    if (new_capacity <= capacity_) return;
    new_capacity = (new_capacity + 63) & ~size_t{63};
    auto* fresh = static_cast<uint8_t*>(std::aligned_alloc(64, new_capacity));
    if (size_ > 0) std::memcpy(fresh, data_, size_);
    std::free(data_);
    data_ = fresh;
    capacity_ = new_capacity;
  }
  void Append(const void* bytes, size_t length) {
    size_t old = size_;
    if (size_ + length > capacity_) Reserve(size_ + length > capacity_ * 2 ? size_ + length : capacity_ * 2);
    if (length > 0) std::memcpy(data_ + old, bytes, length);
    size_ = old + length;
  }
  void Clear() { size_ = 0; }

 private:
  uint8_t* data_ = nullptr;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

using BufferPtr = std::shared_ptr<Buffer>;

/// Bit helpers for Arrow validity bitmaps (LSB first).
inline bool GetBit(const uint8_t* bits, int64_t i) { return (bits[i >> 3] >> (i & 7)) & 1; }
inline void SetBit(uint8_t* bits, int64_t i) { bits[i >> 3] |= static_cast<uint8_t>(1u << (i & 7)); }
inline void ClearBit(uint8_t* bits, int64_t i) { bits[i >> 3] &= static_cast<uint8_t>(~(1u << (i & 7))); }

}  // namespace tributary::columnar
