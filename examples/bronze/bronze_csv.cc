// The Auto Loader pipeline for CSV files with a header line (pipeline_csv.yaml in C++).
//
// Usage: bronze_csv [example_dir]   (default: the working directory)

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
                                     .option("cloudFiles.format", "csv")
                                     .option("cloudFiles.schemaLocation", "./checkpoints/schema/orders")
                                     .option("cloudFiles.inferColumnTypes", true)
                                     .option("header", true)
                                     .option("escape", "\"")  // RFC 4180: "" inside quotes
                                     .load("./landing/orders/")
                                     .writeStream()
                                     .format("delta")
                                     .option("checkpointLocation", "./checkpoints/bronze/orders")
                                     .option("mergeSchema", true)
                                     .trigger(Trigger::AvailableNow())
                                     .toTable("prod.bronze.orders");
  if (!query.ok()) {
    std::fprintf(stderr, "starting the query failed: %s\n", query.status().ToString().c_str());
    return 1;
  }
  Status status = query->awaitTermination();
  if (!status.ok()) {
    std::fprintf(stderr, "the query failed: %s\n", status.ToString().c_str());
    return status.IsSchemaChanged() ? 3 : 1;
  }
  std::printf("query %s done after %zu batches\n", query->id().c_str(), query->recentProgress().size());
  return 0;
}
