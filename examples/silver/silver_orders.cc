// The seed's silver pipeline in C++, line for line:
//
//   orders = spark.readStream.format("kafka")
//       .option("kafka.bootstrap.servers", ...).option("subscribe", "orders_topic")
//       .option("startingOffsets", "earliest").load()
//       .select(from_json(col("value").cast("string"), order_schema).alias("data"),
//               col("timestamp").alias("kafka_ts"))
//       .select("data.*", "kafka_ts")
//   def upsert_to_silver(micro_batch_df, batch_id):
//       DeltaTable.forName(spark, "prod.silver.orders").alias("t").merge(
//           micro_batch_df.alias("s"), "t.order_id = s.order_id"
//       ).whenMatchedUpdateAll().whenNotMatchedInsertAll().execute()
//   orders.writeStream.foreachBatch(upsert_to_silver)
//       .option("checkpointLocation", "/checkpoints/silver/orders").start()
//
// One line more than the seed: latestByKey keeps each order's newest row of the batch,
// since MERGE refuses two source rows for one target row (Spark users write a window
// with row_number() for it).
//
// Usage: silver_orders <bootstrap servers> [example_dir]   (stops when caught up)

#include <cstdio>
#include <string>

#include "tributary/api/data_stream_reader.h"
#include "tributary/api/data_stream_writer.h"
#include "tributary/api/delta_table.h"
#include "tributary/api/session.h"
#include "tributary/api/trigger.h"

using namespace tributary;
using namespace tributary::functions;

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: silver_orders <bootstrap servers> [example_dir]\n");
    return 2;
  }
  Result<Session> session =
      Session::builder().baseDirectory(argc > 2 ? argv[2] : "").warehouse("./warehouse").getOrCreate();
  if (!session.ok()) {
    std::fprintf(stderr, "%s\n", session.status().ToString().c_str());
    return 1;
  }
  const char* order_schema = "order_id STRING, status STRING, amount DOUBLE, updated_at TIMESTAMP";
  Result<DeltaTable> target =
      DeltaTable::createIfNotExists(*session, "prod.silver.orders", std::string(order_schema) + ", kafka_ts TIMESTAMP");
  if (!target.ok()) {
    std::fprintf(stderr, "%s\n", target.status().ToString().c_str());
    return 1;
  }

  DataFrame orders = session->readStream()
                         .format("kafka")
                         .option("kafka.bootstrap.servers", argv[1])
                         .option("subscribe", "orders_topic")
                         .option("startingOffsets", "earliest")
                         .load()
                         .select({from_json(col("value").cast("string"), order_schema).alias("data"),
                                  col("timestamp").alias("kafka_ts")})
                         .select(std::vector<std::string>{"data.*", "kafka_ts"})
                         .where(col("order_id").isNotNull());

  Result<StreamingQuery> query =
      orders.writeStream()
          .foreachBatch([&](DataFrame batch, int64_t batch_id) {
            DeltaTable::forName(*session, "prod.silver.orders")
                .alias("t")
                .merge(batch.latestByKey({"order_id"}, "updated_at").alias("s"), "t.order_id = s.order_id")
                .whenMatchedUpdateAll()
                .whenNotMatchedInsertAll()
                .execute();
          })
          .option("checkpointLocation", "./checkpoints/silver/orders")
          .trigger(Trigger::AvailableNow())
          .start();
  if (!query.ok()) {
    std::fprintf(stderr, "starting the query failed: %s\n", query.status().ToString().c_str());
    return 1;
  }
  Status status = query->awaitTermination();
  if (!status.ok()) {
    std::fprintf(stderr, "the query failed: %s\n", status.ToString().c_str());
    return 1;
  }
  Result<int64_t> version = DeltaTable::forName(*session, "prod.silver.orders").version();
  std::printf("query %s done; prod.silver.orders is at version %lld\n", query->id().c_str(),
              static_cast<long long>(version.ok() ? *version : -1));
  return 0;
}
