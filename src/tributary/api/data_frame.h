#pragma once

#include "tributary/api/session.h"
#include "tributary/base/status.h"
#include "tributary/streaming/query_plan.h"

namespace tributary {

class DataStreamWriter;

/// PySpark's `DataFrame`, in its streaming form: what `readStream()...load()` returns.
/// It describes rows to come, not rows in memory; `writeStream()` starts describing
/// where they go. Transformations (`select`, `where`, ...) come with the expression
/// layer.
///
/// A DataFrame built from an invalid reader chain carries that error (status()); the
/// writer's terminal call returns it.
class DataFrame {
 public:
  DataFrame(Session session, streaming::SourceSpec source, Status status);

  /// `df.writeStream`.
  DataStreamWriter writeStream() const;
  /// Always true for now: every DataFrame comes from a streaming source.
  bool isStreaming() const { return true; }

  const streaming::SourceSpec& source() const { return source_; }
  const Session& session() const { return session_; }
  /// OK, or the first error of the chain that built this DataFrame.
  const Status& status() const { return status_; }

 private:
  Session session_;
  streaming::SourceSpec source_;
  Status status_;
};

}  // namespace tributary
