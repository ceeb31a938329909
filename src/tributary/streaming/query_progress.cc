#include "tributary/base/json.h"
#include "tributary/streaming/query_progress.h"

namespace tributary::streaming {

std::string QueryProgress::ToJson() const {
  JsonWriter writer;
  writer.StartObject();
  writer.Key("id").String(id);
  writer.Key("runId").String(run_id);
  if (name.empty()) {
    writer.Key("name").Null();
  } else {
    writer.Key("name").String(name);
  }
  writer.Key("timestamp").String(timestamp);
  writer.Key("batchId").Int(batch_id);
  writer.Key("numInputRows").Int(num_input_rows);
  writer.Key("inputRowsPerSecond").Double(input_rows_per_second);
  writer.Key("processedRowsPerSecond").Double(processed_rows_per_second);
  writer.Key("durationMs").StartObject();
  for (const auto& [phase, ms] : duration_ms) writer.Key(phase).Int(ms);
  writer.EndObject();
  writer.Key("stateOperators").StartArray().EndArray();
  writer.Key("sources").StartArray().StartObject();
  writer.Key("description").String(source_description);
  writer.Key("startOffset").Raw(start_offset.empty() ? "null" : start_offset);
  writer.Key("endOffset").Raw(end_offset.empty() ? "null" : end_offset);
  writer.Key("latestOffset").Raw(end_offset.empty() ? "null" : end_offset);
  writer.Key("numInputRows").Int(num_input_rows);
  writer.Key("inputRowsPerSecond").Double(input_rows_per_second);
  writer.Key("processedRowsPerSecond").Double(processed_rows_per_second);
  // Spark reports source metrics as strings.
  writer.Key("metrics").StartObject();
  writer.Key("numBytesOutstanding").String(std::to_string(num_bytes_outstanding));
  writer.Key("numFilesOutstanding").String(std::to_string(num_files_outstanding));
  writer.EndObject();
  writer.EndObject().EndArray();
  writer.Key("sink").StartObject();
  writer.Key("description").String(sink_description);
  writer.Key("numOutputRows").Int(num_output_rows);
  writer.EndObject();
  writer.EndObject();
  return writer.Finish();
}

}  // namespace tributary::streaming
