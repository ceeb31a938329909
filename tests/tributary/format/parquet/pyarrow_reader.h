#pragma once

// Reads Parquet files with pyarrow (read_parquet.py) and renders Tributary columns
// in the same canonical text, for the end-to-end tests.

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "tributary/columnar/decimal.h"
#include "tributary/columnar/record_batch.h"
#include "tributary/format/parquet/memory_sink.h"
#include "tributary/format/parquet/writer.h"

namespace tributary::parquet::testing {

using columnar::Column;
using columnar::TypeId;


// ---- canonical rendering, the same text read_parquet.py prints ----

inline std::string HexBytes(const void* data, size_t size) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  const auto* p = static_cast<const unsigned char*>(data);
  for (size_t i = 0; i < size; ++i) {
    out.push_back(digits[p[i] >> 4]);
    out.push_back(digits[p[i] & 15]);
  }
  return out;
}

inline void Render(const Column& c, int64_t row, std::string* out) {
  if (c.IsNull(row)) {
    *out += "null";
    return;
  }
  switch (c.type()->id()) {
    case TypeId::kBoolean:
      *out += c.BoolValue(row) ? "true" : "false";
      return;
    case TypeId::kByte:
      *out += std::to_string(c.Value<int8_t>(row));
      return;
    case TypeId::kShort:
      *out += std::to_string(c.Value<int16_t>(row));
      return;
    case TypeId::kInteger:
    case TypeId::kDate:
      *out += std::to_string(c.Value<int32_t>(row));
      return;
    case TypeId::kLong:
    case TypeId::kTimestamp:
    case TypeId::kTimestampNtz:
      *out += std::to_string(c.Value<int64_t>(row));
      return;
    case TypeId::kFloat: {
      float v = c.Value<float>(row);
      *out += "\"" + HexBytes(&v, 4) + "\"";
      return;
    }
    case TypeId::kDouble: {
      double v = c.Value<double>(row);
      *out += "\"" + HexBytes(&v, 8) + "\"";
      return;
    }
    case TypeId::kDecimal:
      *out += "\"" + columnar::FormatDecimal(c.Value<__int128>(row), c.type()->scale()) + "\"";
      return;
    case TypeId::kString:
    case TypeId::kBinary: {
      std::string_view v = c.StringValue(row);
      *out += "\"" + HexBytes(v.data(), v.size()) + "\"";
      return;
    }
    case TypeId::kStruct:
      *out += "[";
      for (size_t i = 0; i < c.children().size(); ++i) {
        if (i > 0) *out += ",";
        Render(*c.children()[i], row, out);
      }
      *out += "]";
      return;
    case TypeId::kArray:
      *out += "[";
      for (int32_t j = c.ListStart(row); j < c.ListEnd(row); ++j) {
        if (j > c.ListStart(row)) *out += ",";
        Render(*c.child(0), j, out);
      }
      *out += "]";
      return;
    case TypeId::kMap:
      *out += "[";
      for (int32_t j = c.ListStart(row); j < c.ListEnd(row); ++j) {
        if (j > c.ListStart(row)) *out += ",";
        *out += "[";
        Render(*c.child(0)->child(0), j, out);
        *out += ",";
        Render(*c.child(0)->child(1), j, out);
        *out += "]";
      }
      *out += "]";
      return;
  }
}

inline std::vector<std::string> RenderRows(const columnar::RecordBatch& batch) {
  std::vector<std::string> rows;
  for (int64_t r = 0; r < batch.num_rows(); ++r) {
    std::string line = "[";
    for (int i = 0; i < batch.num_columns(); ++i) {
      if (i > 0) line += ",";
      Render(*batch.column(i), r, &line);
    }
    rows.push_back(line + "]");
  }
  return rows;
}

// ---- running pyarrow ----

struct PyarrowView {
  std::string file_line;
  std::vector<std::string> kv;
  std::map<std::string, std::string> fields;  // name -> arrow type
  std::map<std::string, std::string> leaves;  // path -> "physical logical converted"
  std::vector<std::string> chunks;            // "rg path compression encodings nulls= min= max= dict="
  std::vector<std::string> rows;
};

inline std::string ScriptPath() { return std::string(TRIBUTARY_SOURCE_DIR) + "/tests/tributary/format/parquet/read_parquet.py"; }

inline void RequirePyarrow() {
  int rc = std::system("python3 -c 'import pyarrow.parquet' > /dev/null 2>&1");
  ASSERT_EQ(rc, 0) << "python3 with pyarrow is required for the Parquet end-to-end tests and was not "
                      "found; run the project's install script (it pip-installs pyarrow)";
}

inline void ReadWithPyarrow(const std::string& path, PyarrowView* view) {
  std::string command = "python3 '" + ScriptPath() + "' '" + path + "'";
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr) << "cannot run " << command;
  std::string output;
  char buffer[1 << 16];
  size_t n;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) output.append(buffer, n);
  int status = pclose(pipe);
  ASSERT_EQ(status, 0) << "pyarrow could not read " << path << ":\n" << output.substr(0, 2000);
  std::istringstream lines(output);
  std::string line;
  while (std::getline(lines, line)) {
    auto rest = [&](size_t prefix) { return line.substr(prefix); };
    if (line.rfind("ROW ", 0) == 0) {
      view->rows.push_back(rest(4));
    } else if (line.rfind("FILE ", 0) == 0) {
      view->file_line = rest(5);
    } else if (line.rfind("KV ", 0) == 0) {
      view->kv.push_back(rest(3));
    } else if (line.rfind("FIELD ", 0) == 0) {
      std::string s = rest(6);
      size_t space = s.find(' ');
      view->fields[s.substr(0, space)] = s.substr(space + 1);
    } else if (line.rfind("LEAF ", 0) == 0) {
      std::string s = rest(5);
      size_t space = s.find(' ');
      view->leaves[s.substr(0, space)] = s.substr(space + 1);
    } else if (line.rfind("CHUNK ", 0) == 0) {
      view->chunks.push_back(rest(6));
    }
  }
}

class TempDir {
 public:
  TempDir() {
    path_ = std::filesystem::temp_directory_path() /
            fmt::format("tributary_parquet_test_{}_{}", getpid(), counter_++);
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  static inline int counter_ = 0;
  std::filesystem::path path_;
};

inline void WriteFile(const std::string& path, const std::vector<columnar::RecordBatchPtr>& batches,
               const WriterOptions& options, std::vector<ColumnChunkSummary>* summaries = nullptr) {
  auto fs = io::LocalFileSystem();
  ASSERT_OK_AND_ASSIGN(auto stream, fs->OpenOutputStream(path));
  ASSERT_OK_AND_ASSIGN(auto writer, FileWriter::Make(*batches.at(0)->schema(), stream.get(), options));
  int64_t rows = 0;
  for (const auto& batch : batches) {
    ASSERT_OK(writer->WriteBatch(*batch));
    rows += batch->num_rows();
  }
  EXPECT_EQ(writer->num_rows(), rows);
  ASSERT_OK(writer->Close());
  EXPECT_EQ(writer->EstimatedFileSize(), stream->Tell());
  ASSERT_OK(stream->Close());
  if (summaries) *summaries = writer->ColumnSummaries();
}

}  // namespace tributary::parquet::testing
