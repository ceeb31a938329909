#include "tributary/streaming/cloud_files/cloud_files_options.h"

#include <algorithm>
#include <cctype>

#include "tributary/base/ascii.h"
#include "tributary/base/log.h"
#include "tributary/columnar/temporal.h"
#include "tributary/format/csv/decoder.h"
#include "tributary/format/json/decoder.h"
#include "tributary/io/file_system.h"

namespace tributary::cloud_files {

namespace {

std::string Trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return std::string(text);
}

// Spark's modifiedAfter/modifiedBefore form "2021-01-01 00:00:00.000000 UTC+0", or
// any form ParseTimestamp reads.
Result<int64_t> ParseModificationTime(std::string_view text, std::string_view option) {
  std::string value = Trim(text);
  size_t utc = value.rfind("UTC");
  if (utc != std::string::npos && utc + 3 < value.size() && (value[utc + 3] == '+' || value[utc + 3] == '-')) {
    // "UTC+5" / "UTC-03:30" -> "+05:00" / "-03:30".
    char sign = value[utc + 3];
    std::string offset = value.substr(utc + 4);
    std::string hours = offset.substr(0, offset.find(':'));
    std::string minutes = offset.find(':') == std::string::npos ? "00" : offset.substr(offset.find(':') + 1);
    if (hours.size() == 1) hours = "0" + hours;
    value = Trim(value.substr(0, utc)) + sign + hours + ":" + minutes;
  }
  std::optional<int64_t> micros = columnar::ParseTimestamp(value);
  if (!micros) {
    return Status::Invalid("option '{}': '{}' is not a timestamp (e.g. '2021-01-01 00:00:00.000000 UTC+0')", option,
                           text);
  }
  return *micros / 1000;
}

bool IsFormatOption(const std::string& format, std::string_view name) {
  if (format == "json") return json::JsonOptionNames().count(name) > 0;
  if (format == "csv") return csv::CsvOptionNames().count(name) > 0;
  return false;
}

// Notification-mode and cloud options: known names, honoured only by their absence.
const char* const kNotificationOptions[] = {
    "cloudFiles.fetchParallelism", "cloudFiles.pathRewrites",     "cloudFiles.resourceTag",
    "cloudFiles.region",           "cloudFiles.queueUrl",         "cloudFiles.roleArn",
    "cloudFiles.roleExternalId",   "cloudFiles.roleSessionName",  "cloudFiles.stsEndpoint",
    "cloudFiles.awsAccessKey",     "cloudFiles.awsSecretKey",     "cloudFiles.connectionString",
    "cloudFiles.resourceGroup",    "cloudFiles.subscriptionId",   "cloudFiles.tenantId",
    "cloudFiles.clientId",         "cloudFiles.clientSecret",     "cloudFiles.queueName",
    "cloudFiles.projectId",        "cloudFiles.project",          "cloudFiles.subscription",
    "cloudFiles.client",           "cloudFiles.clientEmail",      "cloudFiles.privateKey",
    "cloudFiles.privateKeyId",     "databricks.serviceCredential",
};

}  // namespace

std::string_view SchemaEvolutionModeName(SchemaEvolutionMode mode) {
  switch (mode) {
    case SchemaEvolutionMode::kAddNewColumns: return "addNewColumns";
    case SchemaEvolutionMode::kRescue: return "rescue";
    case SchemaEvolutionMode::kFailOnNewColumns: return "failOnNewColumns";
    case SchemaEvolutionMode::kNone: return "none";
  }
  return "none";
}

const OptionNames& CloudFilesOptionNames() {
  static const OptionNames names = [] {
    OptionNames out = {
        "path",
        "cloudFiles.format",
        "cloudFiles.schemaLocation",
        "cloudFiles.inferColumnTypes",
        "cloudFiles.schemaHints",
        "cloudFiles.schemaEvolutionMode",
        "cloudFiles.maxFilesPerTrigger",
        "cloudFiles.maxBytesPerTrigger",
        "cloudFiles.includeExistingFiles",
        "cloudFiles.allowOverwrites",
        "cloudFiles.partitionColumns",
        "cloudFiles.validateOptions",
        "cloudFiles.schemaInference.sampleSize.numFiles",
        "cloudFiles.schemaInference.sampleSize.numBytes",
        "spark.databricks.cloudFiles.schemaInference.sampleSize.numFiles",
        "spark.databricks.cloudFiles.schemaInference.sampleSize.numBytes",
        "cloudFiles.backfillInterval",
        "cloudFiles.maxFileAge",
        "cloudFiles.cleanSource",
        "cloudFiles.cleanSource.moveDestination",
        "cloudFiles.cleanSource.retentionDuration",
        "cloudFiles.useStrictGlobber",
        "cloudFiles.listOnStart",
        "cloudFiles.useIncrementalListing",
        "cloudFiles.useNotifications",
        "cloudFiles.useManagedFileEvents",
        "pathGlobFilter",
        "fileNamePattern",
        "recursiveFileLookup",
        "modifiedAfter",
        "modifiedBefore",
        "ignoreCorruptFiles",
        "ignoreMissingFiles",
        "ignoredPathSegmentRegex",
        "rescuedDataColumn",
        "readerCaseSensitive",
        "badRecordsPath",
        "mode",
        "columnNameOfCorruptRecord",
    };
    for (const char* name : kNotificationOptions) out.insert(name);
    return out;
  }();
  return names;
}

Result<CloudFilesOptions> ParseCloudFilesOptions(const streaming::SourceSpec& spec) {
  const OptionMap& options = spec.options;
  CloudFilesOptions out;

  std::optional<std::string> format = options.Get("cloudFiles.format");
  if (!format || Trim(*format).empty()) {
    return Status::Invalid("option 'cloudFiles.format' is required for the cloudFiles source (json or csv)");
  }
  out.format = AsciiLower(Trim(*format));
  if (out.format == "parquet" || out.format == "avro" || out.format == "xml" || out.format == "text" ||
      out.format == "binaryfile" || out.format == "orc") {
    return Status::NotImplemented("option 'cloudFiles.format': format '{}' is not supported yet (json and csv are)",
                                  *format);
  }
  if (out.format != "json" && out.format != "csv") {
    return Status::Invalid("option 'cloudFiles.format': unknown format '{}' (expected one of json, csv, parquet, "
                           "avro, xml, text, binaryFile, orc)",
                           *format);
  }

  TRIB_ASSIGN_OR_RETURN(bool validate, options.GetBool("cloudFiles.validateOptions", true));
  if (validate) {
    for (const auto& [name, value] : options.values()) {
      if (CloudFilesOptionNames().count(name) || IsFormatOption(out.format, name)) continue;
      return Status::Invalid("unknown option '{}' for the cloudFiles source with cloudFiles.format '{}' (set "
                             "cloudFiles.validateOptions to false to ignore unknown options)",
                             name, out.format);
    }
  }

  std::string path = spec.path.empty() ? options.GetString("path", "") : spec.path;
  if (path.empty()) return Status::Invalid("the cloudFiles source needs a path: load(path) or option 'path'");
  out.path = io::AbsolutePath(path);

  // Options whose non-default values need machinery Tributary does not have yet.
  for (const char* name : {"cloudFiles.useNotifications", "cloudFiles.useManagedFileEvents"}) {
    TRIB_ASSIGN_OR_RETURN(bool enabled, options.GetBool(name, false));
    if (enabled) {
      return Status::NotImplemented("option '{}' = true: file notification mode is not supported yet; Tributary "
                                    "discovers files by directory listing",
                                    name);
    }
  }
  if (options.Has("badRecordsPath")) {
    return Status::NotImplemented("option 'badRecordsPath' is not supported yet; use rescuedDataColumn or mode");
  }
  TRIB_ASSIGN_OR_RETURN(bool allow_overwrites, options.GetBool("cloudFiles.allowOverwrites", false));
  if (allow_overwrites) {
    return Status::NotImplemented("option 'cloudFiles.allowOverwrites' = true is not supported yet; files are "
                                  "ingested once, keyed by path");
  }
  if (auto clean = options.Get("cloudFiles.cleanSource"); clean && AsciiLower(Trim(*clean)) != "off") {
    return Status::NotImplemented("option 'cloudFiles.cleanSource' = '{}' is not supported yet (only OFF)", *clean);
  }
  if (auto regex = options.Get("ignoredPathSegmentRegex"); regex && *regex != "^[._]") {
    return Status::NotImplemented("option 'ignoredPathSegmentRegex' = '{}': only the default '^[._]' is supported",
                                  *regex);
  }
  for (const char* name : kNotificationOptions) {
    if (options.Has(name)) log::Warn("option '{}' only applies to file notification mode; ignored", name);
  }
  if (options.Has("cloudFiles.maxFileAge")) {
    TRIB_ASSIGN_OR_RETURN(auto age, options.GetDurationMs("cloudFiles.maxFileAge"));
    (void)age;
    log::Warn("option 'cloudFiles.maxFileAge' is accepted but file state does not expire yet");
  }
  if (options.Has("cloudFiles.backfillInterval")) {
    TRIB_ASSIGN_OR_RETURN(auto interval, options.GetDurationMs("cloudFiles.backfillInterval"));
    (void)interval;  // every trigger lists the whole directory, so nothing is ever missed
  }

  out.user_schema = spec.user_schema;
  if (auto location = options.Get("cloudFiles.schemaLocation"); location && !Trim(*location).empty()) {
    out.schema_location = io::AbsolutePath(Trim(*location));
  }
  if (!out.user_schema && !out.schema_location) {
    return Status::Invalid("option 'cloudFiles.schemaLocation' is required when no schema is given: Tributary "
                           "infers the schema and stores it there");
  }
  if (auto hints = options.Get("cloudFiles.schemaHints"); hints && !Trim(*hints).empty()) out.schema_hints = *hints;
  TRIB_ASSIGN_OR_RETURN(out.decode.infer_column_types, options.GetBool("cloudFiles.inferColumnTypes", false));

  std::string mode_text = options.GetString("cloudFiles.schemaEvolutionMode", out.user_schema ? "none" : "addNewColumns");
  std::string mode = AsciiLower(Trim(mode_text));
  if (mode == "addnewcolumns") out.evolution_mode = SchemaEvolutionMode::kAddNewColumns;
  else if (mode == "rescue") out.evolution_mode = SchemaEvolutionMode::kRescue;
  else if (mode == "failonnewcolumns") out.evolution_mode = SchemaEvolutionMode::kFailOnNewColumns;
  else if (mode == "none") out.evolution_mode = SchemaEvolutionMode::kNone;
  else if (mode == "addnewcolumnswithtypewidening") {
    return Status::NotImplemented("option 'cloudFiles.schemaEvolutionMode' = '{}' is not supported yet", mode_text);
  } else {
    return Status::Invalid("option 'cloudFiles.schemaEvolutionMode': unknown mode '{}' (expected addNewColumns, "
                           "rescue, failOnNewColumns or none)",
                           mode_text);
  }
  if (out.user_schema && out.evolution_mode == SchemaEvolutionMode::kAddNewColumns) {
    return Status::Invalid("option 'cloudFiles.schemaEvolutionMode' = addNewColumns is not allowed with a "
                           "user-given schema; use schemaHints instead, or rescue/failOnNewColumns/none");
  }

  TRIB_ASSIGN_OR_RETURN(out.max_files_per_trigger, options.GetInt("cloudFiles.maxFilesPerTrigger", 1000));
  if (out.max_files_per_trigger <= 0) {
    return Status::Invalid("option 'cloudFiles.maxFilesPerTrigger' must be positive, got {}",
                           out.max_files_per_trigger);
  }
  TRIB_ASSIGN_OR_RETURN(out.max_bytes_per_trigger, options.GetByteSize("cloudFiles.maxBytesPerTrigger"));
  if (out.max_bytes_per_trigger && *out.max_bytes_per_trigger <= 0) {
    return Status::Invalid("option 'cloudFiles.maxBytesPerTrigger' must be positive");
  }
  TRIB_ASSIGN_OR_RETURN(out.include_existing_files, options.GetBool("cloudFiles.includeExistingFiles", true));
  if (auto columns = options.Get("cloudFiles.partitionColumns")) {
    std::vector<std::string> names;
    std::string_view rest = *columns;
    while (!rest.empty()) {
      size_t comma = rest.find(',');
      std::string name = Trim(rest.substr(0, comma));
      if (!name.empty()) names.push_back(name);
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
    out.partition_columns = std::move(names);
  }
  for (std::string_view prefix : {"cloudFiles.", "spark.databricks.cloudFiles."}) {
    std::string files_name = std::string(prefix) + "schemaInference.sampleSize.numFiles";
    std::string bytes_name = std::string(prefix) + "schemaInference.sampleSize.numBytes";
    if (options.Has(files_name)) {
      TRIB_ASSIGN_OR_RETURN(out.sample_num_files, options.GetInt(files_name, 1000));
    }
    TRIB_ASSIGN_OR_RETURN(std::optional<int64_t> bytes, options.GetByteSize(bytes_name));
    if (bytes) out.sample_num_bytes = *bytes;
  }
  if (out.sample_num_files <= 0 || out.sample_num_bytes <= 0) {
    return Status::Invalid("option 'cloudFiles.schemaInference.sampleSize.*' must be positive");
  }

  if (auto glob = options.Get("pathGlobFilter")) out.path_glob_filter = *glob;
  if (auto glob = options.Get("fileNamePattern")) {
    if (out.path_glob_filter && *out.path_glob_filter != *glob) {
      return Status::Invalid("options 'pathGlobFilter' and 'fileNamePattern' disagree ('{}' vs '{}')",
                             *out.path_glob_filter, *glob);
    }
    out.path_glob_filter = *glob;
  }
  TRIB_ASSIGN_OR_RETURN(out.recursive_file_lookup, options.GetBool("recursiveFileLookup", false));
  if (auto after = options.Get("modifiedAfter")) {
    TRIB_ASSIGN_OR_RETURN(out.modified_after_ms, ParseModificationTime(*after, "modifiedAfter"));
  }
  if (auto before = options.Get("modifiedBefore")) {
    TRIB_ASSIGN_OR_RETURN(out.modified_before_ms, ParseModificationTime(*before, "modifiedBefore"));
  }
  TRIB_ASSIGN_OR_RETURN(out.ignore_corrupt_files, options.GetBool("ignoreCorruptFiles", false));
  TRIB_ASSIGN_OR_RETURN(out.ignore_missing_files, options.GetBool("ignoreMissingFiles", false));

  TRIB_ASSIGN_OR_RETURN(out.decode.case_sensitive, options.GetBool("readerCaseSensitive", true));
  if (auto mode_option = options.Get("mode")) {
    auto parse_mode = format::ParseModeFromString(*mode_option);
    if (!parse_mode.ok()) return parse_mode.status().WithContext("option 'mode'");
    out.decode.mode = *parse_mode;
  }
  out.decode.column_name_of_corrupt_record =
      options.GetString("columnNameOfCorruptRecord", out.decode.column_name_of_corrupt_record);
  if (auto rescued = options.Get("rescuedDataColumn")) {
    if (!Trim(*rescued).empty()) out.decode.rescued_data_column = Trim(*rescued);
  } else if (!out.user_schema || out.evolution_mode == SchemaEvolutionMode::kRescue) {
    out.decode.rescued_data_column = "_rescued_data";
  }

  for (const auto& [name, value] : options.values()) {
    if (IsFormatOption(out.format, name)) out.format_options.Set(name, value);
  }
  if (out.format == "csv") out.format_options = csv::WithAutoLoaderCsvDefaults(std::move(out.format_options));
  // The format checks its own option values now, so a bad `sep` fails at start.
  auto decoder = out.format == "json" ? json::MakeJsonDecoder(out.format_options, out.decode)
                                      : csv::MakeCsvDecoder(out.format_options, out.decode);
  TRIB_RETURN_NOT_OK(decoder.status());
  return out;
}

}  // namespace tributary::cloud_files
