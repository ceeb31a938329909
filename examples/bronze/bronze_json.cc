// The seed's Auto Loader pipeline in C++, line for line:
//
//   spark.readStream.format("cloudFiles")
//       .option("cloudFiles.format", "json") ... .load(".../events/")
//       .writeStream.format("delta") ... .trigger(availableNow=True)
//       .toTable("prod.bronze.raw_events")
//
// Usage: bronze_json [example_dir]   (default: the working directory)
// Relative paths resolve against example_dir, as they do in pipeline.yaml.

#include <cstdio>

#include "tributary/api/data_stream_reader.h"
#include "tributary/api/data_stream_writer.h"
#include "tributary/api/session.h"
#include "tributary/api/trigger.h"

using tributary::Result;
using tributary::Session;
using tributary::Status;
using tributary::StreamingQuery;
using tributary::Trigger;

int main(int argc, char** argv) {
  Result<Session> session = Session::builder()
                                .baseDirectory(argc > 1 ? argv[1] : "")
                                .warehouse("./warehouse")
                                .getOrCreate();
  if (!session.ok()) {
    std::fprintf(stderr, "%s\n", session.status().ToString().c_str());
    return 1;
  }

  Result<StreamingQuery> query = session->readStream()
                                     .format("cloudFiles")
                                     .option("cloudFiles.format", "json")
                                     .option("cloudFiles.schemaLocation", "./checkpoints/schema/raw_events")
                                     .option("cloudFiles.inferColumnTypes", true)
                                     .load("./landing/events/")
                                     .writeStream()
                                     .format("delta")
                                     .option("checkpointLocation", "./checkpoints/bronze/raw_events")
                                     .option("mergeSchema", true)  // allow schema evolution
                                     .trigger(Trigger::AvailableNow())
                                     .toTable("prod.bronze.raw_events");
  if (!query.ok()) {
    std::fprintf(stderr, "starting the query failed: %s\n", query.status().ToString().c_str());
    return 1;
  }
  Status status = query->awaitTermination();
  if (!status.ok()) {
    std::fprintf(stderr, "the query failed: %s\n", status.ToString().c_str());
    return status.IsSchemaChanged() ? 3 : 1;
  }
  std::optional<tributary::QueryProgress> last = query->lastProgress();
  std::printf("query %s done; last batch: %s\n", query->id().c_str(), last ? last->ToJson().c_str() : "(none)");
  return 0;
}
