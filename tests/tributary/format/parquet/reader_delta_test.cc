// FileReader on a Delta table written by deltalake (delta-rs): its data files and its
// checkpoint (nested structs, maps, lists), compared row by row with pyarrow.

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "tributary/format/parquet/pyarrow_reader.h"
#include "tributary/format/parquet/reader.h"

namespace tributary::parquet {
namespace {

using columnar::DataType;
using columnar::Field;
using columnar::RecordBatchPtr;
using testing::RenderRows;
using testing::TempDir;

std::vector<std::string> Lines(const std::string& path) {
  std::vector<std::string> lines;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

std::vector<std::string> ReadRows(FileReader& reader, const columnar::Schema& schema) {
  std::vector<std::string> rows;
  Status s = reader.Read(schema, [&](RecordBatchPtr batch) {
    for (std::string& row : RenderRows(*batch)) rows.push_back(std::move(row));
    return Status::OK();
  });
  EXPECT_TRUE(s.ok()) << s.ToString();
  return rows;
}

TEST(ParquetReaderDeltaTest, DataFilesAndCheckpointOfADeltaRsTable) {
  TempDir dir;
  std::string script = std::string(TRIBUTARY_SOURCE_DIR) + "/tests/tributary/format/parquet/reader_write_delta.py";
  ASSERT_EQ(std::system(("python3 '" + script + "' '" + dir.File("") + "'").c_str()), 0)
      << "python3 with deltalake and pyarrow could not write the Delta table";
  std::vector<std::string> files = Lines(dir.File("files.txt"));
  ASSERT_GE(files.size(), 5u);
  ASSERT_NE(files.back().find(".checkpoint.parquet"), std::string::npos);
  int64_t data_rows = 0;
  for (size_t n = 0; n < files.size(); ++n) {
    std::string path = dir.File("table/" + files[n]);
    SCOPED_TRACE(path);
    ASSERT_OK_AND_ASSIGN(auto reader, FileReader::Open(io::LocalFileSystem(), path));
    std::vector<std::string> got = ReadRows(*reader, reader->schema());
    std::vector<std::string> want = Lines(dir.File(std::to_string(n) + ".rows"));
    ASSERT_EQ(got.size(), want.size());
    for (size_t i = 0; i < want.size(); ++i) ASSERT_EQ(got[i], want[i]) << "row " << i;
    if (n + 1 < files.size()) data_rows += reader->num_rows();
  }
  EXPECT_EQ(data_rows, 300 + 80);  // three appends, plus the rewrite of the delete

  // The checkpoint read as the Delta log reader asks for it: add projected to a few
  // fields, partitionValues a map, stats a string.
  std::string checkpoint = dir.File("table/" + files.back());
  ASSERT_OK_AND_ASSIGN(auto reader, FileReader::Open(io::LocalFileSystem(), checkpoint));
  const auto& schema = reader->schema();
  for (const char* action : {"add", "remove", "metaData", "protocol"}) {
    EXPECT_TRUE(schema.FieldIndex(action).has_value()) << action << " in " << schema.ToDdl();
  }
  auto add = DataType::Struct({Field{"PATH", DataType::String(), true},
                               Field{"partitionValues", DataType::Map(DataType::String(), DataType::String()), true},
                               Field{"stats", DataType::String(), true}});
  std::vector<std::string> got = ReadRows(*reader, columnar::Schema({Field{"add", add, true}}));
  std::vector<std::string> want = Lines(dir.File("add_projection.rows"));
  ASSERT_EQ(got.size(), want.size());
  int adds = 0;
  for (size_t i = 0; i < want.size(); ++i) {
    ASSERT_EQ(got[i], want[i]) << "row " << i;
    adds += got[i] != "[null]";
  }
  EXPECT_GE(adds, 4);
}

}  // namespace
}  // namespace tributary::parquet
