// Parquet reader: decoding a file of flat columns (the shape of most ingested
// tables), about 50 MB as written by our FileWriter, into record batches.

#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "tributary/columnar/column_builder.h"
#include "tributary/columnar/record_batch.h"
#include "tributary/format/parquet/reader.h"
#include "tributary/format/parquet/writer.h"

namespace tributary::parquet {
namespace {

using columnar::ColumnBuilder;
using columnar::DataType;
using columnar::Field;

columnar::RecordBatchPtr FlatBatch(int64_t begin, int64_t rows) {
  auto schema = std::make_shared<columnar::Schema>(std::vector<Field>{
      Field{"id", DataType::Long(), false},
      Field{"amount", DataType::Double(), true},
      Field{"country", DataType::String(), true},
      Field{"user", DataType::String(), true},
      Field{"ts", DataType::Timestamp(), true},
  });
  std::vector<ColumnBuilder> b;
  for (const Field& f : schema->fields()) b.emplace_back(f.type);
  static const char* kCountries[] = {"US", "DE", "FR", "JP", "BR", "IN", "GB", "CA"};
  for (int64_t i = begin; i < begin + rows; ++i) {
    b[0].AppendInt(i);
    if (i % 10 == 0) b[1].AppendNull(); else b[1].AppendDouble(static_cast<double>(i % 100000) * 0.01);
    b[2].AppendString(kCountries[(i * 7) % 8]);
    b[3].AppendString("user-" + std::to_string((i * 2654435761u) % 1000000007));
    b[4].AppendInt(1700000000000000 + i * 1000);
  }
  std::vector<columnar::ColumnPtr> columns;
  for (auto& builder : b) columns.push_back(builder.Finish());
  return std::make_shared<columnar::RecordBatch>(schema, rows, std::move(columns));
}

// The benchmark files, deleted when the process exits.
struct BenchmarkFiles {
  std::string paths[4];
  ~BenchmarkFiles() {
    for (const std::string& path : paths) {
      if (!path.empty()) std::filesystem::remove(path);
    }
  }
};

// Writes the file once per process, in the temporary directory.
const std::string& BenchmarkFile(Compression compression) {
  static BenchmarkFiles files;
  std::string& path = files.paths[static_cast<int>(compression)];
  if (!path.empty()) return path;
  path = (std::filesystem::temp_directory_path() /
          ("tributary_parquet_reader_benchmark_" + std::to_string(getpid()) + "_" +
           std::to_string(static_cast<int>(compression)) + ".parquet"))
             .string();
  auto fs = io::LocalFileSystem();
  auto stream = fs->OpenOutputStream(path).MoveValue();
  WriterOptions options;
  options.compression = compression;
  constexpr int64_t kBatchRows = 1 << 19;
  auto first = FlatBatch(0, kBatchRows);
  auto writer = FileWriter::Make(*first->schema(), stream.get(), options).MoveValue();
  (void)writer->WriteBatch(*first);
  for (int64_t begin = kBatchRows; begin < 5 * kBatchRows; begin += kBatchRows) {
    (void)writer->WriteBatch(*FlatBatch(begin, kBatchRows));
  }
  (void)writer->Close();
  (void)stream->Close();
  return path;
}

void BM_ReadFlat(benchmark::State& state) {
  auto compression = static_cast<Compression>(state.range(0));
  const std::string& path = BenchmarkFile(compression);
  auto fs = io::LocalFileSystem();
  int64_t file_bytes = static_cast<int64_t>(std::filesystem::file_size(path));
  int64_t rows = 0, decoded_bytes = 0;
  for (auto _ : state) {
    auto reader = FileReader::Open(fs, path).MoveValue();
    rows = 0;
    decoded_bytes = 0;
    Status s = reader->ReadAll([&](columnar::RecordBatchPtr batch) {
      rows += batch->num_rows();
      decoded_bytes += batch->ByteSize();
      return Status::OK();
    });
    if (!s.ok()) state.SkipWithError(s.ToString().c_str());
  }
  state.SetBytesProcessed(state.iterations() * file_bytes);
  state.SetItemsProcessed(state.iterations() * rows);
  state.counters["file_bytes"] = static_cast<double>(file_bytes);
  state.counters["decoded_bytes"] = static_cast<double>(decoded_bytes);
}
BENCHMARK(BM_ReadFlat)
    ->Arg(static_cast<int>(Compression::kUncompressed))
    ->Arg(static_cast<int>(Compression::kSnappy))
    ->Arg(static_cast<int>(Compression::kZstd))
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace tributary::parquet
