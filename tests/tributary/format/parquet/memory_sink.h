#pragma once

#include <gtest/gtest.h>

#include <string>

#include "tributary/io/file_system.h"

#define ASSERT_OK(expr)                                 \
  do {                                                  \
    ::tributary::Status _st = (expr);                   \
    ASSERT_TRUE(_st.ok()) << _st.ToString();            \
  } while (false)

#define ASSERT_OK_AND_ASSIGN_IMPL(tmp, lhs, rexpr)        \
  auto tmp = (rexpr);                                     \
  ASSERT_TRUE(tmp.ok()) << tmp.status().ToString();       \
  lhs = std::move(tmp).value()
#define ASSERT_OK_AND_ASSIGN(lhs, rexpr) \
  ASSERT_OK_AND_ASSIGN_IMPL(TRIB_CONCAT(_assign_, __COUNTER__), lhs, rexpr)

namespace tributary::parquet::testing {

/// An OutputStream that keeps the bytes in memory.
class MemorySink : public io::OutputStream {
 public:
  Status Write(const void* data, size_t length) override {
    bytes_.append(static_cast<const char*>(data), length);
    return Status::OK();
  }
  using io::OutputStream::Write;
  int64_t Tell() const override { return static_cast<int64_t>(bytes_.size()); }
  Status Close() override { return Status::OK(); }
  const std::string& bytes() const { return bytes_; }

 private:
  std::string bytes_;
};

}  // namespace tributary::parquet::testing
