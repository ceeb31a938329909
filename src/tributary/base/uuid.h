#pragma once

#include <string>

namespace tributary {

/// A random (version 4) UUID, "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx". Each call draws
/// fresh entropy from the operating system, so processes forked from one another never
/// repeat ids (data file names and query ids depend on that). Thread-safe.
std::string RandomUuid();

}  // namespace tributary
