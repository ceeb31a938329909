#include "tributary/delta/merge/merge.h"

#include <gmock/gmock.h>

#include <fstream>
#include <functional>

#include "../delta_testing.h"
#include "../python_testing.h"
#include "../racing_file_system.h"
#include "../spark_tables_testing.h"
#include "tributary/base/json.h"
#include "tributary/delta/scan.h"
#include "tributary/delta/transaction.h"

namespace tributary::delta {
namespace {

using ::testing::HasSubstr;
using columnar::DataType;
using columnar::Field;
using Kind = MergeClause::Kind;

// Target (id LONG, name STRING, qty INT, part STRING); source (id LONG, name STRING, qty INT, op STRING).
columnar::Schema TargetSchema() {
  return columnar::Schema({Field{"id", DataType::Long()}, Field{"name", DataType::String()},
                           Field{"qty", DataType::Integer()}, Field{"part", DataType::String()}});
}
columnar::Schema SourceSchema() {
  return columnar::Schema({Field{"id", DataType::Long()}, Field{"name", DataType::String()},
                           Field{"qty", DataType::Integer()}, Field{"op", DataType::String()}});
}

struct Row {
  int64_t id;
  std::optional<std::string> name;
  int qty;
  std::string last;  // part (target) or op (source)
};

columnar::RecordBatchPtr Batch(const columnar::Schema& schema, const std::vector<Row>& rows) {
  auto b = testing::Builders(schema);
  for (const Row& r : rows) {
    b[0].AppendInt(r.id);
    if (r.name) {
      b[1].AppendString(*r.name);
    } else {
      b[1].AppendNull();
    }
    b[2].AppendInt(r.qty);
    b[3].AppendString(r.last);
  }
  return testing::MakeBatch(schema, b);
}

// Target rows id 0..29 in three files: ids 0-9 (part a), 10-19 (part a), 20-29 (part b).
std::vector<Row> TargetRows(int64_t from, int64_t to, const std::string& part) {
  std::vector<Row> rows;
  for (int64_t i = from; i < to; ++i) rows.push_back({i, "t" + std::to_string(i), static_cast<int>(i), part});
  return rows;
}

std::vector<std::string> TableRows(Table& table) {
  EXPECT_OK(table.Refresh());
  std::vector<columnar::RecordBatchPtr> batches;
  EXPECT_OK(ScanTable(table.fs_ptr(), table.path(), table.snapshot(), ScanOptions{},
                      [&](columnar::RecordBatchPtr b) {
                        batches.push_back(std::move(b));
                        return Status::OK();
                      }));
  return testing::RowLines(batches);
}

std::vector<std::string> ExternalRows(const std::string& path, const std::string& columns) {
  std::string code =
      "import os, sys, duckdb, duckdb_extension_delta\nfrom deltalake import DeltaTable\n"
      "t = DeltaTable(sys.argv[1]).to_pyarrow_table()\n" +
      testing::PrintRowsPython(columns) +
      "print('--duckdb--')\n"
      "con = duckdb.connect(config={'allow_unsigned_extensions': 'true'})\n"
      "con.load_extension(os.path.join(os.path.dirname(duckdb_extension_delta.__file__), 'extensions',\n"
      "                                'v' + duckdb.__version__, 'delta.duckdb_extension'))\n"
      "r = con.sql(\"SELECT * FROM delta_scan('\" + sys.argv[1] + \"')\")\n"
      "t = r.to_arrow_table() if hasattr(r, 'to_arrow_table') else r.arrow()\n" +
      testing::PrintRowsPython(columns);
  std::string out = testing::RunPython(code, {path});
  size_t split = out.find("--duckdb--\n");
  EXPECT_NE(split, std::string::npos) << out;
  if (split == std::string::npos) return {};
  auto deltalake_rows = testing::SortedLines(out.substr(0, split));
  auto duckdb_rows = testing::SortedLines(out.substr(split + 11));
  EXPECT_EQ(deltalake_rows, duckdb_rows) << "delta-rs and DuckDB disagree";
  return deltalake_rows;
}

JsonValue CommitInfoOf(Table& table, int64_t version) {
  auto actions = ReadCommit(table.fs(), table.path(), version);
  EXPECT_TRUE(actions.ok());
  for (const Action& a : *actions) {
    if (const auto* info = std::get_if<CommitInfo>(&a)) return *ParseJson(info->json);
  }
  ADD_FAILURE() << "no commitInfo";
  return JsonValue();
}

std::pair<int, int> AddsRemoves(Table& table, int64_t version) {
  auto actions = ReadCommit(table.fs(), table.path(), version);
  EXPECT_TRUE(actions.ok());
  int adds = 0, removes = 0;
  for (const Action& a : *actions) {
    adds += std::holds_alternative<AddFile>(a);
    removes += std::holds_alternative<RemoveFile>(a);
  }
  return {adds, removes};
}

class MergeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(table_, Table::Create(io::LocalFileSystem(), path_, TargetSchema(), {"part"}, {}));
    ASSERT_OK(Append(TargetRows(0, 10, "a")));
    ASSERT_OK(Append(TargetRows(10, 20, "a")));
    ASSERT_OK(Append(TargetRows(20, 30, "b")));
  }

  Status Append(const std::vector<Row>& rows, Table* table = nullptr) {
    table = table ? table : table_.get();
    TRIB_ASSIGN_OR_RETURN(auto append, table->NewAppend(AppendOptions{}));
    TRIB_RETURN_NOT_OK(append->Write(*Batch(TargetSchema(), rows)));
    return append->Commit(std::nullopt).status();
  }

  Result<MergeMetrics> Merge(const std::vector<Row>& source, MergeSpec spec) {
    if (spec.condition.empty()) spec.condition = "t.id = s.id";
    return ExecuteMerge(*table_, SourceSchema(), {Batch(SourceSchema(), source)}, spec);
  }

  testing::TempDir dir_;
  std::string path_ = dir_.Join("target");
  std::unique_ptr<Table> table_;
};

MergeClause Clause(Kind kind, std::optional<std::string> condition = std::nullopt,
                   std::vector<std::pair<std::string, std::string>> assignments = {}) {
  return MergeClause{kind, std::move(condition), std::move(assignments)};
}

TEST_F(MergeTest, UpsertRewritesOnlyTheMatchedFileAndReadsBackEverywhere) {
  MergeSpec spec;
  spec.clauses = {Clause(Kind::kMatchedUpdate, std::nullopt, {{"name", "s.name"}, {"qty", "t.qty + s.qty"}}),
                  Clause(Kind::kNotMatchedInsert, std::nullopt,
                         {{"id", "s.id"}, {"name", "upper(s.name)"}, {"part", "'c'"}})};
  ASSERT_OK_AND_ASSIGN(auto m, Merge({{12, "u12", 100, "U"}, {15, std::nullopt, 1, "U"}, {40, "new", 5, "I"}}, spec));
  EXPECT_EQ(m.version, 4);
  EXPECT_FALSE(m.skipped);
  EXPECT_EQ(m.num_source_rows, 3);
  EXPECT_EQ(m.num_target_rows_updated, 2);
  EXPECT_EQ(m.num_target_rows_inserted, 1);
  EXPECT_EQ(m.num_target_rows_deleted, 0);
  EXPECT_EQ(m.num_target_rows_copied, 8);
  EXPECT_EQ(m.num_target_files_removed, 1);
  EXPECT_EQ(m.num_target_files_added, 2);  // the rewritten file (part a) and the insert (part c)
  EXPECT_EQ(m.num_target_files_total, 3);
  EXPECT_EQ(m.num_target_files_scanned, 1);  // ids 12, 15, 40 can only be in the 10-19 file
  EXPECT_EQ(AddsRemoves(*table_, 4), std::make_pair(2, 1));

  auto rows = TableRows(*table_);
  EXPECT_EQ(rows.size(), 31u);
  EXPECT_THAT(rows, ::testing::Contains("12|u12|112|a"));
  EXPECT_THAT(rows, ::testing::Contains("15|null|16|a"));
  EXPECT_THAT(rows, ::testing::Contains("40|NEW|null|c"));  // qty not assigned: null
  EXPECT_THAT(rows, ::testing::Contains("11|t11|11|a"));
  EXPECT_EQ(ExternalRows(path_, "['id', 'name', 'qty', 'part']"), rows);

  JsonValue info = CommitInfoOf(*table_, 4);
  EXPECT_EQ(info.Find("operation")->string_value(), "MERGE");
  const JsonValue* params = info.Find("operationParameters");
  EXPECT_EQ(params->Find("predicate")->string_value(), "[\"t.id = s.id\"]");
  EXPECT_EQ(params->Find("matchedPredicates")->string_value(), "[{\"actionType\":\"update\"}]");
  EXPECT_EQ(params->Find("notMatchedPredicates")->string_value(), "[{\"actionType\":\"insert\"}]");
  EXPECT_EQ(params->Find("notMatchedBySourcePredicates")->string_value(), "[]");
  const JsonValue* metrics = info.Find("operationMetrics");
  EXPECT_EQ(metrics->Find("numSourceRows")->string_value(), "3");
  EXPECT_EQ(metrics->Find("numTargetRowsInserted")->string_value(), "1");
  EXPECT_EQ(metrics->Find("numTargetRowsUpdated")->string_value(), "2");
  EXPECT_EQ(metrics->Find("numTargetRowsCopied")->string_value(), "8");
  EXPECT_EQ(metrics->Find("numOutputRows")->string_value(), "11");
  EXPECT_EQ(metrics->Find("numTargetFilesAdded")->string_value(), "2");
  EXPECT_EQ(metrics->Find("numTargetFilesRemoved")->string_value(), "1");
  EXPECT_NE(metrics->Find("executionTimeMs"), nullptr);
}

TEST_F(MergeTest, ClauseOrderConditionsDeleteAndStar) {
  MergeSpec spec;
  spec.clauses = {Clause(Kind::kMatchedDelete, "s.op = 'D'"),
                  Clause(Kind::kMatchedUpdate, "s.op = 'X'", {{"name", "'x'"}}),
                  Clause(Kind::kMatchedUpdateAll),
                  Clause(Kind::kNotMatchedInsert, "s.op = 'skip'", {{"id", "-1"}}),
                  Clause(Kind::kNotMatchedInsertAll, "s.qty > 0")};
  // INSERT * / UPDATE * need every target column in the source: add part via a wider source.
  columnar::Schema source({Field{"id", DataType::Long()}, Field{"name", DataType::String()},
                           Field{"qty", DataType::Integer()}, Field{"part", DataType::String()},
                           Field{"op", DataType::String()}});
  auto b = testing::Builders(source);
  auto row = [&](int64_t id, const char* name, int qty, const char* part, const char* op) {
    b[0].AppendInt(id);
    b[1].AppendString(name);
    b[2].AppendInt(qty);
    b[3].AppendString(part);
    b[4].AppendString(op);
  };
  row(1, "d", 0, "a", "D");       // deleted
  row(2, "x?", 0, "a", "X");      // name set to 'x' only
  row(3, "star", 33, "a", "U");   // update *
  row(50, "ins", 5, "c", "I");    // insert *
  row(51, "no", 0, "c", "I");     // qty 0: no insert clause holds
  row(52, "skip", 5, "c", "skip");  // the first insert clause holds: id -1, rest null
  auto batch = testing::MakeBatch(source, b);
  ASSERT_OK_AND_ASSIGN(auto m, ExecuteMerge(*table_, source, {batch}, [&] {
                         spec.condition = "t.id = s.id";
                         return spec;
                       }()));
  EXPECT_EQ(m.num_target_rows_deleted, 1);
  EXPECT_EQ(m.num_target_rows_updated, 2);
  EXPECT_EQ(m.num_target_rows_inserted, 2);
  auto rows = TableRows(*table_);
  EXPECT_EQ(rows.size(), 31u);
  EXPECT_THAT(rows, ::testing::Not(::testing::Contains(HasSubstr("1|t1|"))));
  EXPECT_THAT(rows, ::testing::Contains("2|x|2|a"));
  EXPECT_THAT(rows, ::testing::Contains("3|star|33|a"));
  EXPECT_THAT(rows, ::testing::Contains("50|ins|5|c"));
  EXPECT_THAT(rows, ::testing::Contains("-1|null|null|null"));
  EXPECT_THAT(rows, ::testing::Not(::testing::Contains(HasSubstr("51|"))));
  EXPECT_EQ(ExternalRows(path_, "['id', 'name', 'qty', 'part']"), rows);
  JsonValue info = CommitInfoOf(*table_, m.version);
  EXPECT_EQ(info.Find("operationParameters")->Find("matchedPredicates")->string_value(),
            "[{\"predicate\":\"s.op = 'D'\",\"actionType\":\"delete\"},{\"predicate\":\"s.op = 'X'\","
            "\"actionType\":\"update\"},{\"actionType\":\"update\"}]");
}

TEST_F(MergeTest, NotMatchedBySourceUpdatesAndDeletes) {
  MergeSpec spec;
  spec.clauses = {Clause(Kind::kMatchedUpdate, std::nullopt, {{"qty", "s.qty"}}),
                  Clause(Kind::kNotMatchedBySourceDelete, "t.part = 'b'"),
                  Clause(Kind::kNotMatchedBySourceUpdate, std::nullopt, {{"name", "concat(t.name, '!')"}})};
  ASSERT_OK_AND_ASSIGN(auto m, Merge({{5, "x", 500, "U"}}, spec));
  EXPECT_EQ(m.num_target_files_scanned, 3);
  EXPECT_EQ(m.num_target_rows_deleted, 10);
  EXPECT_EQ(m.num_target_rows_updated, 20);  // 1 matched + 19 not matched by source in part a
  EXPECT_EQ(m.num_target_files_removed, 3);
  auto rows = TableRows(*table_);
  EXPECT_EQ(rows.size(), 20u);
  EXPECT_THAT(rows, ::testing::Contains("5|t5|500|a"));
  EXPECT_THAT(rows, ::testing::Contains("6|t6!|6|a"));
  EXPECT_EQ(ExternalRows(path_, "['id', 'name', 'qty', 'part']"), rows);
}

TEST_F(MergeTest, MultipleSourceRowsForOneTargetRow) {
  MergeSpec spec;
  spec.clauses = {Clause(Kind::kMatchedUpdate, std::nullopt, {{"qty", "s.qty"}})};
  auto m = Merge({{5, "a", 1, "U"}, {5, "b", 2, "U"}}, spec);
  ASSERT_FALSE(m.ok());
  EXPECT_THAT(m.status().message(), HasSubstr("DELTA_MULTIPLE_SOURCE_ROW_MATCHING_TARGET_ROW_IN_MERGE"));
  EXPECT_EQ(TableRows(*table_).size(), 30u);
  // No clause applies to the duplicates (condition false for both): not an error.
  spec.clauses = {Clause(Kind::kMatchedUpdate, "s.op = 'never'", {{"qty", "s.qty"}})};
  ASSERT_OK(Merge({{5, "a", 1, "U"}, {5, "b", 2, "U"}}, spec));
  // A lone unconditional delete may match several source rows.
  spec.clauses = {Clause(Kind::kMatchedDelete)};
  ASSERT_OK_AND_ASSIGN(auto deleted, Merge({{5, "a", 1, "U"}, {5, "b", 2, "U"}}, spec));
  EXPECT_EQ(deleted.num_target_rows_deleted, 1);
  EXPECT_EQ(TableRows(*table_).size(), 29u);
}

TEST_F(MergeTest, OnlyTheLastClauseOfAKindMayOmitItsCondition) {
  MergeSpec spec;
  spec.clauses = {Clause(Kind::kMatchedDelete), Clause(Kind::kMatchedUpdateAll, "s.qty > 1")};
  auto m = Merge({{5, "a", 1, "U"}}, spec);
  ASSERT_FALSE(m.ok());
  EXPECT_TRUE(m.status().IsInvalid());
  EXPECT_THAT(m.status().message(), HasSubstr("only the last one may omit the condition"));
}

TEST_F(MergeTest, EmptySourceCommitsNothingChanged) {
  MergeSpec spec;
  spec.clauses = {Clause(Kind::kMatchedDelete), Clause(Kind::kNotMatchedInsert, std::nullopt, {{"id", "s.id"}})};
  ASSERT_OK_AND_ASSIGN(auto m, Merge({}, spec));
  EXPECT_EQ(m.num_source_rows, 0);
  EXPECT_EQ(m.num_target_files_scanned, 0);
  EXPECT_EQ(AddsRemoves(*table_, m.version), std::make_pair(0, 0));
  EXPECT_EQ(TableRows(*table_).size(), 30u);
}

TEST_F(MergeTest, TxnMakesTheMergeIdempotent) {
  MergeSpec spec;
  spec.clauses = {Clause(Kind::kNotMatchedInsert, std::nullopt, {{"id", "s.id"}, {"part", "'z'"}})};
  spec.txn = Txn{"upserts", 7};
  ASSERT_OK_AND_ASSIGN(auto first, Merge({{100, "n", 1, "I"}}, spec));
  EXPECT_FALSE(first.skipped);
  ASSERT_OK_AND_ASSIGN(auto second, Merge({{100, "n", 1, "I"}}, spec));
  EXPECT_TRUE(second.skipped);
  EXPECT_EQ(second.version, first.version);
  EXPECT_EQ(TableRows(*table_).size(), 31u);
  EXPECT_EQ(table_->snapshot().TxnVersion("upserts"), 7);
}

// Merges `source` into the table at `path` (ON t.id = s.id, with `clauses`) through its
// own Table, while `concurrent` commits through another Table in the window between
// the merge's read and its first commit attempt.
Result<MergeMetrics> MergeRacing(const std::string& path, const std::vector<Row>& source,
                                 std::vector<MergeClause> clauses,
                                 const std::function<void(Table& other)>& concurrent) {
  TRIB_ASSIGN_OR_RETURN(auto other, Table::Open(io::LocalFileSystem(), path));
  auto racing = std::make_shared<testing::RacingFileSystem>([&] { concurrent(*other); });
  TRIB_ASSIGN_OR_RETURN(auto merging, Table::Open(racing, path));
  MergeSpec spec;
  spec.condition = "t.id = s.id";
  spec.clauses = std::move(clauses);
  return ExecuteMerge(*merging, SourceSchema(), {Batch(SourceSchema(), source)}, spec);
}

// Another writer deletes the file holding ids 10..19.
void DeleteFileOfIds10To19(Table& other) {
  ASSERT_OK_AND_ASSIGN(auto deleter, Transaction::Begin(other));
  for (const AddFile& f : other.snapshot().files()) {
    if (f.stats.find("\"minValues\":{\"id\":10,") != std::string::npos) deleter->Remove(f);
  }
  EXPECT_OK(deleter->Commit());
}

TEST_F(MergeTest, ConcurrentAppendOutsideTheReadIsRetriedAndBothLand) {
  ASSERT_OK_AND_ASSIGN(auto m, MergeRacing(path_, {{15, "x", 150, "U"}},
                                           {Clause(Kind::kMatchedUpdate, std::nullopt, {{"qty", "s.qty"}})},
                                           [&](Table& other) {
                                             // Part b, ids 1000..1004: outside the merge's read
                                             // predicate (id IN (15)).
                                             EXPECT_OK(Append(TargetRows(1000, 1005, "b"), &other));
                                           }));
  EXPECT_EQ(m.version, 5);  // version 4 went to the concurrent append
  JsonValue info = CommitInfoOf(*table_, 5);
  EXPECT_EQ(info.Find("operation")->string_value(), "MERGE");
  EXPECT_EQ(info.Find("readVersion")->int_value(), 3);
  auto rows = TableRows(*table_);
  EXPECT_EQ(rows.size(), 35u);
  EXPECT_THAT(rows, ::testing::Contains("1000|t1000|1000|b"));
  EXPECT_THAT(rows, ::testing::Contains("15|t15|150|a"));
  EXPECT_EQ(ExternalRows(path_, "['id', 'name', 'qty', 'part']"), rows);
}

TEST_F(MergeTest, ConcurrentBlindAppendIntoTheReadRangeIsOrderedAfterTheMerge) {
  // WriteSerializable (the default): a blind append does not conflict; it counts as
  // committed after the merge, so the appended row stays as it was written.
  ASSERT_OK_AND_ASSIGN(auto m, MergeRacing(path_, {{15, "x", 150, "U"}},
                                           {Clause(Kind::kMatchedUpdate, std::nullopt, {{"qty", "s.qty"}})},
                                           [&](Table& other) { EXPECT_OK(Append({{15, "dup", 1, "a"}}, &other)); }));
  EXPECT_EQ(m.version, 5);
  auto rows = TableRows(*table_);
  EXPECT_THAT(rows, ::testing::Contains("15|t15|150|a"));
  EXPECT_THAT(rows, ::testing::Contains("15|dup|1|a"));
}

TEST_F(MergeTest, ConcurrentAppendIntoTheReadRangeIsConcurrentAppendUnderSerializable) {
  ASSERT_OK_AND_ASSIGN(auto alter, Transaction::Begin(*table_));
  Metadata metadata = table_->snapshot().metadata();
  metadata.configuration["delta.isolationLevel"] = "Serializable";
  alter->SetMetadata(metadata);
  ASSERT_OK(alter->Commit());
  auto m = MergeRacing(path_, {{15, "x", 150, "U"}},
                       {Clause(Kind::kMatchedUpdate, std::nullopt, {{"qty", "s.qty"}})},
                       [&](Table& other) {
                         // A row the merge would have matched.
                         EXPECT_OK(Append({{15, "dup", 1, "a"}}, &other));
                       });
  ASSERT_FALSE(m.ok());
  EXPECT_TRUE(m.status().IsConflict());
  EXPECT_THAT(m.status().message(), HasSubstr("ConcurrentAppendException"));
}

TEST_F(MergeTest, ConcurrentRemoveOfAFileTheMergeReadIsConcurrentDeleteRead) {
  // The merge rewrites the file with id 15 that the other writer deletes.
  auto m = MergeRacing(path_, {{15, "x", 150, "U"}},
                       {Clause(Kind::kMatchedUpdate, std::nullopt, {{"qty", "s.qty"}})},
                       DeleteFileOfIds10To19);
  ASSERT_FALSE(m.ok());
  EXPECT_TRUE(m.status().IsConflict());
  // The merge read and removes the file: Delta checks delete-read before delete-delete.
  EXPECT_THAT(m.status().message(), HasSubstr("ConcurrentDeleteReadException"));
  EXPECT_THAT(m.status().message(), HasSubstr("MERGE into Delta table"));
}

TEST_F(MergeTest, ConcurrentRemoveOfAFileTheMergeOnlyReadIsConcurrentDeleteRead) {
  // Insert-only: the merge reads the 10..19 file to see that id 15 exists, and does not
  // rewrite it; its insert of id 500 commits a file.
  auto m = MergeRacing(path_, {{15, "x", 150, "I"}, {500, "y", 1, "I"}},
                       {Clause(Kind::kNotMatchedInsert, std::nullopt, {{"id", "s.id"}, {"part", "'a'"}})},
                       DeleteFileOfIds10To19);
  ASSERT_FALSE(m.ok());
  EXPECT_THAT(m.status().message(), HasSubstr("ConcurrentDeleteReadException"));
}

TEST_F(MergeTest, MergeIntoEmptyTableAndTableWrittenByDeltaRs) {
  testing::TempDir dir;
  std::string empty_path = dir.Join("empty");
  ASSERT_OK_AND_ASSIGN(auto empty, Table::Create(io::LocalFileSystem(), empty_path, TargetSchema(), {}, {}));
  MergeSpec spec;
  spec.condition = "t.id = s.id";
  spec.clauses = {Clause(Kind::kMatchedUpdateAll), Clause(Kind::kNotMatchedInsertAll)};
  spec.schema_evolution = true;  // source has op, target lacks it; target has part, source lacks it
  ASSERT_OK_AND_ASSIGN(auto m, ExecuteMerge(*empty, SourceSchema(), {Batch(SourceSchema(), {{1, "a", 1, "I"}})}, spec));
  EXPECT_EQ(m.num_target_rows_inserted, 1);
  EXPECT_EQ(TableRows(*empty), std::vector<std::string>{"1|a|1|null|I"});
  EXPECT_EQ(empty->snapshot().schema().ToDdl(), "`id` BIGINT, `name` STRING, `qty` INT, `part` STRING, `op` STRING");

  // delta-rs wrote this one, partitioned by part.
  std::string rs_path = dir.Join("rs");
  testing::RunPython(
      "import sys, pyarrow as pa\nfrom deltalake import write_deltalake\n"
      "schema = pa.schema([('id', pa.int64()), ('name', pa.string()), ('qty', pa.int32()), ('part', pa.string())])\n"
      "for p in ['a', 'b']:\n"
      "    rows = [{'id': i, 'name': f'rs{i}', 'qty': i, 'part': p} for i in range(0 if p == 'a' else 10, 10 if p == 'a' else 20)]\n"
      "    write_deltalake(sys.argv[1], pa.Table.from_pylist(rows, schema=schema), partition_by=['part'], mode='append')\n",
      {rs_path});
  ASSERT_OK_AND_ASSIGN(auto rs, Table::Open(io::LocalFileSystem(), rs_path));
  spec.schema_evolution = false;
  spec.clauses = {Clause(Kind::kMatchedUpdate, std::nullopt, {{"qty", "s.qty"}}),
                  Clause(Kind::kNotMatchedInsert, std::nullopt, {{"id", "s.id"}, {"name", "s.name"}, {"part", "'b'"}})};
  ASSERT_OK_AND_ASSIGN(auto m2, ExecuteMerge(*rs, SourceSchema(),
                                             {Batch(SourceSchema(), {{3, "x", 300, "U"}, {99, "new", 0, "I"}})}, spec));
  EXPECT_EQ(m2.num_target_files_scanned, 1);
  EXPECT_EQ(m2.num_target_files_removed, 1);
  auto rows = TableRows(*rs);
  EXPECT_EQ(rows.size(), 21u);
  EXPECT_THAT(rows, ::testing::Contains("3|rs3|300|a"));
  EXPECT_THAT(rows, ::testing::Contains("99|new|null|b"));
  EXPECT_EQ(ExternalRows(rs_path, "['id', 'name', 'qty', 'part']"), rows);
}

}  // namespace
}  // namespace tributary::delta

namespace tributary::delta {
namespace {

// MERGE into a table Spark wrote with deletion vectors (DELETE and UPDATE left DVs on
// both of its files): deleted rows neither match nor come back.
class MergeDeletionVectorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::CopySparkTable("deletion_vectors", path_);
    ASSERT_OK_AND_ASSIGN(table_, Table::Open(io::LocalFileSystem(), path_));
  }
  static columnar::Schema Source() {
    return columnar::Schema({Field{"id", DataType::Integer()}, Field{"name", DataType::String()}});
  }
  static columnar::RecordBatchPtr SourceRows(const std::vector<std::pair<int, std::string>>& rows) {
    auto b = testing::Builders(Source());
    for (const auto& [id, name] : rows) {
      b[0].AppendInt(id);
      b[1].AppendString(name);
    }
    return testing::MakeBatch(Source(), b);
  }
  std::vector<std::string> Rows() {
    EXPECT_OK(table_->Refresh());
    std::vector<columnar::RecordBatchPtr> batches;
    EXPECT_OK(ScanTable(table_->fs_ptr(), table_->path(), table_->snapshot(), ScanOptions{},
                        [&](columnar::RecordBatchPtr b) {
                          batches.push_back(std::move(b));
                          return Status::OK();
                        }));
    return testing::CanonicalRows(batches);
  }
  testing::TempDir dir_;
  std::string path_ = dir_.Join("target");
  std::unique_ptr<Table> table_;
};

TEST_F(MergeDeletionVectorTest, DeletedRowsDoNotMatchAndRewrittenFilesHoldOnlyLiveRows) {
  std::vector<std::string> before = testing::SparkExpectedRows("deletion_vectors");
  ASSERT_EQ(Rows(), before);
  // Row 3 (part 1) is live; row 5 (part 1) was deleted by Spark's DELETE: it must not
  // match, so the merge inserts it.
  MergeSpec spec;
  spec.condition = "t.id = s.id";
  spec.clauses = {MergeClause{Kind::kMatchedUpdate, std::nullopt, {{"name", "s.name"}}},
                  MergeClause{Kind::kNotMatchedInsert, std::nullopt,
                              {{"id", "s.id"}, {"name", "s.name"}, {"part", "s.id % 2"}}}};
  int64_t version = table_->snapshot().version();
  std::vector<AddFile> part1;
  for (const AddFile& file : table_->snapshot().files()) {
    // The part-1 file Spark wrote first; UPDATE moved row 7 to a file of its own.
    if (file.partition_values.at("part") == "1" && file.deletion_vector) part1.push_back(file);
  }
  ASSERT_EQ(part1.size(), 1u);
  ASSERT_TRUE(part1[0].deletion_vector.has_value());
  ASSERT_OK_AND_ASSIGN(auto m, ExecuteMerge(*table_, Source(), {SourceRows({{3, "merged3"}, {5, "merged5"}})}, spec));
  EXPECT_EQ(m.num_target_rows_updated, 1);
  EXPECT_EQ(m.num_target_rows_inserted, 1);
  int64_t live_in_part1 = 0;
  for (const std::string& row : before) live_in_part1 += row.ends_with(",1]");
  EXPECT_EQ(m.num_target_rows_copied, live_in_part1 - 2);  // not row 7 (other file), not row 3

  std::vector<std::string> expected;
  for (const std::string& row : before) {
    expected.push_back(row == R"([3,"n3","3.75",1])" ? R"([3,"merged3","3.75",1])" : row);
  }
  expected.push_back(R"([5,"merged5",null,1])");
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(Rows(), expected);

  // The remove names the file with its DV (its identity in log replay); the new files
  // carry no DV, and the part-1 file's replacement holds only its live rows.
  ASSERT_OK_AND_ASSIGN(auto actions, ReadCommit(table_->fs(), table_->path(), version + 1));
  int removes = 0;
  for (const Action& action : actions) {
    if (const auto* remove = std::get_if<RemoveFile>(&action)) {
      ++removes;
      EXPECT_EQ(remove->path, part1[0].path);
      EXPECT_EQ(remove->deletion_vector, part1[0].deletion_vector);
      EXPECT_THAT(ActionToJson(action), HasSubstr(R"("deletionVector":{"storageType":"u")"));
    }
    if (const auto* add = std::get_if<AddFile>(&action)) {
      EXPECT_FALSE(add->deletion_vector.has_value());
    }
  }
  EXPECT_EQ(removes, 1);
  for (const AddFile& file : table_->snapshot().files()) {
    EXPECT_NE(file.path, part1[0].path);
  }
}

TEST_F(MergeDeletionVectorTest, RefusesAnUnimplementedWriterFeatureNamingIt) {
  std::ofstream(path_ + "/" + CommitFileName(table_->snapshot().version() + 1))
      << R"({"protocol":{"minReaderVersion":3,"minWriterVersion":7,"readerFeatures":["deletionVectors"],)"
      << R"("writerFeatures":["deletionVectors","invariants","appendOnly","rowTracking"]}})" << "\n";
  ASSERT_OK(table_->Refresh());
  MergeSpec spec;
  spec.condition = "t.id = s.id";
  spec.clauses = {MergeClause{Kind::kMatchedUpdate, std::nullopt, {{"name", "s.name"}}}};
  Status refused = ExecuteMerge(*table_, Source(), {SourceRows({{3, "x"}})}, spec).status();
  EXPECT_TRUE(refused.IsNotImplemented()) << refused.ToString();
  EXPECT_THAT(refused.message(), HasSubstr("rowTracking"));
}

}  // namespace
}  // namespace tributary::delta
