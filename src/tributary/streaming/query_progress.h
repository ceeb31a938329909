#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace tributary::streaming {

/// What one micro-batch did: Spark's StreamingQueryProgress, flattened to one source
/// and one sink.
struct QueryProgress {
  std::string id;         // persistent query id (checkpoint `metadata`)
  std::string run_id;     // new on every Start()
  std::string name;       // queryName, may be empty
  std::string timestamp;  // trigger start, ISO-8601 UTC ("2026-01-01T00:00:00.000Z")
  int64_t batch_id = 0;
  int64_t num_input_rows = 0;
  double input_rows_per_second = 0;
  double processed_rows_per_second = 0;
  /// Phase timings in milliseconds: "latestOffset", "walCommit", "getBatch",
  /// "addBatch", "commitOffsets", "triggerExecution".
  std::map<std::string, int64_t> duration_ms;
  /// Backlog left after this batch (cloudFiles: files and bytes not yet taken).
  int64_t num_files_outstanding = 0;
  int64_t num_bytes_outstanding = 0;
  int64_t num_output_rows = 0;
  /// sources[0]: description ("CloudFilesSource[/landing]"), offsets as JSON texts.
  std::string source_description;
  std::string start_offset;  // JSON, "null" for the first batch
  std::string end_offset;    // JSON
  std::string sink_description;  // "DeltaSink[/warehouse/c/s/t]"
  int64_t num_input_files = 0;

  /// StreamingQueryProgress-shaped JSON: {"id":..,"runId":..,"name":..,"timestamp":..,
  /// "batchId":..,"numInputRows":..,"inputRowsPerSecond":..,"processedRowsPerSecond":..,
  /// "durationMs":{..},"sources":[{"description":..,"startOffset":..,"endOffset":..,
  /// "numInputRows":..,"metrics":{"numFilesOutstanding":"..","numBytesOutstanding":".."}}],
  /// "sink":{"description":..,"numOutputRows":..}}.
  std::string ToJson() const;
};

}  // namespace tributary::streaming
