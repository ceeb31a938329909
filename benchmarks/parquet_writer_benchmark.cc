// Parquet writer kernels: a million-row batch of flat columns (the shape of most
// ingested tables) encoded to an in-memory sink.

#include <benchmark/benchmark.h>

#include <memory>
#include <string>

#include "tributary/columnar/column_builder.h"
#include "tributary/columnar/record_batch.h"
#include "tributary/format/parquet/writer.h"

namespace tributary::parquet {
namespace {

using columnar::ColumnBuilder;
using columnar::DataType;
using columnar::Field;

class CountingSink : public io::OutputStream {
 public:
  Status Write(const void* /*data*/, size_t length) override {
    bytes_ += static_cast<int64_t>(length);
    return Status::OK();
  }
  int64_t Tell() const override { return bytes_; }
  Status Close() override { return Status::OK(); }

 private:
  int64_t bytes_ = 0;
};

columnar::RecordBatchPtr FlatBatch(int64_t rows) {
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
  for (int64_t i = 0; i < rows; ++i) {
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

void BM_WriteFlat(benchmark::State& state) {
  static auto batch = FlatBatch(1 << 20);
  WriterOptions options;
  options.compression = static_cast<Compression>(state.range(0));
  int64_t file_bytes = 0;
  for (auto _ : state) {
    CountingSink sink;
    auto writer = FileWriter::Make(*batch->schema(), &sink, options).MoveValue();
    if (!writer->WriteBatch(*batch).ok() || !writer->Close().ok()) state.SkipWithError("write failed");
    file_bytes = sink.Tell();
  }
  state.SetBytesProcessed(state.iterations() * batch->ByteSize());
  state.SetItemsProcessed(state.iterations() * batch->num_rows());
  state.counters["file_bytes"] = static_cast<double>(file_bytes);
}
BENCHMARK(BM_WriteFlat)
    ->Arg(static_cast<int>(Compression::kUncompressed))
    ->Arg(static_cast<int>(Compression::kSnappy))
    ->Arg(static_cast<int>(Compression::kZstd))
    ->Unit(benchmark::kMillisecond);

// The shape of a Delta checkpoint's add action: a struct holding strings, a
// map<string,string> and a long.
columnar::RecordBatchPtr CheckpointLikeBatch(int64_t rows) {
  auto add = DataType::Struct({Field{"path", DataType::String(), true},
                               Field{"partitionValues", DataType::Map(DataType::String(), DataType::String()), true},
                               Field{"size", DataType::Long(), true},
                               Field{"stats", DataType::String(), true}});
  auto schema = std::make_shared<columnar::Schema>(std::vector<Field>{Field{"add", add, true}});
  ColumnBuilder b(add);
  for (int64_t i = 0; i < rows; ++i) {
    b.child(0).AppendString("date=2024-01-" + std::to_string(i % 28 + 1) + "/part-" + std::to_string(i) + ".parquet");
    ColumnBuilder& entries = b.child(1).child(0);
    entries.child(0).AppendString("date");
    entries.child(1).AppendString("2024-01-" + std::to_string(i % 28 + 1));
    entries.AppendStructValid();
    b.child(1).AppendListEnd();
    b.child(2).AppendInt(1000000 + i);
    b.child(3).AppendString("{\"numRecords\":" + std::to_string(i) + "}");
    b.AppendStructValid();
  }
  std::vector<columnar::ColumnPtr> columns{b.Finish()};
  return std::make_shared<columnar::RecordBatch>(schema, rows, std::move(columns));
}

void BM_WriteNested(benchmark::State& state) {
  static auto batch = CheckpointLikeBatch(1 << 18);
  WriterOptions options;
  for (auto _ : state) {
    CountingSink sink;
    auto writer = FileWriter::Make(*batch->schema(), &sink, options).MoveValue();
    if (!writer->WriteBatch(*batch).ok() || !writer->Close().ok()) state.SkipWithError("write failed");
  }
  state.SetBytesProcessed(state.iterations() * batch->ByteSize());
  state.SetItemsProcessed(state.iterations() * batch->num_rows());
}
BENCHMARK(BM_WriteNested)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace tributary::parquet
