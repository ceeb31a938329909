#pragma once

#include <string>
#include <string_view>

#include "tributary/base/result.h"

namespace tributary {

class DataFrameReader;
class DataStreamReader;

/// The entry point of the C++ API, PySpark's `SparkSession`: it holds what the queries
/// it starts share (the warehouse root for three-part table names, the directory that
/// relative paths are resolved against) and hands out readers.
///
/// Paths: every path the API receives (the warehouse, `load(path)`, `start(path)`,
/// and the path-valued options `checkpointLocation`, `cloudFiles.schemaLocation`,
/// `badRecordsPath`, `path`) is made absolute against baseDirectory() and normalized
/// lexically, so a plan never depends on the working directory of whoever runs it.
/// Values with a URI scheme ("s3://...", "file:/...") are left as they are.
///
/// A Session is a small value; copies share nothing and are safe to use from several
/// threads as long as each thread uses its own copy.
class Session {
 public:
  /// Fluent construction: `Session::builder().warehouse("./wh").getOrCreate()`.
  class Builder {
   public:
    /// Root under which `catalog.schema.table` names live. Default "./warehouse".
    Builder& warehouse(std::string path);
    /// Directory that relative paths resolve against. Default: the working directory
    /// when getOrCreate() runs. The YAML loader sets it to the pipeline file's folder.
    Builder& baseDirectory(std::string path);
    /// Builds the session; fails when the working directory cannot be read.
    Result<Session> getOrCreate() const;

   private:
    std::string warehouse_ = "./warehouse";
    std::string base_directory_;
  };

  static Builder builder() { return Builder(); }

  /// A session with the defaults: warehouse "./warehouse" under the working directory.
  Session();

  /// Sets the warehouse root (resolved as described above).
  Session& warehouse(std::string_view path);
  /// The absolute warehouse root.
  const std::string& warehouse() const { return warehouse_; }
  const std::string& baseDirectory() const { return base_directory_; }

  /// `spark.read`: a reader for batch reads of Delta tables (with time travel).
  DataFrameReader read() const;
  /// `spark.readStream`: a reader for a streaming source.
  DataStreamReader readStream() const;

  /// `path` made absolute against baseDirectory() and lexically normalized; a trailing
  /// separator is kept (Spark treats "dir/" and "dir" alike; users write both).
  std::string ResolvePath(std::string_view path) const;

 private:
  std::string warehouse_;
  std::string base_directory_;
};

}  // namespace tributary
