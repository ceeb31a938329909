#include "tributary/api/column.h"

namespace tributary {

namespace {

// The first error among the inputs of a new Column.
Status FirstError(std::initializer_list<const Column*> columns) {
  for (const Column* column : columns) {
    if (!column->status().ok()) return column->status();
  }
  return Status::OK();
}

Status FirstError(const std::vector<Column>& columns) {
  for (const Column& column : columns) {
    if (!column.status().ok()) return column.status();
  }
  return Status::OK();
}

std::vector<expr::ExprPtr> Exprs(const std::vector<Column>& columns) {
  std::vector<expr::ExprPtr> out;
  out.reserve(columns.size());
  for (const Column& column : columns) out.push_back(column.expr());
  return out;
}

Column Make(expr::Expression::Parts parts, Status status) {
  return Column(std::make_shared<const expr::Expression>(std::move(parts)), std::move(status));
}

Column BinaryOp(std::string op, const Column& a, const Column& b) {
  return Column(expr::Binary(std::move(op), a.expr(), b.expr()), FirstError({&a, &b}));
}

Column Function(std::string name, const std::vector<Column>& args) {
  return Column(expr::Call(std::move(name), Exprs(args)), FirstError(args));
}

}  // namespace

using namespace functions;

Column::Column(expr::ExprPtr expr, Status status) : expr_(std::move(expr)), status_(std::move(status)) {
  if (!expr_ && status_.ok()) status_ = Status::Invalid("empty column expression");
  if (!expr_) expr_ = expr::Lit(nullptr);
}

Column Column::alias(std::string_view name) const { return Column(expr::Alias(expr_, std::string(name)), status_); }

Column Column::cast(std::string_view type) const {
  Result<expr::ExprPtr> cast = expr::Cast(expr_, type);
  if (!cast.ok()) return Column(expr_, status_.ok() ? cast.status().WithContext("cast()") : status_);
  return Column(*cast, status_);
}

Column Column::getField(std::string_view name) const {
  expr::Expression::Parts parts;
  parts.kind = expr::ExprKind::kField;
  parts.name = std::string(name);
  parts.children = {expr_};
  return Make(std::move(parts), status_);
}

Column Column::isNull() const {
  expr::Expression::Parts parts;
  parts.kind = expr::ExprKind::kIsNull;
  parts.children = {expr_};
  return Make(std::move(parts), status_);
}

Column Column::isNotNull() const {
  expr::Expression::Parts parts;
  parts.kind = expr::ExprKind::kIsNull;
  parts.negated = true;
  parts.children = {expr_};
  return Make(std::move(parts), status_);
}

Column Column::isin(const std::vector<Column>& values) const {
  expr::Expression::Parts parts;
  parts.kind = expr::ExprKind::kIn;
  parts.children = {expr_};
  for (const Column& value : values) parts.children.push_back(value.expr());
  Status status = status_.ok() ? FirstError(values) : status_;
  return Make(std::move(parts), std::move(status));
}

Column Column::when(const Column& condition, const Column& value) const {
  if (expr_->kind() != expr::ExprKind::kCase || expr_->has_else()) {
    return Column(expr_, status_.ok() ? Status::Invalid("when() can only follow when(), not an arbitrary column")
                                      : status_);
  }
  expr::Expression::Parts parts = expr_->parts();
  parts.children.push_back(condition.expr());
  parts.children.push_back(value.expr());
  Status status = status_.ok() ? FirstError({&condition, &value}) : status_;
  return Make(std::move(parts), std::move(status));
}

Column Column::otherwise(const Column& value) const {
  if (expr_->kind() != expr::ExprKind::kCase || expr_->has_else()) {
    return Column(expr_, status_.ok() ? Status::Invalid("otherwise() can only follow when()") : status_);
  }
  expr::Expression::Parts parts = expr_->parts();
  parts.children.push_back(value.expr());
  parts.has_else = true;
  Status status = status_.ok() ? value.status() : status_;
  return Make(std::move(parts), std::move(status));
}

namespace functions {

Column col(std::string_view name) { return Column(expr::Col(name)); }
Column lit(std::nullptr_t) { return Column(expr::Lit(nullptr)); }
Column lit(bool value) { return Column(expr::Lit(value)); }
Column lit(int32_t value) { return Column(expr::Lit(value)); }
Column lit(int64_t value) { return Column(expr::Lit(value)); }
Column lit(double value) { return Column(expr::Lit(value)); }
Column lit(std::string_view value) { return Column(expr::Lit(value)); }
Column lit(const char* value) { return Column(expr::Lit(value)); }

Column expr(std::string_view sql) {
  Result<expr::ExprPtr> parsed = expr::ParseExpression(sql);
  if (!parsed.ok()) return Column(expr::Lit(nullptr), parsed.status().WithContext("expr()"));
  return Column(*parsed);
}

Column call_function(std::string_view name, const std::vector<Column>& args) {
  return Function(std::string(name), args);
}

Column from_json(const Column& value, std::string_view schema, const std::map<std::string, std::string>& options) {
  OptionMap option_map;
  for (const auto& [key, option] : options) option_map.Set(key, option);
  Result<expr::ExprPtr> parsed = expr::FromJson(value.expr(), schema, std::move(option_map));
  if (!parsed.ok()) return Column(value.expr(), parsed.status().WithContext("from_json()"));
  return Column(*parsed, value.status());
}

Column to_json(const Column& value) { return Function("to_json", {value}); }
Column current_timestamp() { return Function("current_timestamp", {}); }
Column current_date() { return Function("current_date", {}); }
Column to_timestamp(const Column& value) { return Function("to_timestamp", {value}); }
Column to_timestamp(const Column& value, std::string_view format) {
  return Function("to_timestamp", {value, lit(format)});
}
Column to_date(const Column& value) { return Function("to_date", {value}); }
Column to_date(const Column& value, std::string_view format) { return Function("to_date", {value, lit(format)}); }
Column date_format(const Column& value, std::string_view format) {
  return Function("date_format", {value, lit(format)});
}
Column coalesce(const std::vector<Column>& values) { return Function("coalesce", values); }
Column upper(const Column& value) { return Function("upper", {value}); }
Column lower(const Column& value) { return Function("lower", {value}); }
Column trim(const Column& value) { return Function("trim", {value}); }
Column concat(const std::vector<Column>& values) { return Function("concat", values); }

Column when(const Column& condition, const Column& value) {
  expr::Expression::Parts parts;
  parts.kind = expr::ExprKind::kCase;
  parts.children = {condition.expr(), value.expr()};
  return Make(std::move(parts), FirstError({&condition, &value}));
}

}  // namespace functions

Column operator==(const Column& a, const Column& b) { return BinaryOp("=", a, b); }
Column operator!=(const Column& a, const Column& b) { return BinaryOp("<>", a, b); }
Column operator<(const Column& a, const Column& b) { return BinaryOp("<", a, b); }
Column operator<=(const Column& a, const Column& b) { return BinaryOp("<=", a, b); }
Column operator>(const Column& a, const Column& b) { return BinaryOp(">", a, b); }
Column operator>=(const Column& a, const Column& b) { return BinaryOp(">=", a, b); }
Column operator+(const Column& a, const Column& b) { return BinaryOp("+", a, b); }
Column operator-(const Column& a, const Column& b) { return BinaryOp("-", a, b); }
Column operator*(const Column& a, const Column& b) { return BinaryOp("*", a, b); }
Column operator/(const Column& a, const Column& b) { return BinaryOp("/", a, b); }
Column operator%(const Column& a, const Column& b) { return BinaryOp("%", a, b); }
Column operator&&(const Column& a, const Column& b) { return BinaryOp("AND", a, b); }
Column operator||(const Column& a, const Column& b) { return BinaryOp("OR", a, b); }
Column operator!(const Column& a) { return Column(expr::Not(a.expr()), a.status()); }

}  // namespace tributary
