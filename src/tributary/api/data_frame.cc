#include "tributary/api/data_frame.h"

#include "tributary/api/data_stream_writer.h"

namespace tributary {

DataFrame::DataFrame(Session session, streaming::SourceSpec source, Status status)
    : session_(std::move(session)), source_(std::move(source)), status_(std::move(status)) {}

DataStreamWriter DataFrame::writeStream() const { return DataStreamWriter(*this); }

}  // namespace tributary
