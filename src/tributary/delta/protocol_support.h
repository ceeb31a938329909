#pragma once

#include <optional>
#include <string_view>

#include "tributary/base/status.h"
#include "tributary/columnar/schema.h"
#include "tributary/delta/actions.h"

namespace tributary::delta {

class Snapshot;

/// OK when this engine can append to the table at `snapshot` without breaking a
/// protocol requirement (reference A6); NotImplemented naming the table and the
/// feature otherwise. Features that ask nothing of a blind appender (appendOnly,
/// changeDataFeed, timestampNtz, vacuumProtocolCheck, v2Checkpoint, and invariants,
/// checkConstraints, generatedColumns, identityColumns, allowColumnDefaults and
/// columnMapping while they are not in use) are accepted.
Status CheckAppendSupported(const Snapshot& snapshot, std::string_view table_path);

/// The protocol for a new table: (1,2), or (3,7) with timestampNtz when the schema
/// holds a timestamp_ntz column, as Spark does.
Protocol ProtocolForNewTable(const columnar::Schema& schema);

/// The protocol to commit when `schema` (evolved) needs more than `current` supports
/// (a timestamp_ntz column added to a table without the feature); nullopt otherwise.
std::optional<Protocol> ProtocolUpgradeFor(const Protocol& current,
                                           const columnar::Schema& schema);

}  // namespace tributary::delta
