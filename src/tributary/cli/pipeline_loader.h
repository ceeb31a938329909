#pragma once

#include <string>
#include <string_view>

#include "tributary/base/result.h"
#include "tributary/streaming/query_plan.h"

namespace tributary::cli {

/// Reads a YAML pipeline file and builds its plan through the C++ API (Session,
/// DataStreamReader, DataStreamWriter), so a pipeline and the same chain in C++ give
/// the same plan.
///
/// Format (every key is checked; an unknown or repeated key is an error):
///
///   warehouse: ./warehouse          # optional, default ./warehouse
///   source:
///     format: cloudFiles            # required
///     path: ./landing/events/       # load(path)
///     schema: "id BIGINT, ..."      # optional user schema (DDL)
///     options: {name: value, ...}   # readStream.option(name, value)
///   sink:
///     format: delta                 # optional, default delta
///     table: prod.bronze.raw_events # toTable(...), or
///     path: ./tables/raw_events     # start(path)
///     trigger: {availableNow: true} # or {once: true} or {processingTime: "5 minutes"}
///     options: {name: value, ...}   # writeStream.option(name, value)
///     partitionBy: [col, ...]       # or a single column name
///     outputMode: append
///     queryName: raw_events
///
/// Option values may be strings, numbers or booleans; they become the strings Spark
/// would see (`true` -> "true", `10` -> "10"). Relative paths (warehouse, source.path,
/// sink.path and the path-valued options checkpointLocation, cloudFiles.schemaLocation,
/// badRecordsPath, path) resolve against the directory of the YAML file, so a
/// pipeline runs the same from any working directory.
///
/// Errors: Invalid, as "<file>:<line>:<column>: <what>", naming the key or value.
/// IOError when the file cannot be read.
Result<streaming::QueryPlan> LoadPipelineFile(const std::string& path);

/// Parses pipeline text; `file_name` is used in errors, `base_directory` for relative
/// paths.
Result<streaming::QueryPlan> ParsePipeline(std::string_view text, std::string_view file_name,
                                           std::string_view base_directory);

}  // namespace tributary::cli
