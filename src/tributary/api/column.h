#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "tributary/base/status.h"
#include "tributary/expr/expression.h"

namespace tributary {

/// PySpark's `Column`: an expression over a DataFrame's rows, built with col(), lit(),
/// expr() and the functions below, combined with operators. It is only a description;
/// a DataFrame binds it to its schema in select(), where() and withColumn().
///
/// Errors (a cast to an unknown type, an unparsable expr()) are carried by the Column
/// and returned by the DataFrame call that uses it, so chains need no checks between
/// steps.
class Column {
 public:
  explicit Column(expr::ExprPtr expr, Status status = Status::OK());

  /// `col.alias("name")` (PySpark also spells it `name()`/`as()`).
  Column alias(std::string_view name) const;
  /// `col.cast("string")`: a DDL type name ("int", "decimal(10,2)", "array<string>").
  Column cast(std::string_view type) const;
  /// A struct field: `col("data").getField("id")`.
  Column getField(std::string_view name) const;
  Column isNull() const;
  Column isNotNull() const;
  /// `col.isin({lit(1), lit(2)})`.
  Column isin(const std::vector<Column>& values) const;
  /// `when(cond, value).when(...).otherwise(value)` on a CASE built by when().
  Column when(const Column& condition, const Column& value) const;
  Column otherwise(const Column& value) const;

  const expr::ExprPtr& expr() const { return expr_; }
  const Status& status() const { return status_; }

 private:
  expr::ExprPtr expr_;
  Status status_;
};

/// The functions that build Columns, PySpark's `pyspark.sql.functions` (`F.col`,
/// `F.from_json`, ...): `using namespace tributary::functions;` brings them in.
namespace functions {

/// A column by name: "a", "data.order_id", "`odd name`", "*", "data.*".
Column col(std::string_view name);
/// A literal value.
Column lit(std::nullptr_t);
Column lit(bool value);
Column lit(int32_t value);
Column lit(int64_t value);
Column lit(double value);
Column lit(std::string_view value);
Column lit(const char* value);
/// A Spark SQL expression string, as `expr("amount * 2")` in PySpark.
Column expr(std::string_view sql);
/// Any SQL function by name: `call_function("upper", {col("s")})`.
Column call_function(std::string_view name, const std::vector<Column>& args);

/// `from_json(col, schema, options)`: the schema is a DDL string ("id STRING, n INT")
/// or a Delta/Spark schema JSON string; options: mode (PERMISSIVE, FAILFAST),
/// columnNameOfCorruptRecord, and the JSON reader's options.
Column from_json(const Column& value, std::string_view schema, const std::map<std::string, std::string>& options = {});
Column to_json(const Column& value);
Column current_timestamp();
Column current_date();
Column to_timestamp(const Column& value);
Column to_timestamp(const Column& value, std::string_view format);
Column to_date(const Column& value);
Column to_date(const Column& value, std::string_view format);
Column date_format(const Column& value, std::string_view format);
Column coalesce(const std::vector<Column>& values);
/// Starts a CASE: `when(col("a") > 1, lit("big")).otherwise(lit("small"))`.
Column when(const Column& condition, const Column& value);
Column upper(const Column& value);
Column lower(const Column& value);
Column trim(const Column& value);
Column concat(const std::vector<Column>& values);

}  // namespace functions

Column operator==(const Column& a, const Column& b);
Column operator!=(const Column& a, const Column& b);
Column operator<(const Column& a, const Column& b);
Column operator<=(const Column& a, const Column& b);
Column operator>(const Column& a, const Column& b);
Column operator>=(const Column& a, const Column& b);
Column operator+(const Column& a, const Column& b);
Column operator-(const Column& a, const Column& b);
Column operator*(const Column& a, const Column& b);
Column operator/(const Column& a, const Column& b);
Column operator%(const Column& a, const Column& b);
Column operator&&(const Column& a, const Column& b);
Column operator||(const Column& a, const Column& b);
Column operator!(const Column& a);

}  // namespace tributary
