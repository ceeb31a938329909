#include "tributary/delta/uuid.h"

#include <fmt/format.h>

#include <mutex>
#include <random>

namespace tributary::delta {

std::string RandomUuid() {
  static std::mutex mutex;
  static std::mt19937_64 engine{std::random_device{}()};
  uint64_t high = 0;
  uint64_t low = 0;
  {
    std::lock_guard<std::mutex> lock(mutex);
    high = engine();
    low = engine();
  }
  high = (high & ~uint64_t{0xF000}) | 0x4000;                  // version 4
  low = (low & ~(uint64_t{0xC} << 60)) | (uint64_t{0x8} << 60);  // RFC 4122 variant
  return fmt::format("{:08x}-{:04x}-{:04x}-{:04x}-{:012x}", high >> 32, (high >> 16) & 0xFFFF,
                     high & 0xFFFF, low >> 48, low & 0xFFFFFFFFFFFFULL);
}

}  // namespace tributary::delta
