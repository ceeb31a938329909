#include "tributary/streaming/query/streaming_query.h"

#include <cctype>

#include "tributary/base/log.h"
#include "tributary/streaming/cloud_files/cloud_files_source.h"
#include "tributary/streaming/delta_sink.h"
#include "tributary/streaming/query/streaming_query_internal.h"

namespace tributary::streaming {

namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

Status CheckTrigger(const TriggerSpec& trigger) {
  if (trigger.kind == TriggerSpec::Kind::kProcessingTime && trigger.interval_ms < 0) {
    return Status::Invalid("trigger processingTime interval must not be negative, got {} ms", trigger.interval_ms);
  }
  return Status::OK();
}

Status CheckSourceFormat(const SourceSpec& source) {
  std::string source_format = Lower(source.format);
  if (source_format == "cloudfiles") return Status::OK();
  if (source_format == "kafka" || source_format == "delta" || source_format == "rate") {
    return Status::NotImplemented("source format '{}' is not supported yet (cloudFiles is)", source.format);
  }
  return Status::Invalid("unknown source format '{}' (expected cloudFiles)", source.format);
}

}  // namespace

Status ValidatePlan(const QueryPlan& plan) {
  TRIB_RETURN_NOT_OK(CheckTrigger(plan.sink.trigger));
  TRIB_RETURN_NOT_OK(CheckSourceFormat(plan.source));
  TRIB_RETURN_NOT_OK(cloud_files::ParseCloudFilesOptions(plan.source).status());
  return ParseDeltaSinkOptions(plan).status();
}

Result<std::unique_ptr<MicroBatchRunner>> BuildRunner(const QueryPlan& plan, RunnerOptions runner_options,
                                                      std::shared_ptr<io::FileSystem> fs) {
  // Everything the user wrote is checked before anything is created on disk.
  TRIB_RETURN_NOT_OK(CheckTrigger(plan.sink.trigger));
  TRIB_RETURN_NOT_OK(CheckSourceFormat(plan.source));
  TRIB_ASSIGN_OR_RETURN(cloud_files::CloudFilesOptions source_options,
                        cloud_files::ParseCloudFilesOptions(plan.source));
  TRIB_ASSIGN_OR_RETURN(DeltaSinkOptions sink_options, ParseDeltaSinkOptions(plan));
  std::string query_name = plan.sink.query_name.empty() ? plan.sink.options.GetString("queryName", "")
                                                        : plan.sink.query_name;

  TRIB_ASSIGN_OR_RETURN(std::unique_ptr<Checkpoint> checkpoint,
                        Checkpoint::Open(fs, sink_options.checkpoint_location));
  TRIB_ASSIGN_OR_RETURN(std::unique_ptr<cloud_files::CloudFilesSource> source,
                        cloud_files::CloudFilesSource::Open(std::move(source_options), fs, checkpoint->SourceDir(0)));
  TRIB_ASSIGN_OR_RETURN(std::unique_ptr<DeltaSink> sink,
                        DeltaSink::Open(fs, std::move(sink_options), source->schema()));

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
