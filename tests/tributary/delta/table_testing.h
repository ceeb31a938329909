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

/// The file of `table` whose smallest id is `id` rounded down to a multiple of ten (the
/// tables of these tests add IdNameBatch(k * 10, 10) per commit).
inline const AddFile& FileWithId(const Table& table, int64_t id) {
  for (const AddFile& file : table.snapshot().files()) {
    if (file.stats.find("\"minValues\":{\"id\":" + std::to_string(id - id % 10) + ",") != std::string::npos) return file;
  }
  ADD_FAILURE() << "no file starts at id " << id;
  return table.snapshot().files().front();
}

/// A transaction on `table` that read the rows with 0 <= id <= 9 (the first file) and
/// rewrites them, committing as `operation`.
inline std::unique_ptr<Transaction> RewriteFirstFile(Table& table, const CommitOperation& operation) {
  auto txn = Transaction::Begin(table);
  EXPECT_TRUE(txn.ok());
  (*txn)->ReadPredicate(FilePredicate{{ColumnConstraint::Between("id", int64_t{0}, int64_t{9})}});
  (*txn)->ReadFile(FileWithId(table, 0));
  (*txn)->Remove(FileWithId(table, 0));
  (*txn)->SetOperation(operation);
  return std::move(txn).value();
}

}  // namespace tributary::delta::testing
