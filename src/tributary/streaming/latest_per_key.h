#pragma once

#include <string>
#include <vector>

#include "tributary/base/result.h"
#include "tributary/columnar/record_batch.h"
#include "tributary/columnar/schema.h"

namespace tributary::streaming {

/// Keeps, for each distinct value of the `keys` columns, only the row whose
/// `order_by` (a SQL expression over the row: a column, or e.g. "coalesce(updated_at,
/// kafka_ts)") is greatest; among equal values the row that comes later in the batch
/// wins (for Kafka: the later offset of the key's partition). Null orders lowest. Rows
/// with a null key are all kept (an equality never matches them, so MERGE inserts
/// each). Row order of the kept rows follows the input.
///
/// This is what an upsert of a micro-batch needs when a key changes several times in
/// one batch: MERGE would otherwise fail with several source rows for one target row
/// (or insert the key several times). Spark users write it with a window and
/// row_number(); Tributary offers it directly.
/// Errors: Invalid naming an unknown key column or an order_by that does not bind or
/// is not of an orderable type (numbers, strings, dates, timestamps, booleans).
Result<std::vector<columnar::RecordBatchPtr>> KeepLatestPerKey(const columnar::Schema& schema,
                                                              const std::vector<columnar::RecordBatchPtr>& batches,
                                                              const std::vector<std::string>& keys,
                                                              const std::string& order_by);

/// The source-side columns of the equalities `<target>.x = <source>.y` among the
/// top-level conjuncts of a MERGE condition (either operand order), for example
/// {"order_id"} for "t.order_id = s.order_id AND t.region = 'eu'".
Result<std::vector<std::string>> MergeSourceKeys(const std::string& condition, const std::string& target_alias,
                                                 const std::string& source_alias);

}  // namespace tributary::streaming
