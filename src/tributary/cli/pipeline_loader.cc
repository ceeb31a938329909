#include "tributary/cli/pipeline_loader.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <yaml-cpp/yaml.h>

#include "tributary/api/data_stream_reader.h"
#include "tributary/api/data_stream_writer.h"
#include "tributary/api/session.h"
#include "tributary/api/trigger.h"
#include "tributary/streaming/query/merge_sink.h"

namespace tributary::cli {
namespace {

// Walks one YAML document, producing errors that say where in the file they are.
class PipelineReader {
 public:
  explicit PipelineReader(std::string_view file_name) : file_name_(file_name) {}

  Status Error(const YAML::Node& node, std::string_view message) const {
    const YAML::Mark mark = node.Mark();
    if (mark.line < 0) return Status::Invalid("{}: {}", file_name_, message);
    return Status::Invalid("{}:{}:{}: {}", file_name_, mark.line + 1, mark.column + 1, message);
  }

  Status WithLocation(const YAML::Node& node, const Status& status) const {
    if (status.ok()) return status;
    const YAML::Mark mark = node.Mark();
    return Status(status.code(),
                  mark.line < 0 ? fmt::format("{}: {}", file_name_, status.message())
                                : fmt::format("{}:{}:{}: {}", file_name_, mark.line + 1, mark.column + 1,
                                              status.message()));
  }

  // The entries of mapping `node` (named `where` in errors), checking each key is one
  // of `known` and appears once.
  Result<std::map<std::string, YAML::Node>> Entries(const YAML::Node& node, std::string_view where,
                                                    const std::vector<std::string>& known) const {
    if (!node.IsMap()) return Error(node, fmt::format("'{}' must be a mapping of keys to values", where));
    std::map<std::string, YAML::Node> entries;
    for (const auto& entry : node) {
      if (!entry.first.IsScalar()) return Error(entry.first, fmt::format("a key in '{}' is not a plain name", where));
      std::string key = entry.first.Scalar();
      if (std::find(known.begin(), known.end(), key) == known.end()) {
        return Error(entry.first, fmt::format("unknown key '{}' in '{}'; expected one of: {}", key, where,
                                              fmt::join(known, ", ")));
      }
      if (!entries.emplace(key, entry.second).second) {
        return Error(entry.first, fmt::format("key '{}' appears twice in '{}'", key, where));
      }
    }
    return entries;
  }

  // The text of a scalar value as Spark would receive it.
  Result<std::string> Text(const YAML::Node& node, std::string_view what) const {
    if (node.IsNull()) return Error(node, fmt::format("'{}' has no value", what));
    if (!node.IsScalar()) {
      return Error(node, fmt::format("'{}' must be a single value (string, number or boolean)", what));
    }
    const std::string& text = node.Scalar();
    if (node.Tag() == "!") return text;  // quoted: exactly as written
    if (text == "true" || text == "True" || text == "TRUE") return std::string("true");
    if (text == "false" || text == "False" || text == "FALSE") return std::string("false");
    return text;
  }

  // Options of a `options:` mapping, in file order.
  Result<std::vector<std::pair<std::string, std::string>>> Options(const YAML::Node& node,
                                                                   std::string_view where) const {
    std::vector<std::pair<std::string, std::string>> options;
    if (node.IsNull()) return options;
    if (!node.IsMap()) return Error(node, fmt::format("'{}' must be a mapping of option names to values", where));
    std::set<std::string, CaseInsensitiveLess> seen;
    for (const auto& entry : node) {
      if (!entry.first.IsScalar()) return Error(entry.first, fmt::format("an option name in '{}' is not text", where));
      std::string name = entry.first.Scalar();
      if (!seen.insert(name).second) {
        return Error(entry.first, fmt::format("option '{}' appears twice in '{}' (names ignore case)", name, where));
      }
      TRIB_ASSIGN_OR_RETURN(std::string value, Text(entry.second, fmt::format("{}.{}", where, name)));
      options.emplace_back(std::move(name), std::move(value));
    }
    return options;
  }

 private:
  std::string file_name_;
};

Result<Trigger> ReadTrigger(const PipelineReader& reader, const YAML::Node& node) {
  TRIB_ASSIGN_OR_RETURN(auto entries, reader.Entries(node, "sink.trigger", {"availableNow", "once", "processingTime"}));
  if (entries.size() != 1) {
    return reader.Error(node, "'sink.trigger' takes exactly one of availableNow, once, processingTime");
  }
  const auto& [kind, value] = *entries.begin();
  TRIB_ASSIGN_OR_RETURN(std::string text, reader.Text(value, "sink.trigger." + kind));
  if (kind == "processingTime") {
    Trigger trigger = Trigger::ProcessingTime(text);
    TRIB_RETURN_NOT_OK(reader.WithLocation(value, trigger.status()));
    return trigger;
  }
  if (text != "true") {
    return reader.Error(value, fmt::format("'sink.trigger.{}' must be true (leave the trigger out for the default "
                                           "trigger)",
                                           kind));
  }
  return kind == "once" ? Trigger::Once() : Trigger::AvailableNow();
}

Result<std::vector<std::string>> ReadColumns(const PipelineReader& reader, const YAML::Node& node) {
  std::vector<std::string> columns;
  if (node.IsSequence()) {
    for (const auto& item : node) {
      TRIB_ASSIGN_OR_RETURN(std::string column, reader.Text(item, "sink.partitionBy[]"));
      columns.push_back(std::move(column));
    }
    return columns;
  }
  TRIB_ASSIGN_OR_RETURN(std::string column, reader.Text(node, "sink.partitionBy"));
  columns.push_back(std::move(column));
  return columns;
}

// `transform:` steps, in order, applied to the DataFrame as PySpark calls would be.
Result<DataFrame> ReadTransforms(const PipelineReader& reader, const YAML::Node& node, DataFrame frame) {
  if (!node.IsSequence()) {
    return reader.Error(node, "'transform' must be a list of steps (select, selectExpr, where, filter, withColumn, "
                              "drop)");
  }
  int index = 0;
  for (const YAML::Node& step_node : node) {
    std::string where = fmt::format("transform[{}]", index++);
    TRIB_ASSIGN_OR_RETURN(auto step, reader.Entries(step_node, where,
                                                    {"select", "selectExpr", "where", "filter", "withColumn", "drop"}));
    if (step.size() != 1) {
      return reader.Error(step_node, fmt::format("'{}' takes exactly one of select, selectExpr, where, filter, "
                                                 "withColumn, drop",
                                                 where));
    }
    const auto& [kind, value] = *step.begin();
    std::string what = where + "." + kind;
    if (kind == "select" || kind == "selectExpr" || kind == "drop") {
      std::vector<std::string> items;
      if (value.IsSequence()) {
        for (const YAML::Node& item : value) {
          TRIB_ASSIGN_OR_RETURN(std::string text, reader.Text(item, what + "[]"));
          items.push_back(std::move(text));
        }
      } else {
        TRIB_ASSIGN_OR_RETURN(std::string text, reader.Text(value, what));
        items.push_back(std::move(text));
      }
      frame = kind == "drop" ? frame.drop(items) : frame.selectExpr(items);
    } else if (kind == "where" || kind == "filter") {
      TRIB_ASSIGN_OR_RETURN(std::string text, reader.Text(value, what));
      frame = frame.where(std::string_view(text));
    } else {  // withColumn: {name: expression, ...}, in order
      if (!value.IsMap()) return reader.Error(value, fmt::format("'{}' must map column names to expressions", what));
      for (const auto& entry : value) {
        TRIB_ASSIGN_OR_RETURN(std::string name, reader.Text(entry.first, what));
        TRIB_ASSIGN_OR_RETURN(std::string text, reader.Text(entry.second, what + "." + name));
        frame = frame.withColumn(name, functions::expr(text));
      }
    }
    TRIB_RETURN_NOT_OK(reader.WithLocation(value, frame.status()));
  }
  return frame;
}

// One `whenMatched` / `whenNotMatched` / `whenNotMatchedBySource` list of `sink.merge`.
Status ReadMergeClauses(const PipelineReader& reader, const YAML::Node& node, std::string_view where,
                        std::vector<streaming::MergeClauseSpec>* clauses) {
  using Kind = streaming::MergeClauseSpec::Kind;
  if (!node.IsSequence()) {
    return reader.Error(node, fmt::format("'{}' must be a list of clauses like {{update: \"*\"}}", where));
  }
  bool matched = where == "sink.merge.whenMatched";
  bool not_matched = where == "sink.merge.whenNotMatched";
  std::vector<std::string> actions = not_matched ? std::vector<std::string>{"insert", "condition"}
                                                 : std::vector<std::string>{"update", "delete", "condition"};
  int index = 0;
  for (const YAML::Node& clause_node : node) {
    std::string what = fmt::format("{}[{}]", where, index++);
    TRIB_ASSIGN_OR_RETURN(auto entries, reader.Entries(clause_node, what, actions));
    streaming::MergeClauseSpec clause;
    if (entries.count("condition")) {
      TRIB_ASSIGN_OR_RETURN(std::string condition, reader.Text(entries["condition"], what + ".condition"));
      clause.condition = condition;
    }
    int action_count = 0;
    for (const std::string action : {"update", "insert", "delete"}) {
      if (!entries.count(action)) continue;
      ++action_count;
      const YAML::Node value = entries[action];
      if (action == "delete") {
        TRIB_ASSIGN_OR_RETURN(std::string flag, reader.Text(value, what + ".delete"));
        if (flag != "true") return reader.Error(value, fmt::format("'{}.delete' must be true", what));
        clause.kind = matched ? Kind::kMatchedDelete : Kind::kNotMatchedBySourceDelete;
        continue;
      }
      clause.kind = action == "insert" ? Kind::kNotMatchedInsert
                                       : (matched ? Kind::kMatchedUpdate : Kind::kNotMatchedBySourceUpdate);
      if (value.IsScalar()) {
        TRIB_ASSIGN_OR_RETURN(std::string star, reader.Text(value, what + "." + action));
        if (star != "*") {
          return reader.Error(value, fmt::format("'{}.{}' is \"*\" or a mapping of column: expression", what,
                                                 action));
        }
        if (!matched && !not_matched) {
          return reader.Error(value, fmt::format("'{}.update' needs column: expression pairs (there is no source "
                                                 "row to take \"*\" from)",
                                                 what));
        }
        clause.all = true;
      } else if (value.IsMap()) {
        for (const auto& entry : value) {
          TRIB_ASSIGN_OR_RETURN(std::string column, reader.Text(entry.first, what + "." + action));
          TRIB_ASSIGN_OR_RETURN(std::string text, reader.Text(entry.second, what + "." + action + "." + column));
          clause.assignments.emplace_back(std::move(column), std::move(text));
        }
      } else {
        return reader.Error(value, fmt::format("'{}.{}' is \"*\" or a mapping of column: expression", what, action));
      }
    }
    if (action_count != 1) {
      return reader.Error(clause_node, fmt::format("'{}' takes exactly one of {}", what,
                                                   not_matched ? "insert" : "update, delete"));
    }
    clauses->push_back(std::move(clause));
  }
  return Status::OK();
}

Result<streaming::MergeSinkSpec> ReadMerge(const PipelineReader& reader, const YAML::Node& node) {
  TRIB_ASSIGN_OR_RETURN(auto entries, reader.Entries(node, "sink.merge",
                                                     {"into", "on", "targetAlias", "sourceAlias", "latestBy", "keys",
                                                      "whenMatched", "whenNotMatched", "whenNotMatchedBySource"}));
  streaming::MergeSinkSpec spec;
  if (!entries.count("into")) return reader.Error(node, "'sink.merge' needs 'into' (the target table)");
  if (!entries.count("on")) return reader.Error(node, "'sink.merge' needs 'on' (the merge condition)");
  TRIB_ASSIGN_OR_RETURN(spec.into, reader.Text(entries["into"], "sink.merge.into"));
  TRIB_ASSIGN_OR_RETURN(spec.condition, reader.Text(entries["on"], "sink.merge.on"));
  if (entries.count("targetAlias")) {
    TRIB_ASSIGN_OR_RETURN(spec.target_alias, reader.Text(entries["targetAlias"], "sink.merge.targetAlias"));
  }
  if (entries.count("sourceAlias")) {
    TRIB_ASSIGN_OR_RETURN(spec.source_alias, reader.Text(entries["sourceAlias"], "sink.merge.sourceAlias"));
  }
  if (entries.count("latestBy")) {
    TRIB_ASSIGN_OR_RETURN(spec.latest_by, reader.Text(entries["latestBy"], "sink.merge.latestBy"));
  }
  if (entries.count("keys")) {
    const YAML::Node keys = entries["keys"];
    if (!keys.IsSequence()) return reader.Error(keys, "'sink.merge.keys' must be a list of column names");
    for (const YAML::Node& key : keys) {
      TRIB_ASSIGN_OR_RETURN(std::string name, reader.Text(key, "sink.merge.keys[]"));
      spec.keys.push_back(std::move(name));
    }
  }
  for (const std::string kind : {"whenMatched", "whenNotMatched", "whenNotMatchedBySource"}) {
    if (entries.count(kind)) {
      TRIB_RETURN_NOT_OK(ReadMergeClauses(reader, entries[kind], "sink.merge." + kind, &spec.clauses));
    }
  }
  if (spec.clauses.empty()) {
    return reader.Error(node, "'sink.merge' needs at least one of whenMatched, whenNotMatched, "
                              "whenNotMatchedBySource");
  }
  TRIB_RETURN_NOT_OK(reader.WithLocation(node, streaming::ValidateMergeSink(spec)));
  return spec;
}

Result<streaming::QueryPlan> BuildPlan(const PipelineReader& reader, const YAML::Node& root,
                                       std::string_view base_directory) {
  TRIB_ASSIGN_OR_RETURN(auto top, reader.Entries(root, "pipeline", {"warehouse", "source", "transform", "sink"}));
  if (!top.count("source")) return reader.Error(root, "the pipeline has no 'source'");
  if (!top.count("sink")) return reader.Error(root, "the pipeline has no 'sink'");

  Session::Builder builder = Session::builder();
  builder.baseDirectory(std::string(base_directory));
  if (top.count("warehouse")) {
    TRIB_ASSIGN_OR_RETURN(std::string warehouse, reader.Text(top["warehouse"], "warehouse"));
    builder.warehouse(warehouse);
  }
  TRIB_ASSIGN_OR_RETURN(Session session, builder.getOrCreate());

  // Source: readStream.format(...).options(...).schema(...).load(path)
  const YAML::Node source_node = top["source"];
  TRIB_ASSIGN_OR_RETURN(auto source, reader.Entries(source_node, "source", {"format", "path", "options", "schema"}));
  if (!source.count("format")) return reader.Error(source_node, "'source' has no 'format' (e.g. cloudFiles)");
  DataStreamReader stream_reader = session.readStream();
  TRIB_ASSIGN_OR_RETURN(std::string source_format, reader.Text(source["format"], "source.format"));
  stream_reader.format(source_format);
  TRIB_RETURN_NOT_OK(reader.WithLocation(source["format"], stream_reader.status()));
  if (source.count("options")) {
    TRIB_ASSIGN_OR_RETURN(auto options, reader.Options(source["options"], "source.options"));
    for (const auto& [name, value] : options) stream_reader.option(name, std::string_view(value));
    TRIB_RETURN_NOT_OK(reader.WithLocation(source["options"], stream_reader.status()));
  }
  if (source.count("schema")) {
    TRIB_ASSIGN_OR_RETURN(std::string ddl, reader.Text(source["schema"], "source.schema"));
    stream_reader.schema(std::string_view(ddl));
    TRIB_RETURN_NOT_OK(reader.WithLocation(source["schema"], stream_reader.status()));
  }
  std::optional<DataFrame> frame;
  if (source.count("path")) {
    TRIB_ASSIGN_OR_RETURN(std::string path, reader.Text(source["path"], "source.path"));
    frame.emplace(stream_reader.load(path));
    TRIB_RETURN_NOT_OK(reader.WithLocation(source["path"], frame->status()));
  } else {
    frame.emplace(stream_reader.load());
    TRIB_RETURN_NOT_OK(reader.WithLocation(source_node, frame->status()));
  }

  if (top.count("transform")) {
    TRIB_ASSIGN_OR_RETURN(DataFrame transformed, ReadTransforms(reader, top["transform"], *frame));
    frame.emplace(std::move(transformed));
  }

  // Sink: writeStream.format(...).options(...).trigger(...).toTable(name) / start(path)
  const YAML::Node sink_node = top["sink"];
  TRIB_ASSIGN_OR_RETURN(auto sink, reader.Entries(sink_node, "sink",
                                                  {"format", "table", "path", "trigger", "options", "partitionBy",
                                                   "outputMode", "queryName", "merge"}));
  DataStreamWriter writer = frame->writeStream();
  if (sink.count("format")) {
    TRIB_ASSIGN_OR_RETURN(std::string sink_format, reader.Text(sink["format"], "sink.format"));
    writer.format(sink_format);
    TRIB_RETURN_NOT_OK(reader.WithLocation(sink["format"], writer.status()));
  }
  if (sink.count("options")) {
    TRIB_ASSIGN_OR_RETURN(auto options, reader.Options(sink["options"], "sink.options"));
    for (const auto& [name, value] : options) writer.option(name, std::string_view(value));
    TRIB_RETURN_NOT_OK(reader.WithLocation(sink["options"], writer.status()));
  }
  if (sink.count("partitionBy")) {
    TRIB_ASSIGN_OR_RETURN(std::vector<std::string> columns, ReadColumns(reader, sink["partitionBy"]));
    writer.partitionBy(std::move(columns));
    TRIB_RETURN_NOT_OK(reader.WithLocation(sink["partitionBy"], writer.status()));
  }
  if (sink.count("outputMode")) {
    TRIB_ASSIGN_OR_RETURN(std::string mode, reader.Text(sink["outputMode"], "sink.outputMode"));
    writer.outputMode(mode);
    TRIB_RETURN_NOT_OK(reader.WithLocation(sink["outputMode"], writer.status()));
  }
  if (sink.count("queryName")) {
    TRIB_ASSIGN_OR_RETURN(std::string name, reader.Text(sink["queryName"], "sink.queryName"));
    writer.queryName(name);
  }
  if (sink.count("trigger")) {
    TRIB_ASSIGN_OR_RETURN(Trigger trigger, ReadTrigger(reader, sink["trigger"]));
    writer.trigger(trigger);
  }
  if (sink.count("merge")) {
    if (sink.count("table") || sink.count("path") || sink.count("format")) {
      return reader.Error(sink_node, "'sink.merge' names its own target ('into'); drop sink.table / path / format");
    }
    TRIB_ASSIGN_OR_RETURN(streaming::MergeSinkSpec merge, ReadMerge(reader, sink["merge"]));
    writer.mergeInto(std::move(merge));
    Result<streaming::QueryPlan> plan = writer.PlanForPath("");
    if (!plan.ok()) return reader.WithLocation(sink["merge"], plan.status());
    return plan;
  }
  if (sink.count("table") && sink.count("path")) {
    return reader.Error(sink_node, "'sink' has both 'table' and 'path'; give one");
  }
  if (sink.count("table")) {
    TRIB_ASSIGN_OR_RETURN(std::string table, reader.Text(sink["table"], "sink.table"));
    Result<streaming::QueryPlan> plan = writer.PlanForTable(table);
    if (!plan.ok()) return reader.WithLocation(sink["table"], plan.status());
    return plan;
  }
  std::string path;
  if (sink.count("path")) {
    TRIB_ASSIGN_OR_RETURN(path, reader.Text(sink["path"], "sink.path"));
  }
  Result<streaming::QueryPlan> plan = writer.PlanForPath(path);
  if (!plan.ok()) return reader.WithLocation(sink.count("path") ? sink["path"] : sink_node, plan.status());
  return plan;
}

}  // namespace

Result<streaming::QueryPlan> ParsePipeline(std::string_view text, std::string_view file_name,
                                           std::string_view base_directory) {
  PipelineReader reader(file_name);
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& error) {
    if (error.mark.line < 0) return Status::Invalid("{}: not valid YAML: {}", file_name, error.msg);
    return Status::Invalid("{}:{}:{}: not valid YAML: {}", file_name, error.mark.line + 1, error.mark.column + 1,
                           error.msg);
  }
  if (!root.IsDefined() || root.IsNull()) return Status::Invalid("{}: the pipeline file is empty", file_name);
  try {
    return BuildPlan(reader, root, base_directory);
  } catch (const YAML::Exception& error) {
    return Status::Invalid("{}: {}", file_name, error.what());
  }
}

Result<streaming::QueryPlan> LoadPipelineFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IOError("cannot read pipeline file '{}'", path);
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Status::IOError("error reading pipeline file '{}'", path);
  std::error_code error;
  std::filesystem::path absolute = std::filesystem::absolute(path, error);
  if (error) return Status::IOError("cannot resolve pipeline file path '{}': {}", path, error.message());
  return ParsePipeline(text.str(), path, absolute.parent_path().string());
}

}  // namespace tributary::cli
