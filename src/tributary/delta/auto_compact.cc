#include "tributary/delta/auto_compact.h"

#include <map>
#include <set>

#include "tributary/base/ascii.h"
#include "tributary/base/log.h"
#include "tributary/delta/table.h"

namespace tributary::delta {
namespace {

bool IsNumericOrBoolean(columnar::TypeId id) {
  using columnar::TypeId;
  switch (id) {
    case TypeId::kBoolean:
    case TypeId::kByte:
    case TypeId::kShort:
    case TypeId::kInteger:
    case TypeId::kLong:
    case TypeId::kFloat:
    case TypeId::kDouble:
    case TypeId::kDecimal:
      return true;
    default:
      return false;
  }
}

// "(part = 'p1')", "((a = 1) AND (b IS NULL))": one partition as Spark renders the
// equality predicate Delta's auto compaction records.
std::string PartitionSql(const Snapshot& snapshot, const PartitionValues& values) {
  std::vector<std::string> terms;
  for (const auto& [column, value] : values) {
    if (!value || value->empty()) {
      terms.push_back("(" + column + " IS NULL)");
      continue;
    }
    auto index = snapshot.schema().FieldIndex(column);
    bool bare = index && IsNumericOrBoolean(snapshot.schema().field(*index).type->id());
    terms.push_back("(" + column + " = " + (bare ? *value : "'" + *value + "'") + ")");
  }
  if (terms.size() == 1) return terms[0];
  std::string sql = "(";
  for (size_t i = 0; i < terms.size(); ++i) sql += (i > 0 ? " AND " : "") + terms[i];
  return sql + ")";
}

std::string AnyOf(const std::vector<std::string>& terms) {
  if (terms.size() == 1) return terms[0];
  std::string sql = "(";
  for (size_t i = 0; i < terms.size(); ++i) sql += (i > 0 ? " OR " : "") + terms[i];
  return sql + ")";
}

// The partitions commit `version` added files to (delta-spark's partitionsAddedTo).
Result<std::set<PartitionValues>> PartitionsAddedTo(Table& table, int64_t version) {
  TRIB_ASSIGN_OR_RETURN(std::vector<Action> actions, ReadCommit(table.fs(), table.path(), version));
  std::set<PartitionValues> partitions;
  for (const Action& action : actions) {
    if (const auto* add = std::get_if<AddFile>(&action); add != nullptr && add->data_change) {
      partitions.insert(add->partition_values);
    }
  }
  return partitions;
}

}  // namespace

Status CheckAutoCompactValue(std::string_view value, std::string_view what) {
  std::string lower = AsciiLower(value);
  if (lower == "true" || lower == "auto" || lower == "legacy" || lower == "false") return Status::OK();
  return Status::Invalid("{} must be one of true, auto, legacy, false (got '{}')", what, value);
}

Result<bool> AutoCompactEnabled(const Snapshot& snapshot, const AutoCompactOptions& options) {
  if (options.enabled) {
    TRIB_RETURN_NOT_OK(CheckAutoCompactValue(*options.enabled, "option 'autoCompact'"));
    return AsciiLower(*options.enabled) != "false";
  }
  if (AsciiLower(snapshot.Property(kAutoOptimizeProperty, "")) == "true") return true;
  std::string property = snapshot.Property(kAutoCompactProperty, "");
  if (property.empty()) return false;
  TRIB_RETURN_NOT_OK(CheckAutoCompactValue(property, fmt::format("table property {}", kAutoCompactProperty)));
  return AsciiLower(property) != "false";
}

Result<std::optional<OptimizeResult>> AutoCompact(Table& table, int64_t version, const AutoCompactOptions& options) {
  // The table's snapshot is the writer's own commit (or newer): decide on it, so a
  // writer without auto compaction pays nothing per commit.
  auto enabled = AutoCompactEnabled(table.snapshot(), options);
  if (!enabled.ok()) return enabled.status().WithContext(fmt::format("Delta table '{}'", table.path()));
  if (!*enabled) return std::optional<OptimizeResult>();
  TRIB_RETURN_NOT_OK(table.Refresh());
  int64_t min_file_size = options.min_file_size.value_or(options.max_file_size / 2);
  TRIB_ASSIGN_OR_RETURN(std::set<PartitionValues> written, PartitionsAddedTo(table, version));
  std::map<PartitionValues, int64_t> small_files;
  for (const AddFile& file : table.snapshot().files()) {
    if (file.size < min_file_size && written.count(file.partition_values) != 0) ++small_files[file.partition_values];
  }
  std::set<PartitionValues> chosen;
  std::vector<std::string> terms;
  for (const auto& [values, count] : small_files) {
    if (count < options.min_num_files) continue;
    chosen.insert(values);
    if (!values.empty()) terms.push_back(PartitionSql(table.snapshot(), values));
  }
  if (chosen.empty()) return std::optional<OptimizeResult>();

  OptimizeOptions optimize;
  optimize.min_file_size = min_file_size;
  optimize.max_file_size = options.max_file_size;
  optimize.auto_compact = true;
  optimize.parquet = options.parquet;
  if (!terms.empty()) optimize.predicates = {AnyOf(terms)};
  optimize.partition_filter = [&chosen](const PartitionValues& values) -> Result<bool> {
    return chosen.count(values) != 0;
  };
  TRIB_ASSIGN_OR_RETURN(OptimizeResult result, Optimize(table, optimize));
  return std::optional<OptimizeResult>(std::move(result));
}

}  // namespace tributary::delta
