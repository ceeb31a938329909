#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "tributary/base/json.h"
#include "tributary/columnar/decimal.h"
#include "tributary/columnar/take.h"
#include "tributary/columnar/temporal.h"
#include "tributary/format/file_decoder.h"
#include "tributary/format/json/decoder.h"
#include "tributary/expr/expr_internal.h"

namespace tributary::expr::internal {

namespace {

constexpr int64_t kMicrosPerDay = 86400LL * 1000000;

void AppendQuoted(std::string_view text, std::string* out) {
  out->push_back('"');
  for (unsigned char c : text) {
    switch (c) {
      case '"': *out += "\\\""; break;
      case '\\': *out += "\\\\"; break;
      case '\n': *out += "\\n"; break;
      case '\r': *out += "\\r"; break;
      case '\t': *out += "\\t"; break;
      case '\b': *out += "\\b"; break;
      case '\f': *out += "\\f"; break;
      default:
        if (c < 0x20) {
          *out += fmt::format("\\u{:04x}", c);
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
  }
  out->push_back('"');
}

std::string Base64(std::string_view bytes) {
  static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    uint32_t v = (static_cast<uint8_t>(bytes[i]) << 16) | (static_cast<uint8_t>(bytes[i + 1]) << 8) |
                 static_cast<uint8_t>(bytes[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out += kAlphabet[(v >> s) & 63];
  }
  if (i < bytes.size()) {
    uint32_t v = static_cast<uint8_t>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) v |= static_cast<uint8_t>(bytes[i + 1]) << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

/// Java's BigDecimal.toString, which Jackson writes for a decimal: plain, unless the
/// adjusted exponent (-scale + digits - 1) is below -6, then scientific ("0E-10",
/// "1.5E-9"). Spark's decimals have scale >= 0, so only small values use it.
std::string JavaDecimalText(__int128 unscaled, int scale) {
  std::string plain = columnar::FormatDecimal(unscaled, scale);
  bool negative = unscaled < 0;
  std::string digits;
  for (char c : plain) {
    if (c >= '0' && c <= '9') digits += c;
  }
  digits.erase(0, std::min(digits.find_first_not_of('0'), digits.size() - 1));
  int64_t adjusted = -static_cast<int64_t>(scale) + static_cast<int64_t>(digits.size()) - 1;
  if (adjusted >= -6) return plain;
  std::string out = negative ? "-" : "";
  out += digits.substr(0, 1);
  if (digits.size() > 1) out += "." + digits.substr(1);
  return out + "E" + std::to_string(adjusted);
}

/// Spark's to_json rendering (Jackson): struct fields that are null are left out,
/// timestamps as yyyy-MM-dd'T'HH:mm:ss.SSSXXX in UTC, dates as yyyy-MM-dd.
void RenderJson(const Column& c, int64_t row, std::string* out) {
  if (c.IsNull(row)) {
    *out += "null";
    return;
  }
  switch (c.type()->id()) {
    case TypeId::kFloat:
    case TypeId::kDouble: {
      double v = c.type()->id() == TypeId::kFloat ? c.Value<float>(row) : c.Value<double>(row);
      if (std::isnan(v)) {
        *out += "\"NaN\"";
      } else if (std::isinf(v)) {
        *out += v > 0 ? "\"Infinity\"" : "\"-Infinity\"";
      } else {
        *out += CastToString(c, row);
      }
      return;
    }
    case TypeId::kString:
      AppendQuoted(c.StringValue(row), out);
      return;
    case TypeId::kDecimal:
      *out += JavaDecimalText(c.Value<__int128>(row), c.type()->scale());
      return;
    case TypeId::kBinary:
      AppendQuoted(Base64(c.StringValue(row)), out);
      return;
    case TypeId::kDate:
      AppendQuoted(columnar::FormatDate(c.Value<int32_t>(row)), out);
      return;
    case TypeId::kTimestamp:
    case TypeId::kTimestampNtz: {
      int64_t micros = c.Value<int64_t>(row);
      int64_t days = micros >= 0 ? micros / kMicrosPerDay : -((-micros + kMicrosPerDay - 1) / kMicrosPerDay);
      int64_t rest = micros - days * kMicrosPerDay;
      int64_t secs = rest / 1000000;
      std::string text = columnar::FormatDate(static_cast<int32_t>(days)) +
                         fmt::format("T{:02}:{:02}:{:02}.{:03}", secs / 3600, secs / 60 % 60, secs % 60,
                                     rest % 1000000 / 1000);
      if (c.type()->id() == TypeId::kTimestamp) text += "Z";
      AppendQuoted(text, out);
      return;
    }
    case TypeId::kStruct: {
      out->push_back('{');
      bool first = true;
      const auto& fields = c.type()->fields();
      for (size_t f = 0; f < fields.size(); ++f) {
        const Column& child = *c.child(static_cast<int>(f));
        if (child.IsNull(row)) continue;
        if (!first) out->push_back(',');
        first = false;
        AppendQuoted(fields[f].name, out);
        out->push_back(':');
        RenderJson(child, row, out);
      }
      out->push_back('}');
      return;
    }
    case TypeId::kArray: {
      out->push_back('[');
      for (int32_t k = c.ListStart(row); k < c.ListEnd(row); ++k) {
        if (k > c.ListStart(row)) out->push_back(',');
        RenderJson(*c.child(0), k, out);
      }
      out->push_back(']');
      return;
    }
    case TypeId::kMap: {
      out->push_back('{');
      const Column& entries = *c.child(0);
      for (int32_t k = c.ListStart(row); k < c.ListEnd(row); ++k) {
        if (k > c.ListStart(row)) out->push_back(',');
        AppendQuoted(CastToString(*entries.child(0), k), out);
        out->push_back(':');
        RenderJson(*entries.child(1), k, out);
      }
      out->push_back('}');
      return;
    }
    default:
      *out += CastToString(c, row);
  }
}

std::string FieldNameOf(const NodePtr& node, size_t index) {
  const std::string& sql = node->sql();
  bool path = !sql.empty();
  for (char c : sql) path = path && (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.');
  if (path) return sql.substr(sql.rfind('.') == std::string::npos ? 0 : sql.rfind('.') + 1);
  return "col" + std::to_string(index + 1);
}

Result<NodePtr> MakeStruct(std::vector<NodePtr>& values, std::vector<std::string> names, const std::string& sql) {
  std::vector<columnar::Field> fields;
  for (size_t i = 0; i < values.size(); ++i) {
    DataTypePtr t = values[i]->type();
    fields.push_back({names[i], t, values[i]->nullable()});
  }
  DataTypePtr type = DataType::Struct(std::move(fields));
  Kernel kernel = [type](const std::vector<Value>& v, int64_t rows, EvalContext*) -> Result<ColumnPtr> {
    std::vector<ColumnPtr> children;
    for (const Value& c : v) children.push_back(Broadcast(c, rows));
    return ColumnPtr(std::make_shared<Column>(type, rows, 0, nullptr, nullptr, nullptr, std::move(children)));
  };
  return MakeCallNode(sql, type, false, values, std::move(kernel));
}

}  // namespace

Result<NodePtr> BindToJson(std::vector<NodePtr>& args, const std::string& sql) {
  if (args.empty() || args.size() > 2) {
    return Status::Invalid("[WRONG_NUM_ARGS] to_json takes 1 or 2 arguments, not {}, in '{}'", args.size(), sql);
  }
  if (!args[0]->type()->is_nested()) {
    return Status::Invalid("[DATATYPE_MISMATCH] to_json needs a struct, map or array, but {} is {}", args[0]->sql(),
                           args[0]->type()->SimpleString());
  }
  std::vector<NodePtr> only{args[0]};
  Kernel kernel = [](const std::vector<Value>& v, int64_t rows, EvalContext*) -> Result<ColumnPtr> {
    ColumnBuilder out(DataType::String());
    std::string text;
    for (int64_t i = 0; i < rows; ++i) {
      if (v[0].IsNull(i)) {
        out.AppendNull();
        continue;
      }
      text.clear();
      RenderJson(*v[0].column, v[0].Row(i), &text);
      out.AppendString(text);
    }
    return out.Finish();
  };
  return MakeCallNode(sql, DataType::String(), args[0]->nullable(), only, std::move(kernel));
}

Result<NodePtr> BindFromJson(NodePtr value, DataTypePtr type, const OptionMap& options, std::string sql) {
  if (value->type()->id() != TypeId::kString && value->type()->id() != TypeId::kBinary && !value->is_null_literal()) {
    return Status::Invalid("[DATATYPE_MISMATCH] from_json needs a string, but {} is {} in '{}'", value->sql(),
                           value->type()->SimpleString(), sql);
  }
  TRIB_ASSIGN_OR_RETURN(value, CoerceTo(value, DataType::String()));
  format::DecodeOptions common;
  TRIB_ASSIGN_OR_RETURN(common.mode, format::ParseModeFromString(options.GetString("mode", "PERMISSIVE")));
  if (common.mode == format::ParseMode::kDropMalformed) {
    return Status::Invalid("from_json supports the modes PERMISSIVE and FAILFAST, not DROPMALFORMED, in '{}'", sql);
  }
  const bool fail_fast = common.mode == format::ParseMode::kFailFast;
  const std::string corrupt_name = options.GetString("columnNameOfCorruptRecord", "_corrupt_record");
  const bool is_struct = type->id() == TypeId::kStruct;
  // The decoder reads objects: arrays and maps are decoded as the member "v" of a wrapper.
  const std::string kMarker = "__tributary_from_json_malformed";
  std::vector<columnar::Field> decode_fields;
  int user_corrupt = -1;
  if (is_struct) {
    decode_fields = type->fields();
    for (size_t i = 0; i < decode_fields.size(); ++i) {
      if (decode_fields[i].name == corrupt_name && decode_fields[i].type->id() == TypeId::kString) {
        user_corrupt = static_cast<int>(i);
      }
    }
  } else {
    decode_fields.push_back({"v", type, true});
  }
  decode_fields.push_back({kMarker, DataType::String(), true});
  auto decode_schema = std::make_shared<columnar::Schema>(decode_fields);
  common.mode = format::ParseMode::kPermissive;
  common.column_name_of_corrupt_record = kMarker;
  OptionMap json_options;
  for (const auto& [k, v] : options.values()) {
    if (json::JsonOptionNames().count(k) && k != "mode" && k != "columnNameOfCorruptRecord") json_options.Set(k, v);
  }
  json_options.Set("multiLine", "false");
  TRIB_ASSIGN_OR_RETURN(std::shared_ptr<format::FileDecoder> decoder, json::MakeJsonDecoder(json_options, common));
  const int marker_index = static_cast<int>(decode_fields.size()) - 1;
  Kernel kernel = [decoder, decode_schema, type, is_struct, user_corrupt, marker_index, fail_fast, sql](
                      const std::vector<Value>& v, int64_t rows, EvalContext* context) -> Result<ColumnPtr> {
    const Column& in = *v[0].column;
    std::string content;
    std::vector<int64_t> sent;  // input rows sent to the decoder, in order
    auto add_line = [&](int64_t row) {
      std::string_view text = in.StringValue(v[0].Row(row));
      if (!is_struct) content += "{\"v\":";
      // One record per line: line breaks between tokens become spaces (inside a JSON
      // string they are invalid anyway and still make the record malformed).
      for (char c : text) content.push_back(c == '\n' || c == '\r' ? ' ' : c);
      if (!is_struct) content += "}";
      content.push_back('\n');
    };
    auto is_blank = [&](int64_t row) {
      for (char c : in.StringValue(v[0].Row(row))) {
        if (!std::isspace(static_cast<unsigned char>(c))) return false;
      }
      return true;
    };
    for (int64_t i = 0; i < rows; ++i) {
      if (v[0].IsNull(i) || is_blank(i)) continue;
      sent.push_back(i);
      add_line(i);
    }
    std::vector<columnar::RecordBatchPtr> batches;
    auto collect = [&](columnar::RecordBatchPtr b) {
      batches.push_back(std::move(b));
      return Status::OK();
    };
    format::DecodeCounters counters;
    TRIB_RETURN_NOT_OK(decoder->Decode(content, sql, *decode_schema, collect, &counters));
    int64_t decoded_rows = 0;
    for (const auto& b : batches) decoded_rows += b->num_rows();
    if (decoded_rows != static_cast<int64_t>(sent.size())) {
      // A value that is a JSON array of objects decodes to several rows: decode one by one.
      batches.clear();
      for (int64_t row : sent) {
        content.clear();
        add_line(row);
        std::vector<columnar::RecordBatchPtr> one;
        auto collect_one = [&](columnar::RecordBatchPtr b) {
          one.push_back(std::move(b));
          return Status::OK();
        };
        TRIB_RETURN_NOT_OK(decoder->Decode(content, sql, *decode_schema, collect_one, nullptr));
        int64_t n = 0;
        for (const auto& b : one) n += b->num_rows();
        TRIB_ASSIGN_OR_RETURN(auto joined, columnar::ConcatenateBatches(decode_schema, one));
        if (n == 1) {
          batches.push_back(joined);
        } else {
          // Not one record: malformed for this schema.
          std::vector<ColumnPtr> cols;
          for (int f = 0; f < decode_schema->num_fields(); ++f) {
            cols.push_back(Column::MakeNull(decode_schema->field(f).type, 1));
          }
          ColumnBuilder marker(DataType::String());
          marker.AppendString("malformed");
          cols.back() = marker.Finish();
          batches.push_back(std::make_shared<RecordBatch>(decode_schema, 1, std::move(cols)));
        }
      }
    }
    TRIB_ASSIGN_OR_RETURN(auto decoded, columnar::ConcatenateBatches(decode_schema, batches));
    const Column& marker = *decoded->column(marker_index);
    // Map decoded rows back to input rows; null and blank inputs give null.
    std::vector<int64_t> positions(static_cast<size_t>(rows), decoded->num_rows());
    std::vector<bool> malformed(static_cast<size_t>(rows), false);
    for (size_t k = 0; k < sent.size(); ++k) {
      int64_t row = sent[k];
      positions[static_cast<size_t>(row)] = static_cast<int64_t>(k);
      if (marker.IsValid(static_cast<int64_t>(k))) {
        malformed[static_cast<size_t>(row)] = true;
        if (context) ++context->malformed_records;
        if (fail_fast) {
          return Status::Invalid(
              "[MALFORMED_RECORD_IN_PARSING] malformed JSON in '{}' at row {}: {} (mode FAILFAST; use PERMISSIVE to "
              "get NULL fields instead)",
              sql, row, in.StringValue(v[0].Row(row)));
        }
      }
    }
    if (!is_struct) {
      // Malformed arrays and maps are null.
      for (int64_t i = 0; i < rows; ++i) {
        if (malformed[static_cast<size_t>(i)]) positions[static_cast<size_t>(i)] = decoded->num_rows();
      }
      std::vector<ColumnPtr> parts{decoded->column(0), Column::MakeNull(type, 1)};
      return TakeFromJoined(parts, positions);
    }
    // Struct: the user's fields, null struct for null input, the raw text in the
    // corrupt record field for malformed values.
    std::vector<ColumnPtr> children;
    for (int f = 0; f < marker_index; ++f) {
      std::vector<ColumnPtr> parts{decoded->column(f), Column::MakeNull(decode_schema->field(f).type, 1)};
      if (f == user_corrupt) {
        ColumnBuilder raw(DataType::String());
        for (int64_t i = 0; i < rows; ++i) {
          if (malformed[static_cast<size_t>(i)]) {
            raw.AppendString(in.StringValue(v[0].Row(i)));
          } else {
            raw.AppendNull();
          }
        }
        children.push_back(raw.Finish());
        continue;
      }
      children.push_back(TakeFromJoined(parts, positions));
    }
    auto validity = NewBitmap(rows);
    int64_t nulls = 0;
    for (int64_t i = 0; i < rows; ++i) {
      if (v[0].IsNull(i)) {
        ++nulls;
      } else {
        columnar::SetBit(validity->data(), i);
      }
    }
    // A blank string is null as in Spark; so is its struct.
    for (int64_t i = 0; i < rows; ++i) {
      if (!v[0].IsNull(i) && positions[static_cast<size_t>(i)] == decoded->num_rows() && !malformed[static_cast<size_t>(i)]) {
        columnar::ClearBit(validity->data(), i);
        ++nulls;
      }
    }
    return ColumnPtr(std::make_shared<Column>(type, rows, nulls, nulls ? validity : nullptr, nullptr, nullptr,
                                              std::move(children)));
  };
  return MakeCallNode(sql, type, true, {value}, std::move(kernel));
}

Result<NodePtr> BindNestedFunction(const std::string& name, std::vector<NodePtr>& args, const std::string& sql) {
  if (name == "struct") {
    std::vector<std::string> names;
    for (size_t i = 0; i < args.size(); ++i) names.push_back(FieldNameOf(args[i], i));
    return MakeStruct(args, std::move(names), sql);
  }
  if (name == "named_struct") {
    if (args.size() % 2 != 0 || args.empty()) {
      return Status::Invalid("[WRONG_NUM_ARGS] named_struct takes pairs of name and value, in '{}'", sql);
    }
    std::vector<std::string> names;
    std::vector<NodePtr> values;
    for (size_t i = 0; i < args.size(); i += 2) {
      const Column* n = args[i]->constant();
      if (!n || n->type()->id() != TypeId::kString || n->IsNull(0)) {
        return Status::Invalid("named_struct: field names must be string literals, not {} in '{}'", args[i]->sql(), sql);
      }
      names.emplace_back(n->StringValue(0));
      values.push_back(args[i + 1]);
    }
    return MakeStruct(values, std::move(names), sql);
  }
  if (name == "array") {
    DataTypePtr element = DataType::String();
    if (!args.empty()) {
      TRIB_ASSIGN_OR_RETURN(element, CommonType(args, sql));
      for (auto& a : args) {
        TRIB_ASSIGN_OR_RETURN(a, CoerceTo(a, element));
      }
    }
    DataTypePtr type = DataType::Array(element, true);
    Kernel kernel = [type, element](const std::vector<Value>& v, int64_t rows, EvalContext*) -> Result<ColumnPtr> {
      const int64_t width = static_cast<int64_t>(v.size());
      std::vector<int64_t> positions(static_cast<size_t>(rows * width));
      std::vector<ColumnPtr> parts;
      std::vector<int64_t> base;
      int64_t total = 0;
      for (const Value& a : v) {
        base.push_back(total);
        parts.push_back(a.column);
        total += a.column->length();
      }
      for (int64_t i = 0; i < rows; ++i) {
        for (int64_t k = 0; k < width; ++k) {
          positions[static_cast<size_t>(i * width + k)] = base[static_cast<size_t>(k)] + v[static_cast<size_t>(k)].Row(i);
        }
      }
      ColumnPtr elements = width ? TakeFromJoined(parts, positions) : Column::MakeNull(element, 0);
      auto offsets = std::make_shared<columnar::Buffer>(static_cast<size_t>(rows + 1) * 4);
      for (int64_t i = 0; i <= rows; ++i) offsets->mutable_data_as<int32_t>()[i] = static_cast<int32_t>(i * width);
      return ColumnPtr(std::make_shared<Column>(type, rows, 0, nullptr, offsets, nullptr, std::vector<ColumnPtr>{elements}));
    };
    return MakeCallNode(sql, type, false, args, std::move(kernel));
  }
  if (name == "size" || name == "cardinality" || name == "array_size") {
    if (args.size() != 1) return Status::Invalid("[WRONG_NUM_ARGS] {} takes 1 argument in '{}'", name, sql);
    TypeId id = args[0]->type()->id();
    if (id != TypeId::kArray && id != TypeId::kMap) {
      return Status::Invalid("[DATATYPE_MISMATCH] {} needs an array or map, but {} is {}", name, args[0]->sql(),
                             args[0]->type()->SimpleString());
    }
    Kernel kernel = [](const std::vector<Value>& v, int64_t rows, EvalContext*) -> Result<ColumnPtr> {
      ColumnBuilder out(DataType::Integer());
      for (int64_t i = 0; i < rows; ++i) {
        if (v[0].IsNull(i)) {
          out.AppendNull();
        } else {
          int64_t r = v[0].Row(i);
          out.AppendInt(v[0].column->ListEnd(r) - v[0].column->ListStart(r));
        }
      }
      return out.Finish();
    };
    return MakeCallNode(sql, DataType::Integer(), args[0]->nullable(), args, std::move(kernel));
  }
  if (name == "to_json") return BindToJson(args, sql);
  if (name == "from_json") {
    return Status::Invalid("from_json needs a literal schema string: from_json(value, 'a INT, b STRING') in '{}'", sql);
  }
  return UnknownFunction(name);
}

}  // namespace tributary::expr::internal
