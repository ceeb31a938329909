// The silver MERGE benchmark's Tributary side (bench/run_silver_bench.py runs it):
//
//   merge_bench <table_path> <source.parquet>
//
// Reads the source batch from a Parquet file with Tributary's Parquet reader, then runs
//
//   DeltaTable.forPath(table).alias("t")
//       .merge(source.alias("s"), "t.order_id = s.order_id")
//       .whenMatchedUpdateAll().whenNotMatchedInsertAll().execute()
//
// and prints one JSON line on stdout: the MERGE's metrics (Delta's operationMetrics)
// and the time spent reading the source and merging, in milliseconds. Exit code 1 on
// any error (printed on stderr). A benchmark program, not a test: nothing is asserted.

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "tributary/api/data_frame.h"
#include "tributary/api/delta_table.h"
#include "tributary/api/session.h"
#include "tributary/columnar/record_batch.h"
#include "tributary/format/parquet/reader.h"
#include "tributary/io/file_system.h"

namespace {

using Clock = std::chrono::steady_clock;

double MillisSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

int Fail(const char* what, const tributary::Status& status) {
  std::fprintf(stderr, "merge_bench: %s: %s\n", what, status.ToString().c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: merge_bench <table_path> <source.parquet>\n");
    return 2;
  }
  const std::string table_path = argv[1];
  const std::string source_path = argv[2];
  const Clock::time_point start = Clock::now();

  tributary::Result<tributary::Session> session = tributary::Session::builder().getOrCreate();
  if (!session.ok()) return Fail("session", session.status());

  // The source batch, read with Tributary's own Parquet reader.
  std::shared_ptr<tributary::io::FileSystem> fs = tributary::io::LocalFileSystem();
  auto reader = tributary::parquet::FileReader::Open(fs, source_path);
  if (!reader.ok()) return Fail("opening the source", reader.status());
  auto schema = std::make_shared<const tributary::columnar::Schema>((*reader)->schema());
  std::vector<tributary::columnar::RecordBatchPtr> batches;
  int64_t source_rows = 0;
  tributary::Status read = (*reader)->ReadAll([&](tributary::columnar::RecordBatchPtr batch) {
    source_rows += batch->num_rows();
    batches.push_back(std::move(batch));
    return tributary::Status::OK();
  });
  if (!read.ok()) return Fail("reading the source", read);
  const double read_ms = MillisSince(start);

  const Clock::time_point merge_start = Clock::now();
  tributary::DataFrame source = tributary::DataFrame::FromBatches(*session, schema, std::move(batches));
  tributary::MergeOutcome outcome = tributary::DeltaTable::forPath(*session, table_path)
                                        .alias("t")
                                        .merge(source.alias("s"), "t.order_id = s.order_id")
                                        .whenMatchedUpdateAll()
                                        .whenNotMatchedInsertAll()
                                        .execute();
  if (!outcome.ok()) return Fail("merge", outcome.status());
  const double merge_ms = MillisSince(merge_start);
  const tributary::MergeResult& m = *outcome;
  std::printf(
      "{\"source_rows_read\": %lld, \"num_source_rows\": %lld, \"num_target_rows_inserted\": %lld, "
      "\"num_target_rows_updated\": %lld, \"num_target_rows_deleted\": %lld, \"num_target_rows_copied\": %lld, "
      "\"num_target_files_added\": %lld, \"num_target_files_removed\": %lld, \"version\": %lld, "
      "\"read_source_ms\": %.1f, \"merge_ms\": %.1f, \"total_ms\": %.1f}\n",
      static_cast<long long>(source_rows), static_cast<long long>(m.num_source_rows),
      static_cast<long long>(m.num_target_rows_inserted), static_cast<long long>(m.num_target_rows_updated),
      static_cast<long long>(m.num_target_rows_deleted), static_cast<long long>(m.num_target_rows_copied),
      static_cast<long long>(m.num_target_files_added), static_cast<long long>(m.num_target_files_removed),
      static_cast<long long>(m.version), read_ms, merge_ms, MillisSince(start));
  return 0;
}
