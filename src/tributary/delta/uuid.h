#pragma once

#include <string>

namespace tributary::delta {

/// A random (version 4) UUID in canonical lower-case form, for table ids, data file
/// names and commit txnIds. Thread-safe.
std::string RandomUuid();

}  // namespace tributary::delta
