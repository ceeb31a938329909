#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "tributary/base/result.h"
#include "tributary/columnar/schema.h"
#include "tributary/delta/actions.h"

namespace tributary::delta {

class Snapshot;

/// OK when this engine can append to the table at `snapshot` without breaking a
/// protocol requirement (reference A6); NotImplemented naming the table and the
/// feature otherwise. Features that ask nothing of a blind appender (appendOnly,
/// changeDataFeed, timestampNtz, vacuumProtocolCheck, v2Checkpoint, deletionVectors,
/// inCommitTimestamp, and invariants,
/// checkConstraints, generatedColumns, identityColumns, allowColumnDefaults and
/// columnMapping while they are not in use) are accepted.
Status CheckAppendSupported(const Snapshot& snapshot, std::string_view table_path);

/// OK when this engine reads the table at `snapshot` correctly: reader version 1 or 2
/// (column mapping), or 3 with only the reader features it implements (columnMapping,
/// deletionVectors, timestampNtz, v2Checkpoint, vacuumProtocolCheck). NotImplemented
/// naming the table and the feature otherwise.
Status CheckReadSupported(const Snapshot& snapshot, std::string_view table_path);

/// The protocol for a new table: (1,2); (1,4) when delta.enableChangeDataFeed is true
/// (writers then owe cdc files only for non-append changes, which an appender never
/// makes); (3,7) with timestampNtz when the schema holds a timestamp_ntz column, as
/// Spark does. Errors: NotImplemented naming `table_path` and the property for table
/// properties that turn on a feature this engine cannot write (column mapping,
/// deletion vectors, row tracking, in-commit timestamps, type widening, explicit
/// delta.feature.* or delta.min*Version); Invalid for a malformed value of
/// delta.checkpointInterval, delta.dataSkippingNumIndexedCols or delta.appendOnly.
Result<Protocol> ProtocolForNewTable(const columnar::Schema& schema,
                                     const std::map<std::string, std::string>& configuration,
                                     std::string_view table_path);

/// The protocol to commit when `schema` (evolved) needs more than `current` supports
/// (a timestamp_ntz column added to a table without the feature); nullopt otherwise.
std::optional<Protocol> ProtocolUpgradeFor(const Protocol& current,
                                           const columnar::Schema& schema);

}  // namespace tributary::delta
