// Throughput of the CSV decoder on generated data: tokenizing plus conversion into
// columns, with all-string and typed schemas, and with quoted values.

#include <benchmark/benchmark.h>

#include <string>

#include "tributary/format/csv/decoder.h"

namespace tributary::csv {
namespace {

using columnar::DataType;
using columnar::Schema;

std::string MakeCsv(int rows, bool quoted) {
  std::string out = "id,name,amount,day,flag,note\n";
  for (int i = 0; i < rows; ++i) {
    out += std::to_string(i);
    out += quoted ? ",\"user, " : ",user_";
    out += std::to_string(i % 1000);
    out += quoted ? "\"," : ",";
    out += std::to_string(i % 977) + "." + std::to_string(i % 100);
    out += ",2024-01-";
    out += std::to_string(10 + i % 18);
    out += i % 2 ? ",true," : ",false,";
    out += quoted ? "\"say \\\"hello\\\" to everyone\"\n" : "some free text about the row\n";
  }
  return out;
}

void Decode(benchmark::State& state, const Schema& schema, bool quoted) {
  std::string content = MakeCsv(100000, quoted);
  auto decoder = MakeCsvDecoder({{"header", "true"}}, format::DecodeOptions{}).MoveValue();
  int64_t rows = 0;
  for (auto _ : state) {
    format::DecodeCounters counters;
    Status status = decoder->Decode(content, "/bench.csv", schema,
                                    [&](columnar::RecordBatchPtr batch) {
                                      rows += batch->num_rows();
                                      benchmark::DoNotOptimize(batch);
                                      return Status::OK();
                                    },
                                    &counters);
    if (!status.ok()) state.SkipWithError(status.ToString().c_str());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(content.size()));
  state.SetItemsProcessed(rows);
}

Schema StringSchema() {
  return Schema({{"id", DataType::String()},
                 {"name", DataType::String()},
                 {"amount", DataType::String()},
                 {"day", DataType::String()},
                 {"flag", DataType::String()},
                 {"note", DataType::String()}});
}

Schema TypedSchema() {
  return Schema({{"id", DataType::Long()},
                 {"name", DataType::String()},
                 {"amount", DataType::Double()},
                 {"day", DataType::Date()},
                 {"flag", DataType::Boolean()},
                 {"note", DataType::String()}});
}

void BM_CsvDecodeStrings(benchmark::State& state) { Decode(state, StringSchema(), false); }
void BM_CsvDecodeTyped(benchmark::State& state) { Decode(state, TypedSchema(), false); }
void BM_CsvDecodeTypedQuoted(benchmark::State& state) { Decode(state, TypedSchema(), true); }

void BM_CsvInferTypes(benchmark::State& state) {
  std::string content = MakeCsv(100000, false);
  format::DecodeOptions common;
  common.infer_column_types = true;
  auto decoder = MakeCsvDecoder({{"header", "true"}}, common).MoveValue();
  for (auto _ : state) {
    auto schema = decoder->InferSchema(content, "/bench.csv");
    benchmark::DoNotOptimize(schema);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(content.size()));
}

BENCHMARK(BM_CsvDecodeStrings)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CsvDecodeTyped)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CsvDecodeTypedQuoted)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CsvInferTypes)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace tributary::csv
