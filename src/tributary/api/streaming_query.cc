#include "tributary/api/streaming_query.h"

namespace tributary {

StreamingQuery::StreamingQuery(std::shared_ptr<streaming::StreamingQuery> query,
                               std::shared_ptr<const streaming::QueryPlan> plan)
    : query_(std::move(query)), plan_(std::move(plan)) {}

Result<StreamingQuery> StreamingQuery::Start(const streaming::QueryPlan& plan) {
  TRIB_ASSIGN_OR_RETURN(std::unique_ptr<streaming::StreamingQuery> query, streaming::StreamingQuery::Start(plan));
  return StreamingQuery(std::shared_ptr<streaming::StreamingQuery>(std::move(query)),
                        std::make_shared<const streaming::QueryPlan>(plan));
}

Status StreamingQuery::awaitTermination() { return query_->AwaitTermination(); }

std::optional<Status> StreamingQuery::awaitTermination(int64_t timeout_ms) {
  return query_->AwaitTermination(timeout_ms);
}

void StreamingQuery::stop() { query_->Stop(); }

void StreamingQuery::RequestStop() { query_->RequestStop(); }

void StreamingQuery::Abort() { query_->Abort(); }

void StreamingQuery::RequestAbort() { query_->RequestAbort(); }

bool StreamingQuery::isActive() const { return query_->IsActive(); }

std::optional<QueryProgress> StreamingQuery::lastProgress() const { return query_->LastProgress(); }

std::vector<QueryProgress> StreamingQuery::recentProgress() const { return query_->RecentProgress(); }

void StreamingQuery::SetProgressListener(std::function<void(const QueryProgress&)> listener) {
  query_->SetProgressListener(std::move(listener));
}

std::string StreamingQuery::id() const { return query_->id(); }

std::string StreamingQuery::runId() const { return query_->run_id(); }

std::string StreamingQuery::name() const { return query_->name(); }

}  // namespace tributary
