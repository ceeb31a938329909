#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "tributary/api/column.h"
#include "tributary/api/session.h"
#include "tributary/base/result.h"
#include "tributary/columnar/arrow_c_data.h"
#include "tributary/columnar/record_batch.h"
#include "tributary/streaming/query_plan.h"

namespace tributary {

class DataStreamWriter;

/// What ties the DataFrame that foreachBatch hands over (and every DataFrame derived
/// from it) to its micro-batch: the ids that make Delta writes idempotent, and the
/// first error of a write made inside the function, which fails the batch even when
/// the function itself returns nothing.
struct MicroBatchContext {
  std::string query_id;
  int64_t batch_id = 0;
  /// What current_timestamp() returns in every DataFrame of this micro-batch.
  int64_t current_timestamp_micros = 0;
  /// Guards the members below: writes may come from threads the function starts.
  std::mutex mutex;
  /// Set when the foreachBatch function has returned: a write after that (from a
  /// thread the function left running) is refused, since its outcome could no longer
  /// fail the batch.
  bool finished = false;
  /// Writes made so far in this batch, per table id: the n-th write to one table uses
  /// txn appId "<query id>" (n = 0) or "<query id>#<n>", version = batch id.
  std::map<std::string, int> writes_per_table;
  Status first_error;
};

/// PySpark's `DataFrame`, in two forms:
///  - streaming: what `readStream()...load()` returns; it describes rows to come, and
///    its transformations (select, where, withColumn, drop) become steps of the query
///    plan, run on every micro-batch;
///  - batch: the rows of one micro-batch inside `foreachBatch`, in memory; the same
///    transformations run at once, and count(), dropDuplicates(), toArrow() work.
///
/// Errors never throw: the first error of a chain is carried (status()) and returned
/// by the terminal call (writeStream()...start(), count(), merge's execute()).
class DataFrame {
 public:
  /// A streaming DataFrame over `source`.
  DataFrame(Session session, streaming::SourceSpec source, Status status);
  /// A batch DataFrame over rows in memory.
  static DataFrame FromBatches(Session session, columnar::SchemaPtr schema,
                               std::vector<columnar::RecordBatchPtr> batches,
                               std::shared_ptr<MicroBatchContext> context = nullptr);

  /// `df.writeStream`. REQUIRES a streaming DataFrame (else the writer carries an error).
  DataStreamWriter writeStream() const;
  bool isStreaming() const { return !batch_; }

  /// `select(col("a"), from_json(...).alias("data"))`.
  DataFrame select(const std::vector<Column>& columns) const;
  /// `select("data.*", "kafka_ts")`: column names (stars allowed).
  DataFrame select(const std::vector<std::string>& names) const;
  /// `selectExpr("amount * 2 AS double_amount", ...)`: SQL expressions.
  DataFrame selectExpr(const std::vector<std::string>& sql) const;
  /// `where(col("amount") > lit(0))` / `where("amount > 0")`; filter() is the same.
  DataFrame where(const Column& condition) const;
  DataFrame where(std::string_view sql) const;
  DataFrame filter(const Column& condition) const { return where(condition); }
  DataFrame filter(std::string_view sql) const { return where(sql); }
  /// Adds the column `name`, or replaces the column of that name.
  DataFrame withColumn(std::string_view name, const Column& value) const;
  /// Drops the named columns; names that are not columns are ignored (as Spark does).
  DataFrame drop(const std::vector<std::string>& names) const;
  /// Keeps the first row of each distinct value of `subset` (all columns when empty),
  /// within this micro-batch. Batch DataFrames only: on a streaming DataFrame Spark's
  /// dropDuplicates keeps state across batches, which Tributary does not; use it
  /// inside foreachBatch.
  DataFrame dropDuplicates(const std::vector<std::string>& subset = {}) const;
  /// Keeps, per distinct value of `keys`, only the row with the greatest `order_by`
  /// (a SQL expression; later rows win ties), within this micro-batch: what an upsert
  /// needs when a key changed several times in one batch (Spark users write a window
  /// with row_number() for it). Batch DataFrames only.
  DataFrame latestByKey(const std::vector<std::string>& keys, std::string_view order_by) const;
  /// Names the DataFrame for MERGE conditions (`t.id = s.id`).
  DataFrame alias(std::string_view name) const;

  /// Rows of a batch DataFrame.
  Result<int64_t> count() const;
  /// The schema: known for batch DataFrames; for streaming ones only when the
  /// source's schema is (Kafka, or cloudFiles with schema()).
  Result<columnar::Schema> schema() const;
  /// The rows of a batch DataFrame as one Arrow record batch (a struct array), through
  /// the Arrow C Data Interface; the caller releases both.
  Status toArrow(ArrowSchema* out_schema, ArrowArray* out_array) const;
  /// The rows of a batch DataFrame, as they are held.
  Result<std::vector<columnar::RecordBatchPtr>> batches() const;

  const streaming::SourceSpec& source() const { return source_; }
  const std::vector<streaming::TransformStep>& transforms() const { return transforms_; }
  const Session& session() const { return session_; }
  const std::string& alias_name() const { return alias_; }
  const std::shared_ptr<MicroBatchContext>& micro_batch() const { return context_; }
  /// OK, or the first error of the chain that built this DataFrame.
  const Status& status() const { return status_; }

 private:
  struct Rows {
    columnar::SchemaPtr schema;
    std::vector<columnar::RecordBatchPtr> batches;
  };

  DataFrame WithStep(streaming::TransformStep step, Status status) const;
  DataFrame WithError(Status status) const;

  Session session_;
  streaming::SourceSpec source_;
  std::vector<streaming::TransformStep> transforms_;
  std::shared_ptr<const Rows> batch_;  // set for batch DataFrames
  std::shared_ptr<MicroBatchContext> context_;
  std::string alias_;
  Status status_;
};

}  // namespace tributary
