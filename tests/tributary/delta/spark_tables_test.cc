// Tables written by Spark 4.0 + Delta 4.0 (tests/data/delta/spark/generate.py) read
// row for row as Spark reads them: deletion vectors (on-file, with random prefixes,
// inline), column mapping (name, id; renamed, dropped and re-added columns, nested
// fields), timestamp_ntz, and partition values of many types, null and escaped.

#include <gmock/gmock.h>

#include <fstream>

#include "delta_testing.h"
#include "spark_tables_testing.h"
#include "tributary/delta/scan.h"
#include "tributary/delta/table.h"

namespace tributary::delta {
namespace {

using testing::CanonicalRows;
using testing::SparkExpectedRows;
using testing::SparkTablePath;

Result<std::vector<columnar::RecordBatchPtr>> Scan(const Table& table, FilePredicate predicate = {},
                                                   int64_t max_batch_rows = 65536) {
  std::vector<columnar::RecordBatchPtr> batches;
  ScanOptions options;
  options.predicate = std::move(predicate);
  options.max_batch_rows = max_batch_rows;
  TRIB_RETURN_NOT_OK(ScanTable(table.fs_ptr(), table.path(), table.snapshot(), options,
                               [&](columnar::RecordBatchPtr batch) {
                                 batches.push_back(std::move(batch));
                                 return Status::OK();
                               }));
  return batches;
}

std::string ColumnsLine(const columnar::Schema& schema) {
  std::string out = R"({"columns":[)";
  for (int i = 0; i < schema.num_fields(); ++i) {
    if (i > 0) out += ", ";
    out += testing::JsonString(schema.field(i).name);
  }
  return out + R"(],"rows":[)";
}

class SparkTableTest : public ::testing::TestWithParam<std::string> {};

TEST_P(SparkTableTest, ReadsTheRowsSparkReads) {
  const std::string& name = GetParam();
  std::vector<std::string> expected = SparkExpectedRows(name);
  ASSERT_FALSE(expected.empty()) << "missing " << SparkTablePath(name) << ".expected.json";
  ASSERT_OK_AND_ASSIGN(auto table, Table::Open(io::LocalFileSystem(), SparkTablePath(name)));
  EXPECT_EQ(ColumnsLine(table->snapshot().schema()), testing::SparkExpectedColumns(name));
  ASSERT_OK_AND_ASSIGN(auto batches, Scan(*table));
  EXPECT_EQ(CanonicalRows(batches), expected);
  // Small batches put deleted rows at every batch boundary.
  ASSERT_OK_AND_ASSIGN(auto small, Scan(*table, {}, 3));
  EXPECT_EQ(CanonicalRows(small), expected);
}

INSTANTIATE_TEST_SUITE_P(Spark, SparkTableTest,
                         ::testing::Values("deletion_vectors", "deletion_vectors_prefixed",
                                           "deletion_vector_inline", "column_mapping_name",
                                           "column_mapping_id", "column_mapping_id_by_field_id",
                                           "timestamp_ntz", "partition_strings", "partition_types",
                                           "partition_binary"));

TEST(SparkTables, DeletionVectorTablesHoldDeletionVectorsOfEveryKind) {
  // Guards the fixtures: the reads above prove something only if the DVs are there.
  for (const auto& [name, storage] : std::vector<std::pair<std::string, std::string>>{
           {"deletion_vectors", "u"}, {"deletion_vectors_prefixed", "u"}, {"deletion_vector_inline", "i"}}) {
    ASSERT_OK_AND_ASSIGN(auto table, Table::Open(io::LocalFileSystem(), SparkTablePath(name)));
    int with_dv = 0;
    for (const AddFile& file : table->snapshot().files()) {
      if (file.deletion_vector && file.deletion_vector->storage_type == storage) ++with_dv;
    }
    EXPECT_GT(with_dv, 0) << name;
  }
}

TEST(SparkTables, SkipsFilesByPhysicallyKeyedPartitionValuesAndStats) {
  for (const std::string name : {"column_mapping_name", "column_mapping_id"}) {
    ASSERT_OK_AND_ASSIGN(auto table, Table::Open(io::LocalFileSystem(), SparkTablePath(name)));
    FilePredicate region;
    region.conjuncts.push_back(ColumnConstraint::Equal("region", SkipValue(std::string("ap"))));
    std::vector<AddFile> files = PlanScan(table->snapshot(), region);
    ASSERT_EQ(files.size(), 1u) << name;
    ASSERT_OK_AND_ASSIGN(auto batches, Scan(*table, region));
    EXPECT_EQ(CanonicalRows(batches),
              (std::vector<std::string>{R"([5,"five",{"alpha":50,"b":"w"},"ap",null])"}))
        << name;
    // Stats of the renamed nested field are keyed by physical names too.
    FilePredicate alpha;
    alpha.conjuncts.push_back(ColumnConstraint::Greater("info.alpha", SkipValue(int64_t{45}), false));
    EXPECT_EQ(PlanScan(table->snapshot(), alpha).size(), 1u) << name;
    FilePredicate full_name;
    full_name.conjuncts.push_back(ColumnConstraint::Equal("full_name", SkipValue(std::string("zzz"))));
    EXPECT_EQ(PlanScan(table->snapshot(), full_name).size(), 0u) << name;
  }
}

}  // namespace
}  // namespace tributary::delta

namespace tributary::delta {
namespace {

class SparkTableWriteTest : public ::testing::Test {
 protected:
  std::unique_ptr<Table> Copy(const std::string& name) {
    testing::CopySparkTable(name, path_);
    auto table = Table::Open(io::LocalFileSystem(), path_);
    EXPECT_OK(table.status());
    return table.ok() ? std::move(table).value() : nullptr;
  }
  // Commits `protocol` as the table's next version, as another writer upgrading it would.
  void CommitProtocol(Table& table, const std::string& protocol_json) {
    std::ofstream(path_ + "/" + CommitFileName(table.snapshot().version() + 1))
        << R"({"protocol":)" << protocol_json << "}\n";
    ASSERT_OK(table.Refresh());
  }
  testing::TempDir dir_;
  std::string path_ = dir_.Join("table");
};

columnar::RecordBatchPtr DvTableRows(int32_t from, int32_t to) {
  columnar::Schema schema({columnar::Field{"id", columnar::DataType::Integer()},
                           columnar::Field{"name", columnar::DataType::String()},
                           columnar::Field{"amount", columnar::DataType::Decimal(10, 2)},
                           columnar::Field{"part", columnar::DataType::Integer()}});
  auto builders = testing::Builders(schema);
  for (int32_t id = from; id < to; ++id) {
    builders[0].AppendInt(id);
    builders[1].AppendString("new" + std::to_string(id));
    builders[2].AppendDecimal(static_cast<__int128>(id) * 100);
    builders[3].AppendInt(id % 2);
  }
  return testing::MakeBatch(schema, builders);
}

TEST_F(SparkTableWriteTest, AppendsToATableWithDeletionVectors) {
  auto table = Copy("deletion_vectors");
  ASSERT_NE(table, nullptr);
  ASSERT_OK_AND_ASSIGN(auto append, table->NewAppend(AppendOptions{}));
  ASSERT_OK(append->Write(*DvTableRows(100, 102)));
  ASSERT_OK(append->Commit(std::nullopt));
  ASSERT_OK(table->Refresh());
  std::vector<std::string> expected = SparkExpectedRows("deletion_vectors");
  expected.push_back(R"([100,"new100","100.00",0])");
  expected.push_back(R"([101,"new101","101.00",1])");
  std::sort(expected.begin(), expected.end());
  ASSERT_OK_AND_ASSIGN(auto batches, Scan(*table));
  EXPECT_EQ(CanonicalRows(batches), expected);
}

TEST_F(SparkTableWriteTest, RefusesToWriteWithAnUnimplementedWriterFeatureButStillReads) {
  auto table = Copy("deletion_vectors");
  ASSERT_NE(table, nullptr);
  CommitProtocol(*table,
                 R"({"minReaderVersion":3,"minWriterVersion":7,"readerFeatures":["deletionVectors"],)"
                 R"("writerFeatures":["deletionVectors","invariants","appendOnly","rowTracking","domainMetadata"]})");
  Status refused = table->NewAppend(AppendOptions{}).status();
  EXPECT_TRUE(refused.IsNotImplemented()) << refused.ToString();
  EXPECT_THAT(refused.message(), ::testing::HasSubstr("rowTracking"));
  ASSERT_OK_AND_ASSIGN(auto batches, Scan(*table));
  EXPECT_EQ(CanonicalRows(batches), SparkExpectedRows("deletion_vectors"));
}

TEST_F(SparkTableWriteTest, RefusesToReadWithAnUnimplementedReaderFeature) {
  auto table = Copy("timestamp_ntz");
  ASSERT_NE(table, nullptr);
  CommitProtocol(*table,
                 R"({"minReaderVersion":3,"minWriterVersion":7,"readerFeatures":["timestampNtz","variantType"],)"
                 R"("writerFeatures":["timestampNtz","variantType"]})");
  Status refused = Scan(*table).status();
  EXPECT_TRUE(refused.IsNotImplemented()) << refused.ToString();
  EXPECT_THAT(refused.message(), ::testing::HasSubstr("variantType"));
}

TEST_F(SparkTableWriteTest, RefusesToAppendToAColumnMappedTable) {
  auto table = Copy("column_mapping_name");
  ASSERT_NE(table, nullptr);
  Status refused = table->NewAppend(AppendOptions{}).status();
  EXPECT_TRUE(refused.IsNotImplemented()) << refused.ToString();
  EXPECT_THAT(refused.message(), ::testing::HasSubstr("columnMapping"));
}

}  // namespace
}  // namespace tributary::delta
