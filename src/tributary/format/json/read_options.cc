#include "tributary/format/json/read_options.h"

#include <strings.h>

#include <charconv>
#include <string_view>

#include "tributary/format/json/decoder.h"

namespace tributary::json {

namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

/// A string option whose only supported values are `accepted` (ignoring case).
Status CheckStringSupported(const OptionMap& options, std::string_view name,
                            std::initializer_list<std::string_view> accepted, std::string_view why) {
  std::optional<std::string> value = options.Get(name);
  if (!value) return Status::OK();
  for (std::string_view ok : accepted) {
    if (EqualsIgnoreCase(*value, ok)) return Status::OK();
  }
  return Status::NotImplemented("JSON option '{}'='{}' is not supported: {}", name, *value, why);
}

}  // namespace

const OptionNames& JsonOptionNames() {
  static const OptionNames names = {
      "multiLine",
      "mode",
      "columnNameOfCorruptRecord",
      "rescuedDataColumn",
      "primitivesAsString",
      "prefersDecimal",
      "allowComments",
      "allowUnquotedFieldNames",
      "allowSingleQuotes",
      "allowNumericLeadingZeros",
      "allowBackslashEscapingAnyCharacter",
      "allowUnquotedControlChars",
      "allowNonNumericNumbers",
      "dateFormat",
      "timestampFormat",
      "timestampNTZFormat",
      "encoding",
      "charset",
      "lineSep",
      "samplingRatio",
      "dropFieldIfAllNull",
      "locale",
      "timeZone",
  };
  return names;
}

Result<JsonReadOptions> ParseJsonReadOptions(const OptionMap& options) {
  JsonReadOptions result;
  TRIB_ASSIGN_OR_RETURN(result.multi_line, options.GetBool("multiLine", false));
  TRIB_ASSIGN_OR_RETURN(result.primitives_as_string, options.GetBool("primitivesAsString", false));
  TRIB_ASSIGN_OR_RETURN(result.prefers_decimal, options.GetBool("prefersDecimal", false));
  TRIB_ASSIGN_OR_RETURN(result.drop_field_if_all_null, options.GetBool("dropFieldIfAllNull", false));
  if (std::optional<std::string> sep = options.Get("lineSep")) {
    if (sep->empty()) return Status::Invalid("JSON option 'lineSep' must not be empty");
    result.line_sep = *sep;
  }

  TRIB_ASSIGN_OR_RETURN(result.allow_non_numeric_numbers, options.GetBool("allowNonNumericNumbers", true));
  TRIB_ASSIGN_OR_RETURN(result.allow_comments, options.GetBool("allowComments", false));
  TRIB_ASSIGN_OR_RETURN(result.allow_unquoted_field_names, options.GetBool("allowUnquotedFieldNames", false));
  TRIB_ASSIGN_OR_RETURN(result.allow_single_quotes, options.GetBool("allowSingleQuotes", true));
  TRIB_ASSIGN_OR_RETURN(result.allow_numeric_leading_zeros, options.GetBool("allowNumericLeadingZeros", false));
  TRIB_ASSIGN_OR_RETURN(result.allow_backslash_escaping_any_character,
                        options.GetBool("allowBackslashEscapingAnyCharacter", false));
  TRIB_ASSIGN_OR_RETURN(result.allow_unquoted_control_chars, options.GetBool("allowUnquotedControlChars", false));

  constexpr std::string_view kDefaultFormatsOnly = "only Spark's default date/time formats are implemented";
  TRIB_RETURN_NOT_OK(CheckStringSupported(options, "dateFormat", {"yyyy-MM-dd"}, kDefaultFormatsOnly));
  TRIB_RETURN_NOT_OK(CheckStringSupported(options, "timestampFormat", {"yyyy-MM-dd'T'HH:mm:ss[.SSS][XXX]"},
                                          kDefaultFormatsOnly));
  TRIB_RETURN_NOT_OK(CheckStringSupported(options, "timestampNTZFormat", {"yyyy-MM-dd'T'HH:mm:ss[.SSS]"},
                                          kDefaultFormatsOnly));
  result.charset = result.multi_line ? Charset::kDetect : Charset::kUtf8;
  for (std::string_view name : {"encoding", "charset"}) {
    std::optional<std::string> value = options.Get(name);
    if (!value) continue;
    if (!ParseCharset(*value, &result.charset)) {
      return Status::NotImplemented(
          "JSON option '{}'='{}' is not supported: implemented charsets are UTF-8, UTF-16, UTF-16LE, UTF-16BE, "
          "UTF-32, UTF-32LE, UTF-32BE, ISO-8859-1 and US-ASCII",
          name, *value);
    }
  }
  TRIB_RETURN_NOT_OK(CheckStringSupported(options, "locale", {"en-US", "en_US"}, "only the en-US locale is implemented"));
  TRIB_RETURN_NOT_OK(CheckStringSupported(options, "timeZone", {"UTC", "Z", "GMT", "+00:00", "Etc/UTC"},
                                          "timestamps without a zone are read as UTC"));

  if (std::optional<std::string> ratio = options.Get("samplingRatio")) {
    double value = 0;
    auto [end, ec] = std::from_chars(ratio->data(), ratio->data() + ratio->size(), value);
    if (ec != std::errc() || end != ratio->data() + ratio->size() || !(value > 0) || value > 1) {
      return Status::Invalid("JSON option 'samplingRatio' must be a number in (0, 1], got '{}'", *ratio);
    }
    result.sampling_ratio = value;
  }
  return result;
}

}  // namespace tributary::json
