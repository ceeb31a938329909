// The silver pattern through the C++ API on a file source: transformations on the
// stream, foreachBatch with a DeltaTable MERGE inside, idempotent replays, and errors
// inside the function failing the batch.

#include <filesystem>
#include <fstream>
#include <map>
#include <stdexcept>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tributary/api/data_stream_reader.h"
#include "tributary/api/data_stream_writer.h"
#include "tributary/api/delta_table.h"
#include "tributary/api/session.h"
#include "tributary/api/trigger.h"
#include "tributary/base/status_testing.h"
#include "tributary/columnar/record_batch.h"

namespace tributary {
namespace {

namespace fs = std::filesystem;
using namespace tributary::functions;

class ForeachBatchMergeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("tributary_api_fb_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_ / "landing");
    session_ = *Session::builder().baseDirectory(root_.string()).getOrCreate();
  }
  void TearDown() override { fs::remove_all(root_); }

  // One file of order events: JSON text in a `value` column, as Kafka would carry it.
  void WriteOrders(const std::string& name, const std::vector<std::string>& values) {
    std::ofstream out(root_ / "landing" / name);
    for (const std::string& value : values) {
      std::string escaped;
      for (char c : value) {
        if (c == '"') escaped += '\\';
        escaped += c;
      }
      out << "{\"value\": \"" << escaped << "\"}\n";
    }
  }

  DataFrame Orders() {
    return session_.readStream()
        .format("cloudFiles")
        .option("cloudFiles.format", "json")
        .option("cloudFiles.schemaLocation", "./checkpoints/schema")
        .option("cloudFiles.maxFilesPerTrigger", 1)
        .schema("value STRING")
        .load("./landing")
        .select({from_json(col("value"), "order_id STRING, status STRING, amount DOUBLE").alias("data")})
        .select(std::vector<std::string>{"data.*"});
  }

  // The target table's rows as order_id -> "status/amount".
  std::map<std::string, std::string> TableRows() {
    std::map<std::string, std::string> rows;
    Result<DataFrame> frame = DeltaTable::forName(session_, "prod.silver.orders").toDF();
    EXPECT_OK(frame.status());
    if (!frame.ok()) return rows;
    Result<columnar::Schema> schema = frame->schema();
    int id = *schema->FieldIndex("order_id");
    int status = *schema->FieldIndex("status");
    int amount = *schema->FieldIndex("amount");
    Result<std::vector<columnar::RecordBatchPtr>> batches = frame->batches();
    EXPECT_OK(batches.status());
    if (!batches.ok()) return rows;
    for (const columnar::RecordBatchPtr& batch : *batches) {
      for (int64_t row = 0; row < batch->num_rows(); ++row) {
        std::string key(batch->column(id)->StringValue(row));
        EXPECT_EQ(rows.count(key), 0u) << "duplicate key " << key;
        rows[key] = columnar::ValueToString(*batch->column(status), row) + "/" +
                    columnar::ValueToString(*batch->column(amount), row);
      }
    }
    return rows;
  }

  fs::path root_;
  Session session_;
};

TEST_F(ForeachBatchMergeTest, UpsertsEachBatchIntoTheTable) {
  WriteOrders("a.json", {R"({"order_id":"o1","status":"new","amount":10})",
                         R"({"order_id":"o2","status":"new","amount":20})"});
  WriteOrders("b.json", {R"({"order_id":"o1","status":"shipped","amount":10})",
                         R"({"order_id":"o3","status":"new","amount":30})"});
  ASSERT_OK(DeltaTable::createIfNotExists(session_, "prod.silver.orders",
                                          "order_id STRING, status STRING, amount DOUBLE")
                .status());
  std::vector<int64_t> batch_ids;
  std::vector<int64_t> batch_rows;
  Result<StreamingQuery> query =
      Orders()
          .writeStream()
          .foreachBatch([&](DataFrame batch, int64_t batch_id) {
            batch_ids.push_back(batch_id);
            batch_rows.push_back(*batch.count());
            DeltaTable::forName(session_, "prod.silver.orders")
                .alias("t")
                .merge(batch.alias("s"), "t.order_id = s.order_id")
                .whenMatchedUpdateAll()
                .whenNotMatchedInsertAll()
                .execute();
          })
          .option("checkpointLocation", "./checkpoints/silver")
          .trigger(Trigger::AvailableNow())
          .start();
  ASSERT_OK(query.status());
  ASSERT_OK(query->awaitTermination());
  EXPECT_THAT(batch_ids, ::testing::ElementsAre(0, 1));
  EXPECT_THAT(batch_rows, ::testing::ElementsAre(2, 2));
  EXPECT_THAT(TableRows(), ::testing::ElementsAre(::testing::Pair("o1", "shipped/10"),
                                                  ::testing::Pair("o2", "new/20"),
                                                  ::testing::Pair("o3", "new/30")));
}

TEST_F(ForeachBatchMergeTest, AReplayedBatchDoesNotApplyTwice) {
  ASSERT_OK(DeltaTable::createIfNotExists(session_, "prod.silver.orders",
                                          "order_id STRING, status STRING, amount DOUBLE")
                .status());
  // A merge that adds the amounts: applied twice, it would double them.
  auto add_amounts = [&](DataFrame batch) {
    return DeltaTable::forName(session_, "prod.silver.orders")
        .alias("t")
        .merge(batch.alias("s"), "t.order_id = s.order_id")
        .whenMatchedUpdate({{"amount", "t.amount + s.amount"}})
        .whenNotMatchedInsertAll()
        .execute();
  };
  WriteOrders("a.json", {R"({"order_id":"o1","status":"new","amount":5})"});
  // The first run merges, then fails after the merge: the batch is not marked done.
  Result<StreamingQuery> failing = Orders()
                                       .writeStream()
                                       .foreachBatch([&](DataFrame batch, int64_t) -> Status {
                                         TRIB_RETURN_NOT_OK(add_amounts(batch).status());
                                         return Status::IOError("crash after the merge");
                                       })
                                       .option("checkpointLocation", "./checkpoints/silver")
                                       .trigger(Trigger::AvailableNow())
                                       .start();
  ASSERT_OK(failing.status());
  EXPECT_THAT(failing->awaitTermination().message(), ::testing::HasSubstr("crash after the merge"));
  // The restart re-runs batch 0 with the same rows; the merge finds its txn and skips.
  std::vector<bool> skipped;
  Result<StreamingQuery> again = Orders()
                                     .writeStream()
                                     .foreachBatch([&](DataFrame batch, int64_t) {
                                       MergeOutcome result = add_amounts(batch);
                                       skipped.push_back(result.ok() && result->skipped);
                                     })
                                     .option("checkpointLocation", "./checkpoints/silver")
                                     .trigger(Trigger::AvailableNow())
                                     .start();
  ASSERT_OK(again.status());
  ASSERT_OK(again->awaitTermination());
  EXPECT_THAT(skipped, ::testing::ElementsAre(true));
  EXPECT_THAT(TableRows(), ::testing::ElementsAre(::testing::Pair("o1", "new/5")));
}

TEST_F(ForeachBatchMergeTest, AFailedMergeInsideAVoidFunctionFailsTheBatch) {
  WriteOrders("a.json", {R"({"order_id":"o1","status":"new","amount":5})"});
  Result<StreamingQuery> query = Orders()
                                     .writeStream()
                                     .foreachBatch([&](DataFrame batch, int64_t) {
                                       // The table does not exist: the error must not vanish.
                                       DeltaTable::forName(session_, "prod.silver.missing")
                                           .alias("t")
                                           .merge(batch.alias("s"), "t.order_id = s.order_id")
                                           .whenNotMatchedInsertAll()
                                           .execute();
                                     })
                                     .option("checkpointLocation", "./checkpoints/silver")
                                     .trigger(Trigger::AvailableNow())
                                     .start();
  ASSERT_OK(query.status());
  Status status = query->awaitTermination();
  EXPECT_FALSE(status.ok());
  EXPECT_THAT(status.message(), ::testing::HasSubstr("DELTA_MISSING_DELTA_TABLE"));
  EXPECT_FALSE(fs::exists(root_ / "checkpoints/silver/commits/0"));
}

TEST_F(ForeachBatchMergeTest, BatchDataFrameTransformations) {
  WriteOrders("a.json", {R"({"order_id":"o1","status":"new","amount":5})",
                         R"({"order_id":"o1","status":"new","amount":5})",
                         R"({"order_id":"o2","status":"cancelled","amount":7})",
                         R"(not json at all)"});
  std::vector<int64_t> counts;
  std::vector<std::string> schemas;
  Result<StreamingQuery> query =
      Orders()
          .withColumn("amount_x2", col("amount") * lit(2))
          .writeStream()
          .foreachBatch([&](DataFrame batch, int64_t) {
            counts.push_back(*batch.count());
            DataFrame distinct = batch.dropDuplicates({"order_id"});
            counts.push_back(*distinct.count());
            counts.push_back(*batch.where("status <> 'cancelled'").count());
            counts.push_back(*batch.where(col("order_id").isNull()).count());
            schemas.push_back(batch.drop({"status"}).schema()->ToDdl());
            // The whole micro-batch as one Arrow struct array, zero copy.
            ArrowSchema arrow_schema;
            ArrowArray arrow_array;
            if (batch.toArrow(&arrow_schema, &arrow_array).ok()) {
              counts.push_back(arrow_array.length);
              counts.push_back(arrow_schema.n_children);
              arrow_array.release(&arrow_array);
              arrow_schema.release(&arrow_schema);
            }
          })
          .option("checkpointLocation", "./checkpoints/silver")
          .trigger(Trigger::AvailableNow())
          .start();
  ASSERT_OK(query.status());
  ASSERT_OK(query->awaitTermination());
  // 4 rows (the malformed one is a struct of nulls, as Spark's PERMISSIVE from_json);
  // 3 distinct order ids (null is one); 3 not cancelled... null status is not "<>".
  EXPECT_THAT(counts, ::testing::ElementsAre(4, 3, 2, 1, 4, 4));
  ASSERT_EQ(schemas.size(), 1u);
  EXPECT_THAT(schemas[0], ::testing::HasSubstr("`amount_x2` DOUBLE"));
  EXPECT_THAT(schemas[0], ::testing::Not(::testing::HasSubstr("status")));
}

TEST_F(ForeachBatchMergeTest, StreamingChainErrorsSurfaceAtStart) {
  WriteOrders("a.json", {R"({"order_id":"o1"})"});
  Result<StreamingQuery> query = Orders()
                                     .where(col("no_such_column") > lit(1))
                                     .writeStream()
                                     .foreachBatch([](DataFrame, int64_t) {})
                                     .option("checkpointLocation", "./checkpoints/silver")
                                     .trigger(Trigger::AvailableNow())
                                     .start();
  ASSERT_FALSE(query.ok());
  EXPECT_THAT(query.status().message(), ::testing::HasSubstr("no_such_column"));
  EXPECT_THAT(query.status().message(), ::testing::HasSubstr("where"));

  Result<StreamingQuery> dedup = Orders()
                                     .dropDuplicates({"order_id"})
                                     .writeStream()
                                     .foreachBatch([](DataFrame, int64_t) {})
                                     .option("checkpointLocation", "./checkpoints/silver2")
                                     .start();
  ASSERT_FALSE(dedup.ok());
  EXPECT_THAT(dedup.status().message(), ::testing::HasSubstr("foreachBatch"));
}

TEST_F(ForeachBatchMergeTest, TwoSpellingsOfOneTableAreTwoWritesAndBothApply) {
  ASSERT_OK(DeltaTable::createIfNotExists(session_, "prod.silver.orders",
                                          "order_id STRING, status STRING, amount DOUBLE")
                .status());
  WriteOrders("a.json", {R"({"order_id":"o1","status":"new","amount":5})"});
  auto add_amounts = [&](const DeltaTable& table, DataFrame batch) {
    return table.alias("t")
        .merge(batch.alias("s"), "t.order_id = s.order_id")
        .whenMatchedUpdate({{"amount", "t.amount + s.amount"}})
        .whenNotMatchedInsertAll()
        .execute();
  };
  int calls = 0;  // a mutable lambda works as well
  Result<StreamingQuery> query =
      Orders()
          .writeStream()
          .foreachBatch([&, n = 0](DataFrame batch, int64_t) mutable {
            ++n;
            calls = n;
            ASSERT_OK(add_amounts(DeltaTable::forName(session_, "prod.silver.orders"), batch).status());
            // The same table by path (with a trailing slash): a second write, not a replay.
            MergeOutcome second = add_amounts(DeltaTable::forPath(session_, "./warehouse/prod/silver/orders/"), batch);
            ASSERT_OK(second.status());
            EXPECT_FALSE(second->skipped);
          })
          .option("checkpointLocation", "./checkpoints/silver")
          .trigger(Trigger::AvailableNow())
          .start();
  ASSERT_OK(query.status());
  ASSERT_OK(query->awaitTermination());
  EXPECT_EQ(calls, 1);
  EXPECT_THAT(TableRows(), ::testing::ElementsAre(::testing::Pair("o1", "new/10")));
}

TEST_F(ForeachBatchMergeTest, AfterAFailedWriteLaterWritesOfTheBatchAreRefused) {
  ASSERT_OK(DeltaTable::createIfNotExists(session_, "prod.silver.orders",
                                          "order_id STRING, status STRING, amount DOUBLE")
                .status());
  WriteOrders("a.json", {R"({"order_id":"o1","status":"new","amount":5})"});
  auto add_amounts = [&](DataFrame batch, std::string_view condition) {
    return DeltaTable::forName(session_, "prod.silver.orders")
        .alias("t")
        .merge(batch.alias("s"), condition)
        .whenMatchedUpdate({{"amount", "t.amount + s.amount"}})
        .whenNotMatchedInsertAll()
        .execute();
  };
  std::vector<std::string> outcomes;
  auto run = [&](bool fail_first) {
    return Orders()
        .writeStream()
        .foreachBatch([&, fail_first](DataFrame batch, int64_t) {
          // The first write fails (an unknown column), the function "retries" it.
          MergeOutcome first = add_amounts(batch, fail_first ? "t.order_id = s.no_such" : "t.order_id = s.order_id");
          outcomes.push_back(first.ok() ? "ok" : "failed");
          MergeOutcome retry = add_amounts(batch, "t.order_id = s.order_id");
          outcomes.push_back(retry.ok() ? "ok" : retry.status().IsCancelled() ? "refused" : "failed");
        })
        .option("checkpointLocation", "./checkpoints/silver")
        .trigger(Trigger::AvailableNow())
        .start();
  };
  Result<StreamingQuery> failing = run(true);
  ASSERT_OK(failing.status());
  EXPECT_THAT(failing->awaitTermination().message(), ::testing::HasSubstr("no_such"));
  EXPECT_THAT(TableRows(), ::testing::IsEmpty());
  // The re-run applies both writes once, in order: 5 + 5.
  Result<StreamingQuery> again = run(false);
  ASSERT_OK(again.status());
  ASSERT_OK(again->awaitTermination());
  EXPECT_THAT(outcomes, ::testing::ElementsAre("failed", "refused", "ok", "ok"));
  EXPECT_THAT(TableRows(), ::testing::ElementsAre(::testing::Pair("o1", "new/10")));
}

TEST_F(ForeachBatchMergeTest, AnExceptionFromTheFunctionFailsTheBatch) {
  WriteOrders("a.json", {R"({"order_id":"o1","status":"new","amount":5})"});
  Result<StreamingQuery> query = Orders()
                                     .writeStream()
                                     .foreachBatch([](DataFrame, int64_t) { throw std::runtime_error("boom"); })
                                     .option("checkpointLocation", "./checkpoints/silver")
                                     .trigger(Trigger::AvailableNow())
                                     .start();
  ASSERT_OK(query.status());
  Status status = query->awaitTermination();
  EXPECT_THAT(status.message(), ::testing::HasSubstr("boom"));
  EXPECT_FALSE(fs::exists(root_ / "checkpoints/silver/commits/0"));
}

TEST_F(ForeachBatchMergeTest, LatestByKeyKeepsEveryNullKeyRow) {
  WriteOrders("a.json", {R"({"order_id":"o1","status":"a","amount":1})", R"({"order_id":"o1","status":"b","amount":3})",
                         R"({"order_id":"o1","status":"c","amount":2})", R"({"status":"x","amount":9})",
                         R"({"status":"y","amount":8})"});
  std::vector<std::string> kept;
  Result<StreamingQuery> query = Orders()
                                     .writeStream()
                                     .foreachBatch([&](DataFrame batch, int64_t) {
                                       DataFrame latest = batch.latestByKey({"order_id"}, "amount");
                                       Result<std::vector<columnar::RecordBatchPtr>> held = latest.batches();
                                       ASSERT_OK(held.status());
                                       for (const columnar::RecordBatchPtr& rows : *held) {
                                         for (int64_t row = 0; row < rows->num_rows(); ++row) {
                                           kept.push_back(columnar::ValueToString(*rows->column(1), row));
                                         }
                                       }
                                     })
                                     .option("checkpointLocation", "./checkpoints/silver")
                                     .trigger(Trigger::AvailableNow())
                                     .start();
  ASSERT_OK(query.status());
  ASSERT_OK(query->awaitTermination());
  EXPECT_THAT(kept, ::testing::ElementsAre("b", "x", "y"));
}

}  // namespace
}  // namespace tributary
