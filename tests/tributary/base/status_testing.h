#pragma once

#include <gtest/gtest.h>

#include "tributary/base/result.h"
#include "tributary/base/status.h"

/// Test helpers for Status and Result: ASSERT_OK(status_or_result),
/// EXPECT_OK(...), and ASSERT_OK_AND_ASSIGN(lhs, result_expr).

namespace tributary::testing {

inline const Status& ToStatus(const Status& status) { return status; }
template <typename T>
const Status& ToStatus(const Result<T>& result) {
  return result.status();
}

}  // namespace tributary::testing

#define ASSERT_OK(expr)                                                     \
  do {                                                                      \
    const ::tributary::Status _trib_s = ::tributary::testing::ToStatus(expr);           \
    ASSERT_TRUE(_trib_s.ok()) << #expr << " failed: " << _trib_s.ToString(); \
  } while (false)

#define EXPECT_OK(expr)                                                     \
  do {                                                                      \
    const ::tributary::Status _trib_s = ::tributary::testing::ToStatus(expr);           \
    EXPECT_TRUE(_trib_s.ok()) << #expr << " failed: " << _trib_s.ToString(); \
  } while (false)

#define TRIB_TEST_ASSIGN_IMPL(result_name, lhs, rexpr)                                          \
  auto result_name = (rexpr);                                                                   \
  ASSERT_TRUE(result_name.ok()) << #rexpr << " failed: " << result_name.status().ToString();    \
  lhs = std::move(result_name).value()

#define ASSERT_OK_AND_ASSIGN(lhs, rexpr) TRIB_TEST_ASSIGN_IMPL(TRIB_CONCAT(_trib_test_result_, __COUNTER__), lhs, rexpr)
