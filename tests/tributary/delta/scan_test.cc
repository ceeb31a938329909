#include "tributary/delta/scan.h"

#include <gmock/gmock.h>

#include <filesystem>

#include "delta_testing.h"
#include "python_testing.h"
#include "tributary/delta/table.h"

namespace tributary::delta {
namespace {

using ::testing::HasSubstr;
using columnar::DataType;
using columnar::Field;

columnar::Schema IdNamePart() {
  return columnar::Schema({Field{"id", DataType::Long()}, Field{"name", DataType::String()},
                           Field{"part", DataType::String()}});
}

columnar::RecordBatchPtr Rows(int64_t start, int64_t count, std::optional<std::string> part) {
  auto builders = testing::Builders(IdNamePart());
  for (int64_t i = start; i < start + count; ++i) {
    builders[0].AppendInt(i);
    if (i % 7 == 0) {
      builders[1].AppendNull();
    } else {
      builders[1].AppendString("n" + std::to_string(i));
    }
    if (part) {
      builders[2].AppendString(*part);
    } else {
      builders[2].AppendNull();
    }
  }
  return testing::MakeBatch(IdNamePart(), builders);
}

Status Append(Table& table, const columnar::RecordBatch& batch) {
  TRIB_ASSIGN_OR_RETURN(auto append, table.NewAppend(AppendOptions{}));
  TRIB_RETURN_NOT_OK(append->Write(batch));
  return append->Commit(std::nullopt).status();
}

Result<std::vector<columnar::RecordBatchPtr>> ReadAll(Table& table, FilePredicate predicate = {}) {
  std::vector<columnar::RecordBatchPtr> batches;
  ScanOptions options;
  options.predicate = std::move(predicate);
  TRIB_RETURN_NOT_OK(ScanTable(table.fs_ptr(), table.path(), table.snapshot(), options,
                               [&](columnar::RecordBatchPtr batch) {
                                 batches.push_back(std::move(batch));
                                 return Status::OK();
                               }));
  return batches;
}

std::vector<std::string> DeltaRsRows(const std::string& path, const std::string& columns) {
  std::string code = "import sys\nfrom deltalake import DeltaTable\nt = DeltaTable(sys.argv[1]).to_pyarrow_table()\n" +
                     testing::PrintRowsPython(columns);
  return testing::SortedLines(testing::RunPython(code, {path}));
}

class ScanTest : public ::testing::Test {
 protected:
  testing::TempDir dir_;
  std::string path_ = dir_.Join("table");
};

TEST_F(ScanTest, ReadsPartitionedTableLikeDeltaRs) {
  ASSERT_OK_AND_ASSIGN(auto table, Table::Create(io::LocalFileSystem(), path_, IdNamePart(), {"part"}, {}));
  ASSERT_OK(Append(*table, *Rows(0, 10, "a")));
  ASSERT_OK(Append(*table, *Rows(10, 10, "b/c%d")));  // escaped in the directory name
  ASSERT_OK(Append(*table, *Rows(20, 5, std::nullopt)));
  ASSERT_OK_AND_ASSIGN(auto batches, ReadAll(*table));
  auto rows = testing::RowLines(batches);
  EXPECT_EQ(rows.size(), 25u);
  EXPECT_EQ(rows, DeltaRsRows(path_, "['id', 'name', 'part']"));
  EXPECT_THAT(rows, ::testing::Contains("11|n11|b/c%d"));
  EXPECT_THAT(rows, ::testing::Contains("22|n22|null"));
}

TEST_F(ScanTest, PrunesFilesByPartitionAndStats) {
  ASSERT_OK_AND_ASSIGN(auto table, Table::Create(io::LocalFileSystem(), path_, IdNamePart(), {"part"}, {}));
  ASSERT_OK(Append(*table, *Rows(0, 10, "a")));
  ASSERT_OK(Append(*table, *Rows(10, 10, "a")));
  ASSERT_OK(Append(*table, *Rows(20, 10, "b")));
  ASSERT_OK(Append(*table, *Rows(30, 10, std::nullopt)));
  const Snapshot& snapshot = table->snapshot();
  ASSERT_EQ(snapshot.files().size(), 4u);
  auto count = [&](FilePredicate predicate) { return PlanScan(snapshot, predicate).size(); };
  EXPECT_EQ(count({{ColumnConstraint::Equal("part", std::string("a"))}}), 2u);
  EXPECT_EQ(count({{ColumnConstraint::Equal("PART", std::string("b"))}}), 1u);
  EXPECT_EQ(count({{ColumnConstraint::Between("id", int64_t{12}, int64_t{14})}}), 1u);
  EXPECT_EQ(count({{ColumnConstraint::Between("id", int64_t{9}, int64_t{10})}}), 2u);
  EXPECT_EQ(count({{ColumnConstraint::In("id", {int64_t{5}, int64_t{35}})}}), 2u);
  EXPECT_EQ(count({{ColumnConstraint::Equal("id", int64_t{100})}}), 0u);
  EXPECT_EQ(count({{ColumnConstraint::Greater("id", int64_t{29}, false)}}), 1u);
  EXPECT_EQ(count({{ColumnConstraint::Less("id", int64_t{10}, false)}}), 1u);
  // Strings compare bytewise: "n25" lies within ["n1", "n9"] and ["n20", "n29"].
  EXPECT_EQ(count({{ColumnConstraint::Equal("name", std::string("n25"))}}), 2u);
  EXPECT_EQ(count({{ColumnConstraint::Equal("name", std::string("n0"))}}), 0u);
  // A conjunction: part a and id in the third file's range match nothing.
  EXPECT_EQ(count({{ColumnConstraint::Equal("part", std::string("a")),
                    ColumnConstraint::Between("id", int64_t{20}, int64_t{29})}}),
            0u);
  FilePredicate nothing;
  nothing.matches_nothing = true;
  EXPECT_EQ(count(nothing), 0u);
  EXPECT_EQ(count({}), 4u);

  ASSERT_OK_AND_ASSIGN(auto batches, ReadAll(*table, {{ColumnConstraint::Equal("part", std::string("b"))}}));
  auto rows = testing::RowLines(batches);
  ASSERT_EQ(rows.size(), 10u);
  EXPECT_EQ(rows.front(), "20|n20|b");
}

TEST_F(ScanTest, ReadsOlderFilesAfterSchemaEvolutionAsNulls) {
  ASSERT_OK_AND_ASSIGN(auto table, Table::Create(io::LocalFileSystem(), path_, *testing::IdNameBatch(0, 1)->schema(), {}, {}));
  ASSERT_OK(Append(*table, *testing::IdNameBatch(0, 3)));
  AppendOptions options;
  options.merge_schema = true;
  ASSERT_OK_AND_ASSIGN(auto append, table->NewAppend(options));
  ASSERT_OK(append->Write(*Rows(3, 2, "x")));
  ASSERT_OK(append->Commit(std::nullopt));
  ASSERT_OK_AND_ASSIGN(auto batches, ReadAll(*table));
  EXPECT_EQ(testing::RowLines(batches),
            (std::vector<std::string>{"0|null|null", "1|n1|null", "2|n2|null", "3|n3|x", "4|n4|x"}));
}

TEST_F(ScanTest, RefusesDeletionVectorsOfUnknownStorageTypes) {
  ASSERT_OK_AND_ASSIGN(auto table, Table::Create(io::LocalFileSystem(), path_, IdNamePart(), {}, {}));
  AddFile file;
  file.path = "x.parquet";
  file.deletion_vector = DeletionVectorDescriptor{"q", "abc", 1, 10, 1};
  file.deletion_vector_id = file.deletion_vector->UniqueId();
  Status status = CheckScanSupported(table->snapshot(), {file}, path_);
  EXPECT_TRUE(status.IsNotImplemented());
  EXPECT_THAT(status.message(), HasSubstr("storageType 'q'"));
  EXPECT_THAT(status.message(), HasSubstr("x.parquet"));
}

}  // namespace
}  // namespace tributary::delta
