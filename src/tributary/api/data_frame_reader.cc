#include "tributary/api/data_frame_reader.h"

#include <charconv>

#include "tributary/api/delta_table.h"
#include "tributary/base/ascii.h"

namespace tributary {
namespace {

Result<delta::TimeTravelSpec> TimeTravelOptions(const std::map<std::string, std::string>& options) {
  delta::TimeTravelSpec spec;
  for (const auto& [key, value] : options) {
    if (key == "versionasof") {
      int64_t version = -1;
      auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), version);
      if (error != std::errc() || end != value.data() + value.size() || version < 0) {
        return Status::Invalid("option versionAsOf '{}' is not a table version (a number >= 0)", value);
      }
      spec.version = version;
    } else if (key == "timestampasof") {
      spec.timestamp = value;
    } else {
      return Status::Invalid("unknown option '{}' for a batch read of a Delta table: the options are versionAsOf "
                             "and timestampAsOf",
                             key);
    }
  }
  return spec;
}

}  // namespace

DataFrameReader& DataFrameReader::format(std::string_view source) {
  format_ = std::string(source);
  return *this;
}

DataFrameReader& DataFrameReader::option(std::string_view key, std::string_view value) {
  options_[AsciiLower(key)] = std::string(value);
  return *this;
}

DataFrameReader& DataFrameReader::options(const std::map<std::string, std::string>& values) {
  for (const auto& [key, value] : values) option(key, value);
  return *this;
}

DataFrame DataFrameReader::load(std::string_view path) const {
  return Read(DeltaTable::forPath(session_, path));
}

DataFrame DataFrameReader::table(std::string_view name) const { return Read(DeltaTable::forName(session_, name)); }

DataFrame DataFrameReader::Read(const DeltaTable& table) const {
  auto read = [&]() -> Result<DataFrame> {
    if (!EqualsIgnoreCase(format_, "delta")) {
      return Status::NotImplemented("session.read() reads format \"delta\" only, not \"{}\"", format_);
    }
    TRIB_ASSIGN_OR_RETURN(delta::TimeTravelSpec spec, TimeTravelOptions(options_));
    return table.toDF(spec);
  };
  Result<DataFrame> frame = read();
  if (!frame.ok()) return DataFrame(session_, streaming::SourceSpec{}, frame.status());
  return frame.MoveValue();
}

}  // namespace tributary
