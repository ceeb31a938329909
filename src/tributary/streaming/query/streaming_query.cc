#include "tributary/streaming/query/streaming_query.h"

#include "tributary/base/ascii.h"
#include "tributary/base/log.h"
#include "tributary/streaming/cloud_files/cloud_files_source.h"
#include "tributary/streaming/delta_sink.h"
#include "tributary/streaming/foreach_batch_sink.h"
#include "tributary/streaming/kafka/kafka_options.h"
#include "tributary/streaming/kafka/kafka_source.h"
#include "tributary/streaming/query/merge_sink.h"
#include "tributary/streaming/transform.h"
#include "tributary/streaming/query/streaming_query_internal.h"

namespace tributary::streaming {

namespace {

Status CheckTrigger(const TriggerSpec& trigger) {
  if (trigger.kind == TriggerSpec::Kind::kProcessingTime && trigger.interval_ms < 0) {
    return Status::Invalid("trigger processingTime interval must not be negative, got {} ms", trigger.interval_ms);
  }
  return Status::OK();
}

Status CheckSourceFormat(const SourceSpec& source) {
  std::string source_format = AsciiLower(source.format);
  if (source_format == "cloudfiles" || source_format == "kafka") return Status::OK();
  if (source_format == "delta" || source_format == "rate") {
    return Status::NotImplemented("source format '{}' is not supported yet (cloudFiles and kafka are)", source.format);
  }
  return Status::Invalid("unknown source format '{}' (expected cloudFiles or kafka)", source.format);
}

bool IsKafka(const SourceSpec& source) { return EqualsIgnoreCase(source.format, "kafka"); }

// foreachBatch takes these options (a declared merge: MergeSinkOptionNames).
const OptionNames& BatchFunctionSinkOptionNames() {
  static const OptionNames names = {"checkpointLocation", "queryName"};
  return names;
}

Result<std::string> CheckpointLocation(const QueryPlan& plan) {
  if (!plan.sink.foreach_batch && !plan.sink.merge) {
    TRIB_ASSIGN_OR_RETURN(DeltaSinkOptions options, ParseDeltaSinkOptions(plan));
    return options.checkpoint_location;
  }
  if (plan.sink.foreach_batch && plan.sink.merge) {
    return Status::Invalid("a query has one sink: foreachBatch or a declared merge, not both");
  }
  std::string_view what = plan.sink.foreach_batch ? "foreachBatch" : "the merge sink";
  TRIB_RETURN_NOT_OK(plan.sink.options.CheckKnown(
      plan.sink.foreach_batch ? BatchFunctionSinkOptionNames() : MergeSinkOptionNames(), what));
  if (plan.sink.merge) TRIB_RETURN_NOT_OK(ParseAutoCompactOptions(plan.sink.options).status());
  if (!EqualsIgnoreCase(plan.sink.output_mode, "append") && !EqualsIgnoreCase(plan.sink.output_mode, "update")) {
    return Status::NotImplemented("outputMode '{}' is not supported with {} (append and update are)",
                                  plan.sink.output_mode, what);
  }
  TRIB_ASSIGN_OR_RETURN(std::string checkpoint, CheckpointLocationOption(plan.sink.options));
  if (plan.sink.merge) TRIB_RETURN_NOT_OK(ValidateMergeSink(*plan.sink.merge));
  return checkpoint;
}

}  // namespace

Status ValidatePlan(const QueryPlan& plan) {
  TRIB_RETURN_NOT_OK(CheckTrigger(plan.sink.trigger));
  TRIB_RETURN_NOT_OK(CheckSourceFormat(plan.source));
  if (IsKafka(plan.source)) {
    TRIB_ASSIGN_OR_RETURN(kafka::KafkaOptions options, kafka::ParseKafkaOptions(plan.source));
    // The Kafka rows have a fixed schema, so the transforms can be checked now.
    TRIB_RETURN_NOT_OK(
        BatchTransformer::Make(plan.transforms, kafka::KafkaSourceSchema(options.include_headers)).status());
  } else {
    TRIB_RETURN_NOT_OK(cloud_files::ParseCloudFilesOptions(plan.source).status());
  }
  return CheckpointLocation(plan).status();
}

Result<std::unique_ptr<MicroBatchRunner>> BuildRunner(const QueryPlan& plan, RunnerOptions runner_options,
                                                      std::shared_ptr<io::FileSystem> fs) {
  // Everything the user wrote is checked before anything is created on disk.
  TRIB_RETURN_NOT_OK(ValidatePlan(plan));
  TRIB_ASSIGN_OR_RETURN(std::string checkpoint_location, CheckpointLocation(plan));
  std::string query_name = plan.sink.query_name.empty() ? plan.sink.options.GetString("queryName", "")
                                                        : plan.sink.query_name;

  TRIB_ASSIGN_OR_RETURN(std::unique_ptr<Checkpoint> checkpoint, Checkpoint::Open(fs, checkpoint_location));
  std::unique_ptr<Source> source;
  if (IsKafka(plan.source)) {
    TRIB_ASSIGN_OR_RETURN(source,
                          kafka::MakeKafkaSource(plan.source, checkpoint->SourceDir(0), checkpoint->query_id()));
  } else {
    TRIB_ASSIGN_OR_RETURN(cloud_files::CloudFilesOptions source_options,
                          cloud_files::ParseCloudFilesOptions(plan.source));
    TRIB_ASSIGN_OR_RETURN(source,
                          cloud_files::CloudFilesSource::Open(std::move(source_options), fs, checkpoint->SourceDir(0)));
  }
  if (!plan.transforms.empty()) {
    TRIB_ASSIGN_OR_RETURN(std::unique_ptr<BatchTransformer> transformer,
                          BatchTransformer::Make(plan.transforms, source->schema()));
    source = std::make_unique<TransformingSource>(std::move(source), std::move(transformer));
  }

  std::unique_ptr<Sink> sink;
  if (plan.sink.foreach_batch) {
    sink = std::make_unique<ForeachBatchSink>(plan.sink.foreach_batch, "ForeachBatchSink");
  } else if (plan.sink.merge) {
    TRIB_ASSIGN_OR_RETURN(sink, MakeMergeSink(fs, plan.warehouse, *plan.sink.merge, plan.sink.options));
  } else {
    TRIB_ASSIGN_OR_RETURN(DeltaSinkOptions sink_options, ParseDeltaSinkOptions(plan));
    TRIB_ASSIGN_OR_RETURN(sink, DeltaSink::Open(fs, std::move(sink_options), source->schema()));
  }

  runner_options.trigger = plan.sink.trigger;
  runner_options.query_name = query_name;
  auto runner = std::make_unique<MicroBatchRunner>(std::move(checkpoint), std::move(source), std::move(sink),
                                                   std::move(runner_options));
  TRIB_RETURN_NOT_OK(runner->Recover());
  return runner;
}

Result<std::unique_ptr<StreamingQuery>> StreamingQuery::Start(const QueryPlan& plan) {
  TRIB_ASSIGN_OR_RETURN(std::unique_ptr<MicroBatchRunner> runner,
                        BuildRunner(plan, RunnerOptions{}, io::LocalFileSystem()));
  log::Info("query {} (run {}{}{}) started", runner->id(), runner->run_id(),
            runner->name().empty() ? "" : ", name ", runner->name());
  std::unique_ptr<StreamingQuery> query(new StreamingQuery(std::move(runner)));
  query->runner_->StartThread();
  return query;
}

StreamingQuery::StreamingQuery(std::unique_ptr<MicroBatchRunner> runner) : runner_(std::move(runner)) {}

StreamingQuery::~StreamingQuery() = default;

Status StreamingQuery::AwaitTermination() { return runner_->AwaitTermination(); }
std::optional<Status> StreamingQuery::AwaitTermination(int64_t timeout_ms) {
  return runner_->AwaitTermination(timeout_ms);
}
void StreamingQuery::Stop() { runner_->Stop(); }
void StreamingQuery::RequestStop() { runner_->RequestStop(); }
void StreamingQuery::Abort() { runner_->Abort(); }
void StreamingQuery::RequestAbort() { runner_->RequestAbort(); }
bool StreamingQuery::IsActive() const { return runner_->IsActive(); }
std::optional<QueryProgress> StreamingQuery::LastProgress() const { return runner_->LastProgress(); }
std::vector<QueryProgress> StreamingQuery::RecentProgress() const { return runner_->RecentProgress(); }
const std::string& StreamingQuery::id() const { return runner_->id(); }
const std::string& StreamingQuery::run_id() const { return runner_->run_id(); }
const std::string& StreamingQuery::name() const { return runner_->name(); }
void StreamingQuery::SetProgressListener(std::function<void(const QueryProgress&)> listener) {
  runner_->SetProgressListener(std::move(listener));
}

}  // namespace tributary::streaming
