#pragma once

#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "tributary/base/result.h"
#include "tributary/columnar/record_batch.h"
#include "tributary/delta/table.h"
#include "tributary/delta/transaction.h"

// Test helpers over a Table (kept out of delta_testing.h, which does not depend on
// the table layer).
namespace tributary::delta::testing {

/// Appends `batch` to `table` in one commit.
inline Status Append(Table& table, const columnar::RecordBatch& batch) {
  TRIB_ASSIGN_OR_RETURN(auto append, table.NewAppend(AppendOptions{}));
  TRIB_RETURN_NOT_OK(append->Write(batch));
  return append->Commit(std::nullopt).status();
}

}  // namespace tributary::delta::testing
