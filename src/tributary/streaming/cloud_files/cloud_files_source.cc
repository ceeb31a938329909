#include "tributary/streaming/cloud_files/cloud_files_source.h"

#include <chrono>

#include "tributary/base/json.h"
#include "tributary/base/log.h"
#include "tributary/format/csv/decoder.h"
#include "tributary/format/json/decoder.h"
#include "tributary/format/type_merge.h"
#include "tributary/io/compressed_input.h"

namespace tributary::cloud_files {

namespace {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string JoinNames(const std::set<std::string>& names) {
  std::string out;
  for (const std::string& name : names) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

}  // namespace

std::string MakeFileOffset(int64_t seq_from, int64_t seq_to) {
  JsonWriter writer;
  writer.StartObject().Key("seqFrom").Int(seq_from).Key("seqTo").Int(seq_to).EndObject();
  return writer.Finish();
}

Result<std::pair<int64_t, int64_t>> ParseFileOffset(std::string_view offset) {
  auto json = ParseJson(offset);
  if (json.ok()) {
    auto from = json->GetInt("seqFrom");
    auto to = json->GetInt("seqTo");
    if (from.ok() && to.ok() && *from >= 0 && *to >= *from) return std::make_pair(*from, *to);
  }
  return Status::Corruption("'{}' is not a cloudFiles offset (expected {{\"seqFrom\":a,\"seqTo\":b}})", offset);
}

CloudFilesSource::CloudFilesSource(CloudFilesOptions options, std::shared_ptr<io::FileSystem> fs)
    : options_(std::move(options)), fs_(std::move(fs)) {}

CloudFilesSource::~CloudFilesSource() = default;

Result<std::unique_ptr<CloudFilesSource>> CloudFilesSource::Open(CloudFilesOptions options,
                                                                 std::shared_ptr<io::FileSystem> fs,
                                                                 const std::string& state_dir) {
  std::unique_ptr<CloudFilesSource> source(new CloudFilesSource(std::move(options), std::move(fs)));
  const CloudFilesOptions& opts = source->options_;
  if (opts.format == "json") {
    TRIB_ASSIGN_OR_RETURN(source->decoder_, json::MakeJsonDecoder(opts.format_options, opts.decode));
  } else {
    TRIB_ASSIGN_OR_RETURN(source->decoder_, csv::MakeCsvDecoder(opts.format_options, opts.decode));
  }
  if (opts.path_glob_filter) {
    auto glob = GlobFilter::Make(*opts.path_glob_filter);
    if (!glob.ok()) return glob.status().WithContext("option 'pathGlobFilter'");
    source->filter_.name_glob = std::move(*glob);
  }
  source->filter_.modified_after_ms = opts.modified_after_ms;
  source->filter_.modified_before_ms = opts.modified_before_ms;

  TRIB_RETURN_NOT_OK(source->fs_->CreateDirectories(state_dir));
  TRIB_ASSIGN_OR_RETURN(source->state_, FileStateStore::Open(io::JoinPath(state_dir, "rocksdb")));

  columnar::Schema data_schema;
  columnar::Schema partition_schema;
  if (opts.user_schema) {
    std::vector<DiscoveredFile> files;
    if (!opts.partition_columns && !opts.recursive_file_lookup) {
      TRIB_ASSIGN_OR_RETURN(files, ListFiles(*source->fs_, opts.path, source->filter_));
    }
    TRIB_ASSIGN_OR_RETURN(partition_schema, PartitionSchemaForUserSchema(opts, *opts.user_schema, files));
  } else {
    source->schema_store_.emplace(source->fs_, *opts.schema_location);
    TRIB_ASSIGN_OR_RETURN(source->schema_version_, source->schema_store_->LoadLatest());
    if (!source->schema_version_) {
      TRIB_ASSIGN_OR_RETURN(std::vector<DiscoveredFile> files, ListFiles(*source->fs_, opts.path, source->filter_));
      TRIB_ASSIGN_OR_RETURN(SchemaVersion inferred, InferSchemaVersion(*source->fs_, *source->decoder_, opts, files));
      Status written = source->schema_store_->Write(inferred);
      if (written.IsAlreadyExists()) {
        TRIB_ASSIGN_OR_RETURN(source->schema_version_, source->schema_store_->LoadLatest());
      } else {
        TRIB_RETURN_NOT_OK(written);
        log::Info("cloudFiles: inferred schema of '{}' written to '{}': {}", opts.path,
                  source->schema_store_->VersionPath(0), inferred.data_schema.ToDdl());
        source->schema_version_ = std::move(inferred);
      }
    }
    data_schema = source->schema_version_->data_schema;
    partition_schema = source->schema_version_->partition_schema;
  }
  TRIB_ASSIGN_OR_RETURN(source->layout_, OutputLayout::Make(data_schema, partition_schema,
                                                            opts.decode.rescued_data_column, opts.user_schema));
  return source;
}

std::string CloudFilesSource::Description() const { return "CloudFilesSource[" + options_.path + "]"; }

Status CloudFilesSource::Restore(const std::optional<std::string>& committed_end) {
  int64_t committed_seq = -1;
  if (committed_end) {
    TRIB_ASSIGN_OR_RETURN(auto range, ParseFileOffset(*committed_end));
    committed_seq = range.second;
    if (!state_->initialized() || committed_seq >= state_->next_seq()) {
      return Status::Corruption("the cloudFiles file state does not know file #{} that the checkpoint committed; the "
                                "state under sources/0/rocksdb is missing or from another checkpoint",
                                committed_seq);
    }
  }
  if (!state_->initialized()) {
    // First run of this checkpoint: includeExistingFiles decides about what is there.
    TRIB_ASSIGN_OR_RETURN(std::vector<DiscoveredFile> files, ListFiles(*fs_, options_.path, filter_));
    std::vector<FileEntry> added;
    TRIB_RETURN_NOT_OK(state_->AddFiles(files, !options_.include_existing_files, NowMs(), &added));
    if (!options_.include_existing_files) {
      log::Info("cloudFiles: includeExistingFiles=false, {} existing files under '{}' will not be ingested",
                added.size(), options_.path);
    }
  }
  pending_.clear();
  TRIB_ASSIGN_OR_RETURN(std::vector<FileEntry> entries, state_->FilesInRange(committed_seq + 1, state_->next_seq() - 1));
  for (FileEntry& entry : entries) pending_.emplace(entry.seq, std::move(entry));
  offered_seq_ = committed_seq;
  return Status::OK();
}

Status CloudFilesSource::Discover() {
  TRIB_ASSIGN_OR_RETURN(std::vector<DiscoveredFile> files, ListFiles(*fs_, options_.path, filter_));
  std::vector<FileEntry> added;
  TRIB_RETURN_NOT_OK(state_->AddFiles(files, false, NowMs(), &added));
  for (FileEntry& entry : added) pending_.emplace(entry.seq, std::move(entry));
  return Status::OK();
}

Status CloudFilesSource::PrepareForAvailableNow() {
  TRIB_RETURN_NOT_OK(Discover());
  available_now_bound_ = state_->next_seq() - 1;
  return Status::OK();
}

Result<std::optional<std::string>> CloudFilesSource::LatestOffset(const std::optional<std::string>& start,
                                                                  bool rate_limited) {
  int64_t from = 0;
  if (start) {
    TRIB_ASSIGN_OR_RETURN(auto range, ParseFileOffset(*start));
    from = range.second + 1;
  }
  if (!available_now_bound_) TRIB_RETURN_NOT_OK(Discover());
  int64_t bound = available_now_bound_.value_or(state_->next_seq() - 1);
  int64_t files = 0;
  int64_t bytes = 0;
  int64_t last = -1;
  for (auto it = pending_.lower_bound(from); it != pending_.end() && it->first <= bound; ++it) {
    if (rate_limited && files > 0) {
      if (files >= options_.max_files_per_trigger) break;
      // maxBytesPerTrigger is soft: the file that crosses it is still taken.
      if (options_.max_bytes_per_trigger && bytes >= *options_.max_bytes_per_trigger) break;
    }
    if (it->first != from + files) {
      return Status::Internal("cloudFiles: file #{} expected next, found #{}", from + files, it->first);
    }
    ++files;
    bytes += it->second.size;
    last = it->first;
  }
  if (files == 0) return std::optional<std::string>();
  offered_seq_ = last;
  return std::optional<std::string>(MakeFileOffset(from, last));
}

Status CloudFilesSource::GetBatch(const std::optional<std::string>& start, const std::string& end, int64_t batch_id,
                                  const format::BatchCallback& on_batch, streaming::SourceBatchStats* stats) {
  TRIB_ASSIGN_OR_RETURN(auto range, ParseFileOffset(end));
  TRIB_ASSIGN_OR_RETURN(std::vector<FileEntry> files, state_->FilesInRange(range.first, range.second));
  std::map<std::string, std::set<std::string>> new_columns_by_file;
  for (const FileEntry& file : files) {
    auto content = io::ReadDecompressed(*fs_, file.path);
    if (!content.ok()) {
      if (content.status().IsNotFound() && options_.ignore_missing_files) {
        log::Warn("batch {}: file '{}' disappeared; skipped (ignoreMissingFiles)", batch_id, file.path);
        continue;
      }
      if (!content.status().IsNotFound() && options_.ignore_corrupt_files) {
        log::Warn("batch {}: file '{}' is unreadable; skipped (ignoreCorruptFiles): {}", batch_id, file.path,
                  content.status().message());
        continue;
      }
      return content.status();
    }
    auto partition_values = PartitionValues(options_.path, file.path);
    format::DecodeCounters counters;
    bool evolving = !new_columns_by_file.empty();
    Status decoded = decoder_->Decode(
        *content, file.path, layout_.decode_schema(),
        [&](columnar::RecordBatchPtr batch) -> Status {
          // Once the batch is bound to fail for a schema change, rows are not written.
          if (evolving) return Status::OK();
          TRIB_ASSIGN_OR_RETURN(columnar::RecordBatchPtr output, layout_.Assemble(*batch, partition_values));
          stats->num_input_rows += output->num_rows();
          return on_batch(std::move(output));
        },
        &counters);
    if (!decoded.ok()) {
      if (options_.ignore_corrupt_files && decoded.IsInvalid()) {
        log::Warn("batch {}: file '{}' is corrupt; skipped the rest of it (ignoreCorruptFiles): {}", batch_id,
                  file.path, decoded.message());
      } else {
        return decoded;
      }
    }
    ++stats->num_input_files;
    std::set<std::string> new_columns;
    for (const std::string& name : counters.unknown_fields) {
      if (layout_.output_schema().FieldIndexIgnoreCase(name)) continue;
      new_columns.insert(name);
    }
    // Struct values with members the schema lacks: new nested fields, when this
    // file's own schema shows fields that can be added (not a case-only variant).
    bool evolves = options_.evolution_mode == SchemaEvolutionMode::kAddNewColumns ||
                   options_.evolution_mode == SchemaEvolutionMode::kFailOnNewColumns;
    if (evolves && !counters.fields_with_unknown_members.empty()) {
      TRIB_ASSIGN_OR_RETURN(columnar::Schema file_schema, decoder_->InferSchema(*content, file.path));
      std::vector<std::string> nested;
      AddNewNestedFields(layout_.output_schema(), file_schema, &nested);
      new_columns.insert(nested.begin(), nested.end());
    }
    if (new_columns.empty()) continue;
    switch (options_.evolution_mode) {
      case SchemaEvolutionMode::kAddNewColumns:
        new_columns_by_file[file.path] = std::move(new_columns);
        break;
      case SchemaEvolutionMode::kFailOnNewColumns:
        return Status::Invalid("file '{}' has new columns [{}] and cloudFiles.schemaEvolutionMode is "
                               "failOnNewColumns; update the schema or remove the file, a restart alone does not help",
                               file.path, JoinNames(new_columns));
      case SchemaEvolutionMode::kRescue:
      case SchemaEvolutionMode::kNone:
        break;
    }
  }
  if (!new_columns_by_file.empty()) return HandleNewColumns(new_columns_by_file);
  return Status::OK();
}

Status CloudFilesSource::HandleNewColumns(const std::map<std::string, std::set<std::string>>& new_columns_by_file) {
  if (!schema_store_ || !schema_version_) {
    return Status::Internal("cloudFiles: schema evolution without a schema location");
  }
  std::set<std::string> all_new;
  columnar::Schema inferred;
  for (const auto& [path, names] : new_columns_by_file) {
    all_new.insert(names.begin(), names.end());
    TRIB_ASSIGN_OR_RETURN(std::string content, io::ReadDecompressed(*fs_, path));
    TRIB_ASSIGN_OR_RETURN(columnar::Schema schema, decoder_->InferSchema(content, path));
    inferred = format::MergeInferredSchemas(inferred, schema);
  }
  std::vector<std::string> added;
  TRIB_ASSIGN_OR_RETURN(columnar::Schema evolved, AddNewColumns(schema_version_->data_schema, inferred, all_new,
                                                               options_.schema_hints, &added));
  evolved = AddNewNestedFields(evolved, inferred, &added);
  if (added.empty()) {
    return Status::Internal("cloudFiles: new columns [{}] reported but none could be added", JoinNames(all_new));
  }
  SchemaVersion next;
  next.version = schema_version_->version + 1;
  next.data_schema = std::move(evolved);
  next.partition_schema = schema_version_->partition_schema;
  Status written = schema_store_->Write(next);
  if (!written.ok() && !written.IsAlreadyExists()) return written;
  std::string added_text;
  for (const std::string& name : added) added_text += (added_text.empty() ? "" : ", ") + name;
  return Status::SchemaChanged(
      "the schema of '{}' evolved: new columns [{}] found in {} (first: '{}'); schema version {} written to '{}'. "
      "Restart the query to continue with the new schema (the same files are read again); the Delta sink needs "
      "mergeSchema=true to add the columns to the table",
      options_.path, added_text, new_columns_by_file.size() == 1 ? "1 file" : std::to_string(new_columns_by_file.size()) + " files",
      new_columns_by_file.begin()->first, next.version, schema_store_->VersionPath(next.version));
}

Status CloudFilesSource::Commit(const std::string& end, int64_t batch_id) {
  TRIB_ASSIGN_OR_RETURN(auto range, ParseFileOffset(end));
  TRIB_RETURN_NOT_OK(state_->MarkCommitted(range.first, range.second, batch_id, NowMs()));
  pending_.erase(pending_.begin(), pending_.upper_bound(range.second));
  return Status::OK();
}

streaming::SourceBacklog CloudFilesSource::Backlog() const {
  streaming::SourceBacklog backlog;
  for (auto it = pending_.upper_bound(offered_seq_); it != pending_.end(); ++it) {
    ++backlog.num_files;
    backlog.num_bytes += it->second.size;
  }
  return backlog;
}

}  // namespace tributary::cloud_files
