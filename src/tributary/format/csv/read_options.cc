#include "tributary/format/csv/read_options.h"

#include <cctype>
#include <charconv>
#include <cstdlib>

#include "tributary/format/csv/decoder.h"

namespace tributary::csv {

namespace {

// Lower case without '-', '_' and spaces: "ISO-8859-1" -> "iso88591".
std::string CanonicalName(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '-' || c == '_' || c == ' ') continue;
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

Result<Charset> ParseCharset(std::string_view option, const std::string& value) {
  std::string name = CanonicalName(value);
  if (name == "utf8") return Charset::kUtf8;
  if (name == "iso88591" || name == "latin1" || name == "l1" || name == "88591" || name == "cp819" ||
      name == "ibm819" || name == "iso8859_1") {
    return Charset::kLatin1;
  }
  if (name == "usascii" || name == "ascii" || name == "iso646us" || name == "646") return Charset::kUsAscii;
  return Status::NotImplemented(
      "option '{}': charset '{}' is not supported by the CSV reader (supported: UTF-8, ISO-8859-1, US-ASCII)",
      option, value);
}

// Spark's delimiter rules (CSVExprUtils.toDelimiterStr): "\t" and "\u0000" spelled
// with a backslash are translated; a lone backslash and the empty string are errors.
Result<std::string> ParseDelimiter(std::string_view option, const std::string& value) {
  if (value.empty()) return Status::Invalid("option '{}': the delimiter cannot be empty", option);
  if (value == "\\t") return std::string("\t");
  if (value == "\\u0000") return std::string(1, '\0');
  if (value == "\\") return Status::Invalid("option '{}': a single backslash is not a valid delimiter", option);
  return value;
}

// Accepts only the value that means Spark's default; anything else is not honoured.
Status RequireDefault(const OptionMap& options, std::string_view name,
                      std::initializer_list<std::string_view> accepted) {
  std::optional<std::string> value = options.Get(name);
  if (!value) return Status::OK();
  for (std::string_view ok : accepted) {
    if (*value == ok) return Status::OK();
  }
  return Status::NotImplemented("option '{}': value '{}' is not supported by the CSV reader (only the default is)",
                                name, *value);
}

}  // namespace

const OptionNames& CsvOptionNames() {
  static const OptionNames kNames = {
      "header",           "sep",
      "delimiter",        "quote",
      "escape",           "charToEscapeQuoteEscaping",
      "comment",          "multiLine",
      "nullValue",        "emptyValue",
      "nanValue",         "positiveInf",
      "negativeInf",      "encoding",
      "charset",          "ignoreLeadingWhiteSpace",
      "ignoreTrailingWhiteSpace", "lineSep",
      "inferSchema",      "preferDate",
      "enforceSchema",    "dateFormat",
      "timestampFormat",  "timestampNTZFormat",
      "maxColumns",       "maxCharsPerColumn",
      "unescapedQuoteHandling", "mode",
      "columnNameOfCorruptRecord", "samplingRatio",
      "locale",           "timeZone",
  };
  return kNames;
}

OptionMap WithAutoLoaderCsvDefaults(OptionMap options) {
  if (!options.Has("header")) options.Set("header", "true");
  return options;
}

Result<CsvReadOptions> ParseCsvReadOptions(const OptionMap& options, const format::DecodeOptions& common) {
  CsvReadOptions out;
  out.mode = common.mode;
  out.column_name_of_corrupt_record = common.column_name_of_corrupt_record;

  TRIB_ASSIGN_OR_RETURN(out.header, options.GetBool("header", false));
  for (std::string_view name : {"delimiter", "sep"}) {  // `sep` wins when both are set
    if (std::optional<std::string> value = options.Get(name)) {
      TRIB_ASSIGN_OR_RETURN(out.delimiter, ParseDelimiter(name, *value));
    }
  }
  TRIB_ASSIGN_OR_RETURN(out.quote, options.GetChar("quote", '"'));
  TRIB_ASSIGN_OR_RETURN(out.escape, options.GetChar("escape", '\\'));
  char eoe_default = out.escape != out.quote ? out.escape : '\0';
  TRIB_ASSIGN_OR_RETURN(out.escape_of_escape, options.GetChar("charToEscapeQuoteEscaping", eoe_default));
  TRIB_ASSIGN_OR_RETURN(out.comment, options.GetChar("comment", '\0'));
  TRIB_ASSIGN_OR_RETURN(out.multi_line, options.GetBool("multiLine", false));
  out.null_value = options.GetString("nullValue", "");
  out.empty_value = options.GetString("emptyValue", "");
  out.nan_value = options.GetString("nanValue", "NaN");
  out.positive_inf = options.GetString("positiveInf", "Inf");
  out.negative_inf = options.GetString("negativeInf", "-Inf");
  for (std::string_view name : {"charset", "encoding"}) {  // `encoding` wins when both are set
    if (std::optional<std::string> value = options.Get(name)) {
      TRIB_ASSIGN_OR_RETURN(out.charset, ParseCharset(name, *value));
    }
  }
  TRIB_ASSIGN_OR_RETURN(out.ignore_leading_white_space, options.GetBool("ignoreLeadingWhiteSpace", false));
  TRIB_ASSIGN_OR_RETURN(out.ignore_trailing_white_space, options.GetBool("ignoreTrailingWhiteSpace", false));
  if (std::optional<std::string> value = options.Get("lineSep")) {
    if (value->empty()) return Status::Invalid("option 'lineSep': the line separator cannot be empty");
    auto sep = options.GetChar("lineSep", '\n');
    if (!sep.ok()) {
      return Status::Invalid("option 'lineSep': '{}' must be a single character for the CSV reader", *value);
    }
    out.line_sep = *sep;
  }
  // Validated only: column types follow cloudFiles.inferColumnTypes (DecodeOptions), and
  // files are always matched to the schema by their own header, as Auto Loader does.
  TRIB_RETURN_NOT_OK(options.GetBool("inferSchema", false).status());
  TRIB_RETURN_NOT_OK(options.GetBool("enforceSchema", true).status());
  TRIB_ASSIGN_OR_RETURN(out.prefer_date, options.GetBool("preferDate", true));
  TRIB_RETURN_NOT_OK(RequireDefault(options, "dateFormat", {"yyyy-MM-dd"}));
  TRIB_RETURN_NOT_OK(RequireDefault(options, "timestampFormat", {"yyyy-MM-dd'T'HH:mm:ss[.SSS][XXX]"}));
  TRIB_RETURN_NOT_OK(RequireDefault(options, "timestampNTZFormat", {"yyyy-MM-dd'T'HH:mm:ss[.SSS]"}));
  TRIB_RETURN_NOT_OK(RequireDefault(options, "locale", {"en-US", "en_US", "en-us"}));
  TRIB_RETURN_NOT_OK(RequireDefault(options, "timeZone", {"UTC", "Etc/UTC", "GMT", "Etc/GMT", "Z", "+00:00"}));
  TRIB_ASSIGN_OR_RETURN(out.max_columns, options.GetInt("maxColumns", 20480));
  if (out.max_columns <= 0) return Status::Invalid("option 'maxColumns': must be positive, got {}", out.max_columns);
  TRIB_ASSIGN_OR_RETURN(out.max_chars_per_column, options.GetInt("maxCharsPerColumn", -1));
  if (out.max_chars_per_column == 0 || out.max_chars_per_column < -1) {
    return Status::Invalid("option 'maxCharsPerColumn': must be positive or -1, got {}", out.max_chars_per_column);
  }
  if (std::optional<std::string> value = options.Get("unescapedQuoteHandling")) {
    std::string name = CanonicalName(*value);
    if (name == "stopatdelimiter") {
      out.unescaped_quote_handling = UnescapedQuoteHandling::kStopAtDelimiter;
    } else if (name == "stopatclosingquote") {
      out.unescaped_quote_handling = UnescapedQuoteHandling::kStopAtClosingQuote;
    } else if (name == "skipvalue") {
      out.unescaped_quote_handling = UnescapedQuoteHandling::kSkipValue;
    } else if (name == "raiseerror") {
      out.unescaped_quote_handling = UnescapedQuoteHandling::kRaiseError;
    } else if (name == "backtodelimiter") {
      return Status::NotImplemented("option 'unescapedQuoteHandling': BACK_TO_DELIMITER is not supported");
    } else {
      return Status::Invalid(
          "option 'unescapedQuoteHandling': '{}' is not one of STOP_AT_DELIMITER, STOP_AT_CLOSING_QUOTE, "
          "BACK_TO_DELIMITER, SKIP_VALUE, RAISE_ERROR",
          *value);
    }
  }
  if (std::optional<std::string> value = options.Get("mode")) {
    TRIB_ASSIGN_OR_RETURN(out.mode, format::ParseModeFromString(*value));
  }
  out.column_name_of_corrupt_record =
      options.GetString("columnNameOfCorruptRecord", out.column_name_of_corrupt_record);
  if (std::optional<std::string> value = options.Get("samplingRatio")) {
    char* end = nullptr;
    double ratio = std::strtod(value->c_str(), &end);
    if (value->empty() || end != value->c_str() + value->size() || !(ratio > 0)) {
      return Status::Invalid("option 'samplingRatio': '{}' is not a positive number", *value);
    }
    if (ratio < 1.0) {
      return Status::NotImplemented("option 'samplingRatio': value '{}' is not supported (inference reads every row)",
                                    *value);
    }
  }
  return out;
}

}  // namespace tributary::csv
