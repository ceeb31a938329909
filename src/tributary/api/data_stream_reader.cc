#include "tributary/api/data_stream_reader.h"

#include "tributary/api/schema_text.h"

namespace tributary {

DataStreamReader::DataStreamReader(Session session) : session_(std::move(session)) {}

void DataStreamReader::Fail(Status status) {
  if (status_.ok()) status_ = std::move(status);
}

DataStreamReader& DataStreamReader::format(std::string_view source) {
  if (source.empty()) Fail(Status::Invalid("readStream.format() needs a source format, e.g. \"cloudFiles\""));
  source_.format = std::string(source);
  return *this;
}

DataStreamReader& DataStreamReader::option(std::string_view key, std::string_view value) {
  if (key.empty()) {
    Fail(Status::Invalid("readStream.option() needs a non-empty option name"));
    return *this;
  }
  source_.options.Set(std::string(key), IsPathOption(key) ? session_.ResolvePath(value) : std::string(value));
  return *this;
}

DataStreamReader& DataStreamReader::options(const std::map<std::string, std::string>& values) {
  for (const auto& [key, value] : values) option(key, std::string_view(value));
  return *this;
}

DataStreamReader& DataStreamReader::schema(std::string_view ddl) {
  Result<columnar::Schema> parsed = ParseSchemaText(ddl);
  if (!parsed.ok()) {
    Fail(parsed.status().WithContext("readStream.schema()"));
    return *this;
  }
  source_.user_schema = parsed.MoveValue();
  return *this;
}

DataStreamReader& DataStreamReader::schema(columnar::Schema schema) {
  source_.user_schema = std::move(schema);
  return *this;
}

DataFrame DataStreamReader::load(std::string_view path) {
  if (path.empty()) Fail(Status::Invalid("readStream.load() needs a path"));
  // Spark 3 refuses the ambiguity instead of picking one of the two.
  if (source_.options.Has("path")) {
    Fail(Status::Invalid("readStream has both option('path') and load(path); give the path once"));
  }
  source_.path = session_.ResolvePath(path);
  return load();
}

DataFrame DataStreamReader::load() {
  if (source_.format.empty()) {
    Fail(Status::Invalid("readStream needs a format, e.g. .format(\"cloudFiles\")"));
  }
  if (source_.path.empty()) {
    if (std::optional<std::string> path = source_.options.Get("path")) source_.path = *path;
  }
  return DataFrame(session_, source_, status_);
}

}  // namespace tributary
