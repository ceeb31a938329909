#include "tributary/columnar/ddl_parser.h"

#include <strings.h>

#include <cctype>

#include "tributary/base/json.h"

namespace tributary::columnar {
namespace {

bool IsIdentifierChar(char c) {
  // Bytes >= 0x80 let unquoted non-ASCII names through, as Spark's lexer does for
  // letters in other scripts.
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || static_cast<unsigned char>(c) >= 0x80;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

class DdlParser {
 public:
  explicit DdlParser(std::string_view text) : text_(text) {}

  Result<Schema> ParseSchema() {
    std::vector<Field> fields;
    SkipSpace();
    if (AtEnd()) return Schema();
    while (true) {
      Field field;
      TRIB_ASSIGN_OR_RETURN(field.name, ParseName("a column name"));
      SkipSpace();
      TryConsume(':');
      TRIB_RETURN_NOT_OK(ParseFieldTail(&field));
      fields.push_back(std::move(field));
      SkipSpace();
      if (AtEnd()) break;
      TRIB_RETURN_NOT_OK(Expect(',', "',' or the end of the column list"));
    }
    return Schema(std::move(fields));
  }

  Result<DataTypePtr> ParseSingleType() {
    TRIB_ASSIGN_OR_RETURN(DataTypePtr type, ParseType());
    SkipSpace();
    if (!AtEnd()) return ErrorHere("unexpected text after the type");
    return type;
  }

  Result<std::vector<DdlPathColumn>> ParsePathList() {
    std::vector<DdlPathColumn> columns;
    SkipSpace();
    if (AtEnd()) return columns;
    while (true) {
      SkipSpace();
      size_t start = pos_;
      DdlPathColumn column;
      while (true) {
        TRIB_ASSIGN_OR_RETURN(std::string component, ParseName("a column name"));
        column.path.push_back(std::move(component));
        SkipSpace();
        if (!TryConsume('.')) break;
        SkipSpace();
      }
      TryConsume(':');
      Field field;
      TRIB_RETURN_NOT_OK(ParseFieldTail(&field));
      column.type = std::move(field.type);
      column.nullable = field.nullable;
      column.metadata_json = std::move(field.metadata_json);
      column.text = std::string(Trimmed(text_.substr(start, pos_ - start)));
      columns.push_back(std::move(column));
      SkipSpace();
      if (AtEnd()) break;
      TRIB_RETURN_NOT_OK(Expect(',', "',' or the end of the list"));
    }
    return columns;
  }

 private:
  static std::string_view Trimmed(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
    return text;
  }

  bool AtEnd() const { return pos_ >= text_.size(); }

  void SkipSpace() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }

  bool TryConsume(char c) {
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  // The token at `pos` for error messages: a word, a quoted name, or one character.
  std::string TokenAt(size_t pos) const {
    if (pos >= text_.size()) return "end of input";
    size_t end = pos;
    if (text_[pos] == '`') {
      end = text_.find('`', pos + 1);
      end = end == std::string_view::npos ? text_.size() : end + 1;
    } else {
      while (end < text_.size() && IsIdentifierChar(text_[end])) ++end;
      if (end == pos) end = pos + 1;
    }
    return "'" + std::string(text_.substr(pos, end - pos)) + "'";
  }

  Status ErrorAt(size_t pos, std::string_view what) const {
    return Status::Invalid("DDL: {} at position {} (found {}) in '{}'", what, pos, TokenAt(pos), text_);
  }
  Status ErrorHere(std::string_view what) {
    SkipSpace();
    return ErrorAt(pos_, what);
  }

  Status Expect(char c, std::string_view what) {
    if (TryConsume(c)) return Status::OK();
    return ErrorHere(fmt::format("expected {}", what));
  }

  // An unquoted word ([A-Za-z0-9_]+); empty when there is none.
  std::string_view ReadWord() {
    SkipSpace();
    size_t start = pos_;
    while (pos_ < text_.size() && IsIdentifierChar(text_[pos_])) ++pos_;
    return text_.substr(start, pos_ - start);
  }

  Result<std::string> ParseName(std::string_view what) {
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == '`') {
      size_t start = pos_;
      std::string name;
      ++pos_;
      while (true) {
        if (pos_ >= text_.size()) return ErrorAt(start, "unterminated backquoted name");
        char c = text_[pos_++];
        if (c == '`') {
          if (pos_ < text_.size() && text_[pos_] == '`') {
            name.push_back('`');
            ++pos_;
            continue;
          }
          break;
        }
        name.push_back(c);
      }
      return name;
    }
    std::string_view word = ReadWord();
    if (word.empty()) return ErrorHere(fmt::format("expected {}", what));
    return std::string(word);
  }

  Result<int> ParseInteger(std::string_view what) {
    SkipSpace();
    size_t start = pos_;
    int64_t value = 0;
    while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) {
      value = value * 10 + (text_[pos_] - '0');
      if (value > 1000000000) return ErrorAt(start, fmt::format("{} is too large", what));
      ++pos_;
    }
    if (pos_ == start) return ErrorAt(start, fmt::format("expected {}", what));
    return static_cast<int>(value);
  }

  Result<std::string> ParseStringLiteral() {
    SkipSpace();
    if (AtEnd() || (text_[pos_] != '\'' && text_[pos_] != '"')) return ErrorHere("expected a quoted string");
    size_t start = pos_;
    char quote = text_[pos_++];
    std::string value;
    while (true) {
      if (pos_ >= text_.size()) return ErrorAt(start, "unterminated string literal");
      char c = text_[pos_++];
      if (c == quote) break;
      if (c == '\\' && pos_ < text_.size()) {
        char e = text_[pos_++];
        switch (e) {
          case 'n': value.push_back('\n'); break;
          case 't': value.push_back('\t'); break;
          case 'r': value.push_back('\r'); break;
          default: value.push_back(e); break;
        }
        continue;
      }
      value.push_back(c);
    }
    return value;
  }

  // After a field's name (and optional colon): TYPE [NOT NULL] [COMMENT '...'].
  Status ParseFieldTail(Field* field) {
    TRIB_ASSIGN_OR_RETURN(field->type, ParseType());
    while (true) {
      SkipSpace();
      size_t before = pos_;
      std::string_view word = ReadWord();
      if (word.empty()) return Status::OK();
      if (EqualsIgnoreCase(word, "NOT")) {
        size_t null_pos = pos_;
        if (!EqualsIgnoreCase(ReadWord(), "NULL")) return ErrorAt(null_pos, "expected NULL after NOT");
        field->nullable = false;
      } else if (EqualsIgnoreCase(word, "COMMENT")) {
        TRIB_ASSIGN_OR_RETURN(std::string comment, ParseStringLiteral());
        std::string json = "{\"comment\":";
        AppendJsonString(&json, comment);
        json += "}";
        field->metadata_json = std::move(json);
      } else {
        pos_ = before;
        return ErrorAt(before, "expected NOT NULL, COMMENT, ',' or the end of the field");
      }
    }
  }

  Result<DataTypePtr> ParseType() {
    SkipSpace();
    size_t start = pos_;
    std::string_view word = ReadWord();
    if (word.empty()) return ErrorAt(start, "expected a type");
    std::string upper(word);
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));

    if (upper == "BOOLEAN") return DataType::Boolean();
    if (upper == "TINYINT" || upper == "BYTE") return DataType::Byte();
    if (upper == "SMALLINT" || upper == "SHORT") return DataType::Short();
    if (upper == "INT" || upper == "INTEGER") return DataType::Integer();
    if (upper == "BIGINT" || upper == "LONG") return DataType::Long();
    if (upper == "FLOAT" || upper == "REAL") return DataType::Float();
    if (upper == "DOUBLE") return DataType::Double();
    if (upper == "STRING") return DataType::String();
    if (upper == "BINARY") return DataType::Binary();
    if (upper == "DATE") return DataType::Date();
    if (upper == "TIMESTAMP" || upper == "TIMESTAMP_LTZ") return DataType::Timestamp();
    if (upper == "TIMESTAMP_NTZ") return DataType::TimestampNtz();
    if (upper == "VARCHAR" || upper == "CHAR" || upper == "CHARACTER") {
      TRIB_RETURN_NOT_OK(Expect('(', fmt::format("'(' and a length after {}", upper)));
      TRIB_ASSIGN_OR_RETURN(int length, ParseInteger("a length"));
      (void)length;
      TRIB_RETURN_NOT_OK(Expect(')', "')'"));
      return DataType::String();
    }
    if (upper == "DECIMAL" || upper == "DEC" || upper == "NUMERIC") {
      int precision = 10, scale = 0;
      if (TryConsume('(')) {
        size_t precision_pos = pos_;
        TRIB_ASSIGN_OR_RETURN(precision, ParseInteger("a decimal precision"));
        if (TryConsume(',')) {
          TRIB_ASSIGN_OR_RETURN(scale, ParseInteger("a decimal scale"));
        }
        TRIB_RETURN_NOT_OK(Expect(')', "')' after the decimal precision and scale"));
        if (precision < 1 || precision > 38) {
          return ErrorAt(precision_pos, fmt::format("decimal precision {} is outside 1..38", precision));
        }
        if (scale > precision) {
          return ErrorAt(precision_pos, fmt::format("decimal scale {} exceeds precision {}", scale, precision));
        }
      }
      return DataType::Decimal(precision, scale);
    }
    if (upper == "ARRAY") {
      TRIB_RETURN_NOT_OK(Expect('<', "'<' after ARRAY"));
      TRIB_ASSIGN_OR_RETURN(DataTypePtr element, ParseType());
      TRIB_RETURN_NOT_OK(Expect('>', "'>' to close ARRAY<"));
      return DataType::Array(std::move(element), true);
    }
    if (upper == "MAP") {
      TRIB_RETURN_NOT_OK(Expect('<', "'<' after MAP"));
      TRIB_ASSIGN_OR_RETURN(DataTypePtr key, ParseType());
      TRIB_RETURN_NOT_OK(Expect(',', "',' between the MAP key and value types"));
      TRIB_ASSIGN_OR_RETURN(DataTypePtr value, ParseType());
      TRIB_RETURN_NOT_OK(Expect('>', "'>' to close MAP<"));
      return DataType::Map(std::move(key), std::move(value), true);
    }
    if (upper == "STRUCT") {
      TRIB_RETURN_NOT_OK(Expect('<', "'<' after STRUCT"));
      std::vector<Field> fields;
      if (!TryConsume('>')) {
        while (true) {
          Field field;
          TRIB_ASSIGN_OR_RETURN(field.name, ParseName("a struct field name"));
          TryConsume(':');
          TRIB_RETURN_NOT_OK(ParseFieldTail(&field));
          fields.push_back(std::move(field));
          if (TryConsume(',')) continue;
          TRIB_RETURN_NOT_OK(Expect('>', "',' or '>' in STRUCT<...>"));
          break;
        }
      }
      return DataType::Struct(std::move(fields));
    }
    return ErrorAt(start, fmt::format("unknown type '{}'", word));
  }

  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

Result<Schema> ParseDdlSchema(std::string_view ddl) { return DdlParser(ddl).ParseSchema(); }

Result<DataTypePtr> ParseDdlType(std::string_view ddl) { return DdlParser(ddl).ParseSingleType(); }

Result<std::vector<DdlPathColumn>> ParseDdlPathList(std::string_view ddl) { return DdlParser(ddl).ParsePathList(); }

std::string QuoteDdlName(std::string_view name) {
  bool plain = !name.empty();
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') plain = false;
  }
  if (plain) return std::string(name);
  std::string out = "`";
  for (char c : name) {
    if (c == '`') out.push_back('`');
    out.push_back(c);
  }
  out.push_back('`');
  return out;
}

}  // namespace tributary::columnar
