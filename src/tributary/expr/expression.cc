#include "tributary/expr/expression.h"

#include <cctype>
#include <functional>

#include <fmt/format.h>

#include "tributary/columnar/column_builder.h"
#include "tributary/columnar/ddl_parser.h"
#include "tributary/columnar/decimal.h"
#include "tributary/columnar/schema_json.h"
#include "tributary/columnar/temporal.h"

namespace tributary::expr {

using columnar::ColumnBuilder;
using columnar::DataType;
using columnar::DataTypePtr;
using columnar::TypeId;

namespace {

ExprPtr Make(Expression::Parts parts) { return std::make_shared<const Expression>(std::move(parts)); }

ExprPtr MakeLiteral(const DataTypePtr& type, const std::function<void(ColumnBuilder*)>& append, bool is_null) {
  ColumnBuilder builder(type);
  append(&builder);
  Expression::Parts parts;
  parts.kind = ExprKind::kLiteral;
  parts.literal = builder.Finish();
  parts.null_literal = is_null;
  return Make(std::move(parts));
}

bool IsPlainIdentifier(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

std::string QuoteName(std::string_view name) {
  if (IsPlainIdentifier(name)) return std::string(name);
  std::string out = "`";
  for (char c : name) {
    if (c == '`') out += '`';
    out += c;
  }
  out += '`';
  return out;
}

std::string JoinPath(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += '.';
    out += QuoteName(names[i]);
  }
  return out;
}

std::string QuoteString(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  out += '\'';
  return out;
}

std::string LiteralSql(const Expression& expr, bool pretty) {
  const columnar::Column& value = *expr.literal();
  if (expr.null_literal() || value.IsNull(0)) return "NULL";
  switch (value.type()->id()) {
    case TypeId::kBoolean:
      return value.BoolValue(0) ? "true" : "false";
    case TypeId::kByte:
      return fmt::format("{}{}", value.Value<int8_t>(0), pretty ? "" : "Y");
    case TypeId::kShort:
      return fmt::format("{}{}", value.Value<int16_t>(0), pretty ? "" : "S");
    case TypeId::kInteger:
      return fmt::format("{}", value.Value<int32_t>(0));
    case TypeId::kLong:
      return fmt::format("{}{}", value.Value<int64_t>(0), pretty ? "" : "L");
    case TypeId::kFloat:
      return columnar::ValueToString(value, 0) + (pretty ? "" : "F");
    case TypeId::kDouble:
      return columnar::ValueToString(value, 0) + (pretty ? "" : "D");
    case TypeId::kDecimal:
      return columnar::ValueToString(value, 0) + (pretty ? "" : "BD");
    case TypeId::kString:
      return pretty ? std::string(value.StringValue(0)) : QuoteString(value.StringValue(0));
    case TypeId::kDate:
      return "DATE '" + columnar::ValueToString(value, 0) + "'";
    case TypeId::kTimestamp:
      return "TIMESTAMP '" + columnar::ValueToString(value, 0) + "'";
    case TypeId::kTimestampNtz:
      return "TIMESTAMP_NTZ '" + columnar::ValueToString(value, 0) + "'";
    default:
      return columnar::ValueToString(value, 0);
  }
}

std::string Sql(const Expression& expr, bool pretty);

std::string JoinArgs(const std::vector<ExprPtr>& args, size_t from, bool pretty) {
  std::string out;
  for (size_t i = from; i < args.size(); ++i) {
    if (i > from) out += ", ";
    out += Sql(*args[i], pretty);
  }
  return out;
}

std::string Sql(const Expression& expr, bool pretty) {
  switch (expr.kind()) {
    case ExprKind::kColumn:
      return JoinPath(expr.names());
    case ExprKind::kStar:
      return expr.names().empty() ? "*" : JoinPath(expr.names()) + ".*";
    case ExprKind::kLiteral:
      return LiteralSql(expr, pretty);
    case ExprKind::kAlias:
      return Sql(*expr.child(0), pretty) + " AS " + QuoteName(expr.name());
    case ExprKind::kCast:
      return fmt::format("{}({} AS {})", expr.is_try() ? "TRY_CAST" : "CAST", Sql(*expr.child(0), pretty),
                         expr.type()->ToDdl());
    case ExprKind::kCall:
      return expr.name() + "(" + JoinArgs(expr.children(), 0, pretty) + ")";
    case ExprKind::kBinary: {
      const std::string& op = expr.name();
      std::string left = Sql(*expr.child(0), pretty);
      std::string right = Sql(*expr.child(1), pretty);
      if (op == "||") return "concat(" + left + ", " + right + ")";
      if (op == "<>" || op == "!=") return "(NOT (" + left + " = " + right + "))";
      return "(" + left + " " + (op == "==" ? std::string("=") : op) + " " + right + ")";
    }
    case ExprKind::kNot:
      return "(NOT " + Sql(*expr.child(0), pretty) + ")";
    case ExprKind::kNegate:
      return "(- " + Sql(*expr.child(0), pretty) + ")";
    case ExprKind::kIsNull:
      return "(" + Sql(*expr.child(0), pretty) + (expr.negated() ? " IS NOT NULL)" : " IS NULL)");
    case ExprKind::kIn:
      return "(" + Sql(*expr.child(0), pretty) + (expr.negated() ? " NOT IN (" : " IN (") +
             JoinArgs(expr.children(), 1, pretty) + "))";
    case ExprKind::kBetween:
      return "(" + Sql(*expr.child(0), pretty) + (expr.negated() ? " NOT BETWEEN " : " BETWEEN ") +
             Sql(*expr.child(1), pretty) + " AND " + Sql(*expr.child(2), pretty) + ")";
    case ExprKind::kLike:
      return "(" + Sql(*expr.child(0), pretty) + (expr.negated() ? " NOT " : " ") + expr.name() + " " +
             Sql(*expr.child(1), pretty) + ")";
    case ExprKind::kCase: {
      std::string out = "CASE";
      size_t i = 0;
      const auto& c = expr.children();
      if (expr.has_operand()) out += " " + Sql(*c[i++], pretty);
      size_t end = c.size() - (expr.has_else() ? 1 : 0);
      for (; i + 1 < end + 1 && i < end; i += 2) {
        out += " WHEN " + Sql(*c[i], pretty) + " THEN " + Sql(*c[i + 1], pretty);
      }
      if (expr.has_else()) out += " ELSE " + Sql(*c.back(), pretty);
      return out + " END";
    }
    case ExprKind::kSubscript:
      return Sql(*expr.child(0), pretty) + "[" + Sql(*expr.child(1), pretty) + "]";
    case ExprKind::kField:
      return Sql(*expr.child(0), pretty) + "." + QuoteName(expr.name());
    case ExprKind::kFromJson:
      return "from_json(" + Sql(*expr.child(0), pretty) + ")";
  }
  return "?";
}

}  // namespace

ExprPtr Col(std::string_view name) {
  std::vector<std::string> parts;
  std::string current;
  bool star = false;
  size_t i = 0;
  while (i < name.size()) {
    char c = name[i];
    if (c == '`') {
      ++i;
      while (i < name.size()) {
        if (name[i] == '`') {
          if (i + 1 < name.size() && name[i + 1] == '`') {
            current += '`';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        current += name[i++];
      }
      continue;
    }
    if (c == '.') {
      parts.push_back(std::move(current));
      current.clear();
      ++i;
      continue;
    }
    current += c;
    ++i;
  }
  if (current == "*") {
    star = true;
  } else {
    parts.push_back(std::move(current));
  }
  Expression::Parts out;
  out.kind = star ? ExprKind::kStar : ExprKind::kColumn;
  out.names = std::move(parts);
  return Make(std::move(out));
}

ExprPtr Lit(std::nullptr_t) {
  return MakeLiteral(DataType::String(), [](ColumnBuilder* b) { b->AppendNull(); }, true);
}
ExprPtr Lit(bool value) {
  return MakeLiteral(DataType::Boolean(), [value](ColumnBuilder* b) { b->AppendBool(value); }, false);
}
ExprPtr Lit(int32_t value) {
  return MakeLiteral(DataType::Integer(), [value](ColumnBuilder* b) { b->AppendInt(value); }, false);
}
ExprPtr Lit(int64_t value) {
  return MakeLiteral(DataType::Long(), [value](ColumnBuilder* b) { b->AppendInt(value); }, false);
}
ExprPtr Lit(double value) {
  return MakeLiteral(DataType::Double(), [value](ColumnBuilder* b) { b->AppendDouble(value); }, false);
}
ExprPtr Lit(std::string_view value) {
  return MakeLiteral(DataType::String(), [value](ColumnBuilder* b) { b->AppendString(value); }, false);
}
ExprPtr Lit(const char* value) { return Lit(std::string_view(value)); }

ExprPtr Literal(columnar::ColumnPtr value) {
  Expression::Parts parts;
  parts.kind = ExprKind::kLiteral;
  parts.literal = std::move(value);
  return Make(std::move(parts));
}

ExprPtr Alias(ExprPtr child, std::string name) {
  Expression::Parts parts;
  parts.kind = ExprKind::kAlias;
  parts.name = std::move(name);
  parts.children = {std::move(child)};
  return Make(std::move(parts));
}

ExprPtr Cast(ExprPtr child, DataTypePtr type) {
  Expression::Parts parts;
  parts.kind = ExprKind::kCast;
  parts.type = std::move(type);
  parts.children = {std::move(child)};
  return Make(std::move(parts));
}

Result<ExprPtr> Cast(ExprPtr child, std::string_view type_text) {
  TRIB_ASSIGN_OR_RETURN(DataTypePtr type, columnar::ParseDdlType(type_text));
  return Cast(std::move(child), std::move(type));
}

ExprPtr TryCast(ExprPtr child, DataTypePtr type) {
  Expression::Parts parts;
  parts.kind = ExprKind::kCast;
  parts.type = std::move(type);
  parts.is_try = true;
  parts.children = {std::move(child)};
  return Make(std::move(parts));
}

ExprPtr Call(std::string function, std::vector<ExprPtr> args) {
  for (auto& c : function) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  Expression::Parts parts;
  parts.kind = ExprKind::kCall;
  parts.name = std::move(function);
  parts.children = std::move(args);
  return Make(std::move(parts));
}

ExprPtr Binary(std::string op, ExprPtr left, ExprPtr right) {
  for (auto& c : op) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  Expression::Parts parts;
  parts.kind = ExprKind::kBinary;
  parts.name = std::move(op);
  parts.children = {std::move(left), std::move(right)};
  return Make(std::move(parts));
}

ExprPtr Not(ExprPtr child) {
  Expression::Parts parts;
  parts.kind = ExprKind::kNot;
  parts.children = {std::move(child)};
  return Make(std::move(parts));
}

Result<ExprPtr> FromJson(ExprPtr value, std::string_view schema_text, OptionMap options) {
  size_t start = schema_text.find_first_not_of(" \t\r\n");
  DataTypePtr type;
  if (start != std::string_view::npos && schema_text[start] == '{') {
    auto parsed = columnar::DataTypeFromJson(schema_text);
    if (!parsed.ok()) {
      return Status::Invalid("from_json: invalid schema JSON '{}': {}", schema_text, parsed.status().message());
    }
    type = *parsed;
  } else {
    auto as_schema = columnar::ParseDdlSchema(schema_text);
    if (as_schema.ok()) {
      type = as_schema->AsStruct();
    } else {
      auto as_type = columnar::ParseDdlType(schema_text);
      if (!as_type.ok()) {
        return Status::Invalid("from_json: invalid schema '{}': {}", schema_text, as_schema.status().message());
      }
      type = *as_type;
    }
  }
  if (type->id() != TypeId::kStruct && type->id() != TypeId::kArray && type->id() != TypeId::kMap) {
    return Status::Invalid("from_json: schema '{}' must be a struct, array or map type, not {}", schema_text,
                           type->SimpleString());
  }
  Expression::Parts parts;
  parts.kind = ExprKind::kFromJson;
  parts.type = std::move(type);
  parts.options = std::move(options);
  parts.children = {std::move(value)};
  return Make(std::move(parts));
}

ExprPtr FromJson(ExprPtr value, columnar::Schema schema, OptionMap options) {
  Expression::Parts parts;
  parts.kind = ExprKind::kFromJson;
  parts.type = schema.AsStruct();
  parts.options = std::move(options);
  parts.children = {std::move(value)};
  return Make(std::move(parts));
}

std::string ToSql(const Expression& expr) { return Sql(expr, false); }

std::string OutputName(const Expression& expr) {
  switch (expr.kind()) {
    case ExprKind::kAlias:
    case ExprKind::kField:
      return expr.name();
    case ExprKind::kColumn:
      return expr.names().empty() ? std::string() : expr.names().back();
    default:
      return Sql(expr, true);
  }
}

bool IsStar(const Expression& expr) { return expr.kind() == ExprKind::kStar; }

std::vector<ExprPtr> SplitConjuncts(const ExprPtr& expr) {
  std::vector<ExprPtr> out;
  std::vector<ExprPtr> pending = {expr};
  while (!pending.empty()) {
    ExprPtr e = std::move(pending.back());
    pending.pop_back();
    if (e->kind() == ExprKind::kBinary && e->name() == "AND") {
      pending.push_back(e->child(1));  // popped after child(0): source order
      pending.push_back(e->child(0));
    } else {
      out.push_back(std::move(e));
    }
  }
  return out;
}

}  // namespace tributary::expr
