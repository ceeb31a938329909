// Throughput of the JSON decoder on generated JSON Lines: typed decode, Auto Loader's
// all-string schema (nested values re-written as JSON text), rescue of unknown
// fields, and schema inference.

#include <benchmark/benchmark.h>

#include <string>

#include "tributary/format/json/decoder.h"

namespace tributary::json {
namespace {

using columnar::DataType;
using columnar::Field;
using columnar::Schema;

std::string MakeJsonLines(int rows) {
  std::string out;
  for (int i = 0; i < rows; ++i) {
    out += R"({"id": )" + std::to_string(i);
    out += R"(, "user": "user_)" + std::to_string(i % 1000);
    out += R"(", "amount": )" + std::to_string(i % 977) + "." + std::to_string(i % 100);
    out += R"(, "day": "2024-01-)" + std::to_string(10 + i % 18);
    out += R"(", "flag": )";
    out += i % 2 ? "true" : "false";
    out += R"(, "geo": {"lat": 48.85, "lon": 2.35}, "tags": ["a", "b", "c"], "note": "some free text about the row"})";
    out += "\n";
  }
  return out;
}

Schema TypedSchema() {
  return Schema({{"id", DataType::Long()},
                 {"user", DataType::String()},
                 {"amount", DataType::Double()},
                 {"day", DataType::Date()},
                 {"flag", DataType::Boolean()},
                 {"geo", DataType::Struct({Field{"lat", DataType::Double()}, Field{"lon", DataType::Double()}})},
                 {"tags", DataType::Array(DataType::String())},
                 {"note", DataType::String()}});
}

Schema StringSchema() {
  Schema typed = TypedSchema();
  std::vector<Field> fields;
  for (const Field& field : typed.fields()) fields.push_back(Field{field.name, DataType::String()});
  return Schema(std::move(fields));
}

void Decode(benchmark::State& state, const Schema& schema, const format::DecodeOptions& common) {
  std::string content = MakeJsonLines(100000);
  auto decoder = MakeJsonDecoder({}, common).MoveValue();
  int64_t rows = 0;
  for (auto _ : state) {
    format::DecodeCounters counters;
    Status status = decoder->Decode(content, "/bench.json", schema,
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

void BM_DecodeTyped(benchmark::State& state) { Decode(state, TypedSchema(), format::DecodeOptions{}); }
BENCHMARK(BM_DecodeTyped)->Unit(benchmark::kMillisecond);

void BM_DecodeAllStrings(benchmark::State& state) { Decode(state, StringSchema(), format::DecodeOptions{}); }
BENCHMARK(BM_DecodeAllStrings)->Unit(benchmark::kMillisecond);

void BM_DecodeRescuingHalfTheFields(benchmark::State& state) {
  format::DecodeOptions common;
  common.rescued_data_column = "_rescued_data";
  Schema schema({{"id", DataType::Long()},
                 {"user", DataType::String()},
                 {"amount", DataType::Double()},
                 {"flag", DataType::Boolean()},
                 {"_rescued_data", DataType::String()}});
  Decode(state, schema, common);
}
BENCHMARK(BM_DecodeRescuingHalfTheFields)->Unit(benchmark::kMillisecond);

void BM_InferSchema(benchmark::State& state) {
  std::string content = MakeJsonLines(100000);
  format::DecodeOptions common;
  common.infer_column_types = true;
  auto decoder = MakeJsonDecoder({}, common).MoveValue();
  for (auto _ : state) {
    auto schema = decoder->InferSchema(content, "/bench.json");
    if (!schema.ok()) state.SkipWithError(schema.status().ToString().c_str());
    benchmark::DoNotOptimize(schema);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(content.size()));
}
BENCHMARK(BM_InferSchema)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace tributary::json
