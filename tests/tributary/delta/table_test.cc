#include "tributary/delta/table.h"

#include <gmock/gmock.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "delta_testing.h"
#include "tributary/base/json.h"

namespace tributary::delta {
namespace {

using ::testing::HasSubstr;
using columnar::DataType;
using columnar::Field;

columnar::Schema IdName() {
  return columnar::Schema({Field{"id", DataType::Long()}, Field{"name", DataType::String()}});
}

std::string ReadText(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void WriteText(const std::string& path, const std::string& text) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream(path) << text;
}

TEST(Table, CreateWritesVersionZero) {
  testing::TempDir dir;
  std::string path = dir.Join("t");
  ASSERT_OK_AND_ASSIGN(auto table, Table::Create(io::LocalFileSystem(), path, IdName(), {"name"},
                                                 {{"delta.appendOnly", "true"}}));
  EXPECT_EQ(table->snapshot().version(), 0);
  EXPECT_EQ(table->snapshot().partition_columns(), std::vector<std::string>{"name"});
  EXPECT_TRUE(table->snapshot().schema().Equals(IdName()));
  EXPECT_EQ(table->snapshot().configuration().at("delta.appendOnly"), "true");
  EXPECT_EQ(table->snapshot().table_id().size(), 36u);
  EXPECT_TRUE(table->snapshot().files().empty());

  std::string commit = ReadText(dir.Join("t/_delta_log/00000000000000000000.json"));
  std::vector<std::string> lines;
  for (size_t start = 0, end; (end = commit.find('\n', start)) != std::string::npos; start = end + 1) {
    lines.push_back(commit.substr(start, end - start));
  }
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_THAT(lines[0], HasSubstr(R"("operation":"CREATE TABLE")"));
  EXPECT_THAT(lines[0], HasSubstr(R"("engineInfo":"Tributary/0.1.0")"));
  EXPECT_EQ(lines[1], R"({"protocol":{"minReaderVersion":1,"minWriterVersion":2}})");
  EXPECT_THAT(lines[2], HasSubstr(R"("partitionColumns":["name"])"));
  EXPECT_THAT(lines[2], HasSubstr(R"(\"name\":\"id\",\"type\":\"long\")"));

  // Creating again opens the existing table.
  ASSERT_OK_AND_ASSIGN(auto again, Table::Create(io::LocalFileSystem(), path, IdName(), {}, {}));
  EXPECT_EQ(again->snapshot().table_id(), table->snapshot().table_id());
}

TEST(Table, TimestampNtzNeedsTableFeatures) {
  testing::TempDir dir;
  columnar::Schema schema({Field{"t", DataType::TimestampNtz()}});
  ASSERT_OK_AND_ASSIGN(auto table, Table::Create(io::LocalFileSystem(), dir.Join("t"), schema, {}, {}));
  const Protocol& protocol = table->snapshot().protocol();
  EXPECT_EQ(protocol.min_reader_version, 3);
  EXPECT_EQ(protocol.min_writer_version, 7);
  EXPECT_EQ(protocol.reader_features, std::vector<std::string>{"timestampNtz"});
}

TEST(Table, CreateRejectsBadPartitioning) {
  testing::TempDir dir;
  auto unknown = Table::Create(io::LocalFileSystem(), dir.Join("t"), IdName(), {"nope"}, {});
  ASSERT_FALSE(unknown.ok());
  EXPECT_TRUE(unknown.status().IsInvalid());
  EXPECT_THAT(unknown.status().message(), HasSubstr("'nope'"));
  EXPECT_THAT(unknown.status().message(), HasSubstr(dir.Join("t")));
  auto all = Table::Create(io::LocalFileSystem(), dir.Join("t"), IdName(), {"id", "name"}, {});
  EXPECT_TRUE(all.status().IsInvalid());
}

TEST(Table, OpenMissingOrEmptyIsNotFound) {
  testing::TempDir dir;
  auto missing = Table::Open(io::LocalFileSystem(), dir.Join("nothing"));
  EXPECT_TRUE(missing.status().IsNotFound()) << missing.status().ToString();
  auto empty = Table::Open(io::LocalFileSystem(), dir.path());
  EXPECT_TRUE(empty.status().IsNotFound()) << empty.status().ToString();
}

TEST(Table, OpenPlainDirectoryIsNotADeltaTable) {
  testing::TempDir dir;
  WriteText(dir.Join("t/part-0.parquet"), "x");
  auto opened = Table::Open(io::LocalFileSystem(), dir.Join("t"));
  ASSERT_FALSE(opened.ok());
  EXPECT_TRUE(opened.status().IsInvalid());
  EXPECT_EQ(opened.status().message(),
            "'" + dir.Join("t") + "' exists but is not a Delta table (no _delta_log)");
  auto created = Table::Create(io::LocalFileSystem(), dir.Join("t"), IdName(), {}, {});
  EXPECT_TRUE(created.status().IsInvalid());
}

TEST(Table, CorruptCommitIsNamed) {
  testing::TempDir dir;
  std::string path = dir.Join("t");
  ASSERT_OK(Table::Create(io::LocalFileSystem(), path, IdName(), {}, {}));
  WriteText(path + "/_delta_log/00000000000000000001.json", "{\"add\":{\"path\":\n");
  auto opened = Table::Open(io::LocalFileSystem(), path);
  ASSERT_FALSE(opened.ok());
  EXPECT_TRUE(opened.status().IsCorruption());
  EXPECT_THAT(opened.status().message(), HasSubstr("00000000000000000001.json line 1"));
}

TEST(Table, MissingCommitIsCorruptionNamingTheFile) {
  testing::TempDir dir;
  std::string path = dir.Join("t");
  ASSERT_OK(Table::Create(io::LocalFileSystem(), path, IdName(), {}, {}));
  WriteText(path + "/_delta_log/00000000000000000002.json",
            R"({"txn":{"appId":"a","version":1}})" "\n");
  auto opened = Table::Open(io::LocalFileSystem(), path);
  ASSERT_FALSE(opened.ok());
  EXPECT_TRUE(opened.status().IsCorruption());
  EXPECT_THAT(opened.status().message(), HasSubstr("_delta_log/00000000000000000001.json"));
  EXPECT_THAT(opened.status().message(), HasSubstr("missing"));
}

TEST(Table, UnreadableCheckpointBehindCleanedUpLogIsCorruption) {
  testing::TempDir dir;
  std::string path = dir.Join("t");
  WriteText(path + "/_delta_log/00000000000000000010.checkpoint.parquet", "PAR1");
  WriteText(path + "/_delta_log/00000000000000000011.json", R"({"txn":{"appId":"a","version":1}})" "\n");
  auto opened = Table::Open(io::LocalFileSystem(), path);
  ASSERT_FALSE(opened.ok());
  EXPECT_TRUE(opened.status().IsCorruption()) << opened.status().ToString();
  EXPECT_THAT(opened.status().message(), HasSubstr("00000000000000000010.checkpoint.parquet"));
}

TEST(Table, ReplayFollowsAddsRemovesAndTxns) {
  testing::TempDir dir;
  std::string path = dir.Join("t");
  ASSERT_OK(Table::Create(io::LocalFileSystem(), path, IdName(), {}, {}));
  auto add = [](const std::string& name, int records) {
    return R"({"add":{"path":")" + name +
           R"(","partitionValues":{},"size":10,"modificationTime":1,"dataChange":true,"stats":"{\"numRecords\":)" +
           std::to_string(records) + R"(}"}})" "\n";
  };
  WriteText(path + "/_delta_log/00000000000000000001.json",
            add("a.parquet", 3) + add("b.parquet", 4) + R"({"txn":{"appId":"q","version":0}})" "\n");
  WriteText(path + "/_delta_log/00000000000000000002.json",
            R"({"remove":{"path":"a.parquet","deletionTimestamp":5,"dataChange":true}})" "\n" +
                add("c.parquet", 5) + R"({"txn":{"appId":"q","version":1}})" "\n" +
                R"({"commitInfo":{"operation":"WRITE"}})" "\n");
  ASSERT_OK_AND_ASSIGN(auto table, Table::Open(io::LocalFileSystem(), path));
  const Snapshot& snapshot = table->snapshot();
  EXPECT_EQ(snapshot.version(), 2);
  ASSERT_EQ(snapshot.files().size(), 2u);
  EXPECT_EQ(snapshot.files()[0].path, "b.parquet");
  EXPECT_EQ(snapshot.files()[1].path, "c.parquet");
  EXPECT_EQ(snapshot.num_records(), 9);
  ASSERT_EQ(snapshot.tombstones().size(), 1u);
  EXPECT_EQ(snapshot.tombstones()[0].path, "a.parquet");
  EXPECT_EQ(snapshot.TxnVersion("q"), 1);
  EXPECT_EQ(snapshot.TxnVersion("other"), std::nullopt);

  // Refresh picks up later commits incrementally.
  WriteText(path + "/_delta_log/00000000000000000003.json", add("d.parquet", 1));
  ASSERT_OK(table->Refresh());
  EXPECT_EQ(table->snapshot().version(), 3);
  EXPECT_EQ(table->snapshot().num_records(), 10);
}

TEST(Table, RefusesToWriteUnsupportedFeatures) {
  testing::TempDir dir;
  std::string path = dir.Join("t");
  ASSERT_OK(Table::Create(io::LocalFileSystem(), path, IdName(), {}, {}));
  WriteText(path + "/_delta_log/00000000000000000001.json",
            R"({"protocol":{"minReaderVersion":3,"minWriterVersion":7,"readerFeatures":["variantType"],"writerFeatures":["variantType"]}})"
            "\n");
  ASSERT_OK_AND_ASSIGN(auto table, Table::Open(io::LocalFileSystem(), path));
  auto append = table->NewAppend(AppendOptions{});
  ASSERT_FALSE(append.ok());
  EXPECT_TRUE(append.status().IsNotImplemented());
  EXPECT_THAT(append.status().message(), HasSubstr("variantType"));
  EXPECT_THAT(append.status().message(), HasSubstr(path));

  // Writer features that ask nothing of an appender are fine.
  WriteText(path + "/_delta_log/00000000000000000002.json",
            R"({"protocol":{"minReaderVersion":3,"minWriterVersion":7,"readerFeatures":["deletionVectors"],"writerFeatures":["appendOnly","changeDataFeed","invariants","deletionVectors","inCommitTimestamp"]}})"
            "\n");
  ASSERT_OK(table->Refresh());
  EXPECT_OK(table->NewAppend(AppendOptions{}));
}

}  // namespace
}  // namespace tributary::delta

namespace tributary::delta {
namespace {

TEST(Table, DataFilePathDecodesAndResolves) {
  ASSERT_OK_AND_ASSIGN(auto relative, DataFilePath("/t", "part=a%2525b/f%20x.parquet"));
  EXPECT_EQ(relative, "/t/part=a%25b/f x.parquet");
  ASSERT_OK_AND_ASSIGN(auto absolute, DataFilePath("/t", "file:///data/x%3Ay.parquet"));
  EXPECT_EQ(absolute, "/data/x:y.parquet");
  ASSERT_OK_AND_ASSIGN(auto plain, DataFilePath("/t", "/abs/f.parquet"));
  EXPECT_EQ(plain, "/abs/f.parquet");
  auto s3 = DataFilePath("/t", "s3://bucket/f.parquet");
  EXPECT_TRUE(s3.status().IsNotImplemented());
  EXPECT_THAT(s3.status().message(), ::testing::HasSubstr("'s3'"));
  EXPECT_TRUE(DataFilePath("/t", "bad%zz").status().IsInvalid());
}

TEST(Table, CreateHonoursOrRefusesFeatureProperties) {
  testing::TempDir dir;
  columnar::Schema schema({columnar::Field{"id", columnar::DataType::Long()}});
  ASSERT_OK_AND_ASSIGN(auto cdf, Table::Create(io::LocalFileSystem(), dir.Join("cdf"), schema, {},
                                               {{"delta.enableChangeDataFeed", "true"}}));
  EXPECT_EQ(cdf->snapshot().protocol().min_writer_version, 4);
  EXPECT_OK(cdf->NewAppend(AppendOptions{}));

  for (auto [key, value] : std::vector<std::pair<std::string, std::string>>{
           {"delta.enableDeletionVectors", "true"},
           {"delta.columnMapping.mode", "name"},
           {"delta.feature.rowTracking", "supported"}}) {
    auto refused = Table::Create(io::LocalFileSystem(), dir.Join("x"), schema, {}, {{key, value}});
    ASSERT_FALSE(refused.ok()) << key;
    EXPECT_TRUE(refused.status().IsNotImplemented());
    EXPECT_THAT(refused.status().message(), ::testing::HasSubstr(key));
  }
  auto bad = Table::Create(io::LocalFileSystem(), dir.Join("y"), schema, {},
                           {{"delta.checkpointInterval", "0"}});
  EXPECT_TRUE(bad.status().IsInvalid());
  EXPECT_THAT(bad.status().message(), ::testing::HasSubstr("delta.checkpointInterval"));
}

}  // namespace
}  // namespace tributary::delta

namespace tributary::delta {
namespace {

TEST(Table, ColumnNamesWithForbiddenCharactersAreRefused) {
  testing::TempDir dir;
  columnar::Schema spaced({columnar::Field{"id", columnar::DataType::Long()},
                           columnar::Field{"s", columnar::DataType::Struct(
                                                    {columnar::Field{"order id", columnar::DataType::Long()}})}});
  auto created = Table::Create(io::LocalFileSystem(), dir.Join("t"), spaced, {}, {});
  ASSERT_FALSE(created.ok());
  EXPECT_TRUE(created.status().IsInvalid());
  EXPECT_THAT(created.status().message(), ::testing::HasSubstr("'s.order id'"));
}

}  // namespace
}  // namespace tributary::delta

namespace tributary::delta {
namespace {

TEST(Table, ConcurrentCreateYieldsOneTable) {
  testing::TempDir dir;
  std::string path = dir.Join("t");
  columnar::Schema schema({columnar::Field{"id", columnar::DataType::Long()}});
  std::vector<std::string> ids(2);
  std::vector<Status> errors(2);
  auto create = [&](int i) {
    auto table = Table::Create(io::LocalFileSystem(), path, schema, {},
                               {{"writer", std::to_string(i)}});
    if (!table.ok()) {
      errors[i] = table.status();
      return;
    }
    ids[i] = (*table)->snapshot().table_id();
  };
  std::thread first(create, 0);
  std::thread second(create, 1);
  first.join();
  second.join();
  ASSERT_OK(errors[0]);
  ASSERT_OK(errors[1]);
  EXPECT_EQ(ids[0], ids[1]);
  EXPECT_FALSE(std::filesystem::exists(path + "/_delta_log/00000000000000000001.json"));
}

}  // namespace
}  // namespace tributary::delta
