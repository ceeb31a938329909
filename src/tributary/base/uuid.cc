#include "tributary/base/uuid.h"

#include <cstdint>
#include <random>

#include <fmt/format.h>

namespace tributary {

std::string RandomUuid() {
  // A generator seeded once would hand the same ids to processes forked after its
  // first use; ids are rare enough to pay for fresh entropy each time.
  std::random_device device;
  auto next64 = [&device] { return (static_cast<uint64_t>(device()) << 32) ^ device(); };
  uint64_t high = next64();
  uint64_t low = next64();
  high = (high & 0xFFFFFFFFFFFF0FFFULL) | 0x0000000000004000ULL;  // version 4
  low = (low & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;    // RFC 4122 variant
  return fmt::format("{:08x}-{:04x}-{:04x}-{:04x}-{:012x}", high >> 32, (high >> 16) & 0xFFFF, high & 0xFFFF,
                     low >> 48, low & 0xFFFFFFFFFFFFULL);
}

}  // namespace tributary
