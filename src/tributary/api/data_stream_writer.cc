#include "tributary/api/data_stream_writer.h"

#include <chrono>
#include <exception>

#include <algorithm>
#include <cctype>

#include "tributary/api/plan_check.h"

namespace tributary {

DataStreamWriter::DataStreamWriter(DataFrame frame) : frame_(std::move(frame)) {}

void DataStreamWriter::Fail(Status status) {
  if (status_.ok()) status_ = std::move(status);
}

DataStreamWriter& DataStreamWriter::format(std::string_view sink) {
  if (sink.empty()) Fail(Status::Invalid("writeStream.format() needs a sink format, e.g. \"delta\""));
  sink_.format = std::string(sink);
  return *this;
}

DataStreamWriter& DataStreamWriter::option(std::string_view key, std::string_view value) {
  if (key.empty()) {
    Fail(Status::Invalid("writeStream.option() needs a non-empty option name"));
    return *this;
  }
  sink_.options.Set(std::string(key),
                    IsPathOption(key) ? frame_.session().ResolvePath(value) : std::string(value));
  return *this;
}

DataStreamWriter& DataStreamWriter::options(const std::map<std::string, std::string>& values) {
  for (const auto& [key, value] : values) option(key, std::string_view(value));
  return *this;
}

DataStreamWriter& DataStreamWriter::outputMode(std::string_view mode) {
  std::string lower(mode);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  if (lower == "complete") {
    Fail(Status::Invalid("outputMode 'complete' is not supported when there are no streaming aggregations"));
  } else if (lower != "append" && lower != "update") {
    Fail(Status::Invalid("unknown outputMode '{}'; accepted: append, update", mode));
  }
  sink_.output_mode = lower;
  return *this;
}

DataStreamWriter& DataStreamWriter::partitionBy(std::vector<std::string> columns) {
  for (const std::string& column : columns) {
    if (column.empty()) Fail(Status::Invalid("partitionBy() got an empty column name"));
  }
  sink_.partition_by = std::move(columns);
  return *this;
}

DataStreamWriter& DataStreamWriter::queryName(std::string_view name) {
  sink_.query_name = std::string(name);
  return *this;
}

DataStreamWriter& DataStreamWriter::trigger(const Trigger& trigger) {
  if (!trigger.status().ok()) Fail(trigger.status());
  sink_.trigger = trigger.spec();
  return *this;
}

DataStreamWriter& DataStreamWriter::SetForeachBatch(std::function<Status(DataFrame, int64_t)> function) {
  if (!function) {
    Fail(Status::Invalid("foreachBatch() got an empty function"));
    return *this;
  }
  Session session = frame_.session();
  sink_.foreach_batch = [session, function = std::move(function)](const streaming::MicroBatch& batch) -> Status {
    auto context = std::make_shared<MicroBatchContext>();
    context->query_id = batch.query_id;
    context->batch_id = batch.batch_id;
    context->current_timestamp_micros = std::chrono::duration_cast<std::chrono::microseconds>(
                                            std::chrono::system_clock::now().time_since_epoch())
                                            .count();
    DataFrame frame = DataFrame::FromBatches(session, batch.schema, batch.batches, context);
    std::string where = "foreachBatch function, batch " + std::to_string(batch.batch_id);
    Status status;
    try {
      status = function(std::move(frame), batch.batch_id);
    } catch (const std::exception& error) {
      status = Status::Invalid("it threw {}", error.what());
    } catch (...) {
      status = Status::Invalid("it threw an exception that is not a std::exception");
    }
    std::lock_guard<std::mutex> lock(context->mutex);
    context->finished = true;
    if (!status.ok()) return status.WithContext(where);
    if (!context->first_error.ok()) return context->first_error.WithContext(where);
    return Status::OK();
  };
  return *this;
}

DataStreamWriter& DataStreamWriter::mergeInto(streaming::MergeSinkSpec spec) {
  if (spec.into.find('/') != std::string::npos) spec.into = frame_.session().ResolvePath(spec.into);
  sink_.merge = std::move(spec);
  return *this;
}

Result<streaming::QueryPlan> DataStreamWriter::Finish(streaming::SinkSpec sink) const {
  TRIB_RETURN_NOT_OK(frame_.status());
  TRIB_RETURN_NOT_OK(status_);
  streaming::QueryPlan plan;
  plan.source = frame_.source();
  plan.transforms = frame_.transforms();
  plan.sink = std::move(sink);
  plan.warehouse = frame_.session().warehouse();
  TRIB_RETURN_NOT_OK(CheckPlan(plan));
  return plan;
}

Result<streaming::QueryPlan> DataStreamWriter::PlanForTable(std::string_view name) const {
  streaming::SinkSpec sink = sink_;
  sink.table_name = std::string(name);
  return Finish(std::move(sink));
}

Result<streaming::QueryPlan> DataStreamWriter::PlanForPath(std::string_view path) const {
  streaming::SinkSpec sink = sink_;
  if (path.empty() && (sink.foreach_batch || sink.merge)) {
    // foreachBatch and a declared merge write where their function / target says.
  } else if (path.empty()) {
    std::optional<std::string> option_path = sink.options.Get("path");
    if (!option_path) return Status::Invalid("writeStream.start() needs a path: start(path) or option('path', ...)");
    sink.path = *option_path;
  } else {
    if (sink.options.Has("path")) {
      return Status::Invalid("writeStream has both option('path') and start(path); give the path once");
    }
    sink.path = frame_.session().ResolvePath(path);
  }
  return Finish(std::move(sink));
}

Result<StreamingQuery> DataStreamWriter::toTable(std::string_view name) const {
  TRIB_ASSIGN_OR_RETURN(streaming::QueryPlan plan, PlanForTable(name));
  return StreamingQuery::Start(plan);
}

Result<StreamingQuery> DataStreamWriter::start(std::string_view path) const {
  if (path.empty()) return Status::Invalid("writeStream.start(path) got an empty path");
  TRIB_ASSIGN_OR_RETURN(streaming::QueryPlan plan, PlanForPath(path));
  return StreamingQuery::Start(plan);
}

Result<StreamingQuery> DataStreamWriter::start() const {
  TRIB_ASSIGN_OR_RETURN(streaming::QueryPlan plan, PlanForPath(""));
  return StreamingQuery::Start(plan);
}

}  // namespace tributary
