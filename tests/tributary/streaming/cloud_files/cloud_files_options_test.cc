#include "tributary/streaming/cloud_files/cloud_files_options.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "../streaming_testing.h"
#include "tributary/columnar/ddl_parser.h"

namespace tributary::cloud_files {
namespace {

using ::testing::HasSubstr;

streaming::SourceSpec Spec(OptionMap options) {
  streaming::SourceSpec spec;
  spec.format = "cloudFiles";
  spec.path = "/landing";
  spec.options = std::move(options);
  return spec;
}

TEST(CloudFilesOptionsTest, DefaultsWhenInferring) {
  ASSERT_OK_AND_ASSIGN(CloudFilesOptions options,
                       ParseCloudFilesOptions(Spec({{"cloudFiles.format", "JSON"},
                                                    {"cloudFiles.schemaLocation", "/schemas/x"}})));
  EXPECT_EQ(options.format, "json");
  EXPECT_EQ(options.evolution_mode, SchemaEvolutionMode::kAddNewColumns);
  EXPECT_EQ(options.max_files_per_trigger, 1000);
  EXPECT_FALSE(options.max_bytes_per_trigger);
  EXPECT_TRUE(options.include_existing_files);
  EXPECT_EQ(options.sample_num_files, 1000);
  EXPECT_EQ(options.sample_num_bytes, int64_t{50} << 30);
  EXPECT_EQ(options.decode.rescued_data_column, "_rescued_data");
  EXPECT_FALSE(options.decode.infer_column_types);
  EXPECT_EQ(options.schema_location, "/schemas/x");
}

TEST(CloudFilesOptionsTest, UserSchemaDefaultsToNoneWithoutRescue) {
  streaming::SourceSpec spec = Spec({{"cloudFiles.format", "csv"}, {"sep", ";"}});
  ASSERT_OK_AND_ASSIGN(spec.user_schema, columnar::ParseDdlSchema("a INT"));
  ASSERT_OK_AND_ASSIGN(CloudFilesOptions options, ParseCloudFilesOptions(spec));
  EXPECT_EQ(options.evolution_mode, SchemaEvolutionMode::kNone);
  EXPECT_FALSE(options.decode.rescued_data_column);
  EXPECT_EQ(options.format_options.GetString("sep", ""), ";");
  EXPECT_EQ(options.format_options.GetString("header", ""), "true");  // Auto Loader's CSV default
}

TEST(CloudFilesOptionsTest, ParsesLimitsFiltersAndModes) {
  ASSERT_OK_AND_ASSIGN(
      CloudFilesOptions options,
      ParseCloudFilesOptions(Spec({{"cloudFiles.format", "json"},
                                   {"cloudFiles.schemaLocation", "/s"},
                                   {"cloudFiles.maxFilesPerTrigger", "5"},
                                   {"cloudFiles.maxBytesPerTrigger", "10m"},
                                   {"cloudFiles.schemaEvolutionMode", "rescue"},
                                   {"cloudFiles.partitionColumns", "a, b"},
                                   {"cloudFiles.schemaInference.sampleSize.numFiles", "7"},
                                   {"cloudFiles.schemaInference.sampleSize.numBytes", "1k"},
                                   {"fileNamePattern", "*.json"},
                                   {"modifiedAfter", "2021-01-01 00:00:00.000000 UTC+0"},
                                   {"readerCaseSensitive", "false"},
                                   {"rescuedDataColumn", "_r"},
                                   {"mode", "DROPMALFORMED"}})));
  EXPECT_EQ(options.max_files_per_trigger, 5);
  EXPECT_EQ(options.max_bytes_per_trigger, 10 << 20);
  EXPECT_EQ(options.evolution_mode, SchemaEvolutionMode::kRescue);
  EXPECT_EQ(options.partition_columns, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(options.sample_num_files, 7);
  EXPECT_EQ(options.sample_num_bytes, 1024);
  EXPECT_EQ(options.path_glob_filter, "*.json");
  EXPECT_EQ(options.modified_after_ms, 1609459200000);
  EXPECT_FALSE(options.decode.case_sensitive);
  EXPECT_EQ(options.decode.rescued_data_column, "_r");
  EXPECT_EQ(options.decode.mode, format::ParseMode::kDropMalformed);
}

struct BadCase {
  OptionMap options;
  StatusCode code;
  std::string mentions;
};

TEST(CloudFilesOptionsTest, ErrorsNameTheOption) {
  std::vector<BadCase> cases = {
      {{{"cloudFiles.schemaLocation", "/s"}}, StatusCode::kInvalidArgument, "cloudFiles.format"},
      {{{"cloudFiles.format", "yaml"}, {"cloudFiles.schemaLocation", "/s"}}, StatusCode::kInvalidArgument, "yaml"},
      {{{"cloudFiles.format", "avro"}, {"cloudFiles.schemaLocation", "/s"}}, StatusCode::kNotImplemented, "avro"},
      {{{"cloudFiles.format", "binaryFile"}}, StatusCode::kNotImplemented, "binaryFile"},
      {{{"cloudFiles.format", "json"}}, StatusCode::kInvalidArgument, "cloudFiles.schemaLocation"},
      {{{"cloudFiles.format", "json"}, {"cloudFiles.schemaLocation", "/s"}, {"cloudFiles.fromat", "x"}},
       StatusCode::kInvalidArgument, "cloudFiles.fromat"},
      {{{"cloudFiles.format", "json"}, {"cloudFiles.schemaLocation", "/s"}, {"cloudFiles.maxFilesPerTrigger", "0"}},
       StatusCode::kInvalidArgument, "cloudFiles.maxFilesPerTrigger"},
      {{{"cloudFiles.format", "json"}, {"cloudFiles.schemaLocation", "/s"}, {"cloudFiles.maxBytesPerTrigger", "x"}},
       StatusCode::kInvalidArgument, "cloudFiles.maxBytesPerTrigger"},
      {{{"cloudFiles.format", "json"}, {"cloudFiles.schemaLocation", "/s"}, {"cloudFiles.allowOverwrites", "true"}},
       StatusCode::kNotImplemented, "cloudFiles.allowOverwrites"},
      {{{"cloudFiles.format", "json"}, {"cloudFiles.schemaLocation", "/s"},
        {"cloudFiles.useManagedFileEvents", "true"}},
       StatusCode::kNotImplemented, "cloudFiles.useManagedFileEvents"},
      {{{"cloudFiles.format", "json"}, {"cloudFiles.schemaLocation", "/s"},
        {"cloudFiles.schemaEvolutionMode", "sometimes"}},
       StatusCode::kInvalidArgument, "sometimes"},
      {{{"cloudFiles.format", "json"}, {"cloudFiles.schemaLocation", "/s"}, {"modifiedBefore", "yesterday"}},
       StatusCode::kInvalidArgument, "modifiedBefore"},
      {{{"cloudFiles.format", "json"}, {"cloudFiles.schemaLocation", "/s"}, {"mode", "LENIENT"}},
       StatusCode::kInvalidArgument, "mode"},
  };
  for (const BadCase& bad : cases) {
    auto parsed = ParseCloudFilesOptions(Spec(bad.options));
    ASSERT_FALSE(parsed.ok()) << bad.mentions;
    EXPECT_EQ(parsed.status().code(), bad.code) << parsed.status().ToString();
    EXPECT_THAT(parsed.status().message(), HasSubstr(bad.mentions));
  }
}

TEST(CloudFilesOptionsTest, NotificationNamesAreKnown) {
  ASSERT_OK(ParseCloudFilesOptions(Spec({{"cloudFiles.format", "json"},
                                         {"cloudFiles.schemaLocation", "/s"},
                                         {"cloudFiles.useNotifications", "false"},
                                         {"cloudFiles.queueUrl", "https://sqs/q"},
                                         {"cloudFiles.backfillInterval", "1 day"},
                                         {"cloudFiles.useIncrementalListing", "auto"}})));
}

}  // namespace
}  // namespace tributary::cloud_files
