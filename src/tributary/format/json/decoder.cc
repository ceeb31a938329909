#include "tributary/format/json/decoder.h"

#include <random>

#include "tributary/format/json/decode_run_internal.h"
#include "tributary/format/json/read_options.h"
#include "tributary/format/json/record_reader_internal.h"
#include "tributary/format/json/schema_inference_internal.h"

namespace tributary::json {

namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

class JsonDecoderImpl final : public JsonDecoder {
 public:
  JsonDecoderImpl(JsonReadOptions options, format::DecodeOptions common)
      : options_(std::move(options)), common_(std::move(common)) {}

  Result<columnar::Schema> InferSchema(std::string_view content, const std::string& path) override {
    return InferSchemaCounting(content, path, nullptr);
  }

  Result<columnar::Schema> InferSchemaCounting(std::string_view content, const std::string& path,
                                               format::DecodeCounters* counters) override {
    std::string transcoded;
    content = ToUtf8(content, &transcoded);
    RecordSplitter splitter(content, options_.multi_line, options_.line_sep);
    RecordParser parser(content, options_);
    TypeAccumulator accumulator(options_);
    columnar::DataTypePtr root;
    RecordText record;
    // Spark samples only below 0.99; the seed is fixed so inference is repeatable.
    const bool sample = options_.sampling_ratio <= 0.99;
    std::mt19937_64 random(1);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    while (splitter.Next(&record)) {
      if (sample && uniform(random) >= options_.sampling_ratio) continue;
      element value;
      simdjson::error_code error = parser.Parse(record.text, &value);
      accumulator.set_lenient(parser.lenient());
      std::string_view reason;
      if (error) {
        reason = simdjson::error_message(error);
      } else if (value.type() == element_type::OBJECT) {
        accumulator.Add(value, &root);
      } else if (value.type() == element_type::ARRAY) {
        simdjson::dom::array array = value.get_array().value_unsafe();
        bool all_objects = true;
        for (element item : array) all_objects = all_objects && item.type() == element_type::OBJECT;
        if (all_objects) {
          for (element item : array) accumulator.Add(item, &root);
        } else {
          reason = "a JSON array whose elements are not all objects is not a record";
        }
      } else {
        reason = "a JSON scalar is not a record (records are JSON objects)";
      }
      if (reason.empty()) continue;
      if (counters) ++counters->malformed;
      if (common_.mode == format::ParseMode::kFailFast) {
        return Status::Invalid("malformed JSON record in '{}' at line {}: {} (schema inference, mode FAILFAST)", path,
                               record.line, reason);
      }
    }
    return FinishInferredSchema(root, options_, common_.infer_column_types);
  }

  Status Decode(std::string_view content, const std::string& path, const columnar::Schema& schema,
                const format::BatchCallback& on_batch, format::DecodeCounters* counters) override {
    std::string transcoded;
    content = ToUtf8(content, &transcoded);
    DecodeRun run(options_, common_, content, path, schema, on_batch, counters);
    return run.Run();
  }

 private:
  /// `content` in UTF-8: itself, or converted into `storage`.
  std::string_view ToUtf8(std::string_view content, std::string* storage) const {
    Charset charset = DetectCharset(content, options_.charset);
    if (charset == Charset::kUtf8) return content;
    TranscodeToUtf8(content, charset, storage);
    return *storage;
  }

  const JsonReadOptions options_;
  const format::DecodeOptions common_;
};

}  // namespace

Result<std::unique_ptr<format::FileDecoder>> MakeJsonDecoder(const OptionMap& options,
                                                             const format::DecodeOptions& common) {
  TRIB_ASSIGN_OR_RETURN(JsonReadOptions json_options, ParseJsonReadOptions(options));
  if (common.max_batch_rows <= 0 || common.max_batch_bytes <= 0) {
    return Status::Invalid("JSON reader: batch limits must be positive (rows {}, bytes {})", common.max_batch_rows,
                           common.max_batch_bytes);
  }
  return std::unique_ptr<format::FileDecoder>(new JsonDecoderImpl(std::move(json_options), common));
}

}  // namespace tributary::json
