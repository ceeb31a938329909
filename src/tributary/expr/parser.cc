// A recursive-descent parser for Spark SQL expressions. Precedence, lowest first:
// OR; AND; NOT; comparison and predicates (= == <> != < <= > >= <=>, IS [NOT] NULL,
// [NOT] IN, [NOT] BETWEEN, [NOT] LIKE/ILIKE/RLIKE/REGEXP); + - ||; * / % DIV;
// unary - +; postfix [i], .field, ::type.

#include <cctype>
#include <charconv>
#include <cstdlib>
#include <limits>

#include "tributary/columnar/column_builder.h"
#include "tributary/columnar/ddl_parser.h"
#include "tributary/columnar/decimal.h"
#include "tributary/columnar/temporal.h"
#include "tributary/expr/expression.h"

namespace tributary::expr {

using columnar::ColumnBuilder;
using columnar::DataType;
using columnar::DataTypePtr;

namespace {

enum class TokenKind { kEnd, kIdentifier, kQuotedIdentifier, kNumber, kString, kSymbol };

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string text;  // identifier/symbol/number text, or the unescaped string
  size_t position = 0;
};

bool IsIdentStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool IsIdentChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

std::string Upper(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

class Parser {
 public:
  explicit Parser(std::string_view sql) : sql_(sql) {}

  Result<ExprPtr> ParseTop() {
    TRIB_RETURN_NOT_OK(Tokenize());
    TRIB_ASSIGN_OR_RETURN(ExprPtr expr, ParseOr());
    if (IsKeyword("AS")) {
      Advance();
      if (Peek().kind != TokenKind::kIdentifier && Peek().kind != TokenKind::kQuotedIdentifier) {
        return Error("expected an alias name after AS");
      }
      expr = Alias(expr, Advance().text);
    } else if (Peek().kind == TokenKind::kQuotedIdentifier ||
               (Peek().kind == TokenKind::kIdentifier && !IsReserved(Peek().text))) {
      expr = Alias(expr, Advance().text);
    }
    if (Peek().kind != TokenKind::kEnd) return Error("unexpected '" + Peek().text + "'");
    return expr;
  }

 private:
  Status ErrorAt(size_t position, const std::string& what) const {
    return Status::Invalid("cannot parse expression '{}': {} at position {}", sql_, what, position);
  }
  Status Error(const std::string& what) const { return ErrorAt(Peek().position, what); }

  Status Tokenize() {
    size_t i = 0;
    while (i < sql_.size()) {
      char c = sql_[i];
      if (std::isspace(static_cast<unsigned char>(c))) {
        ++i;
        continue;
      }
      Token token;
      token.position = i;
      if (IsIdentStart(c)) {
        size_t start = i;
        while (i < sql_.size() && IsIdentChar(sql_[i])) ++i;
        token.kind = TokenKind::kIdentifier;
        token.text = std::string(sql_.substr(start, i - start));
      } else if (std::isdigit(static_cast<unsigned char>(c)) ||
                 (c == '.' && i + 1 < sql_.size() && std::isdigit(static_cast<unsigned char>(sql_[i + 1])))) {
        size_t start = i;
        while (i < sql_.size() && (std::isdigit(static_cast<unsigned char>(sql_[i])) || sql_[i] == '.')) ++i;
        if (i < sql_.size() && (sql_[i] == 'e' || sql_[i] == 'E')) {
          size_t j = i + 1;
          if (j < sql_.size() && (sql_[j] == '+' || sql_[j] == '-')) ++j;
          if (j < sql_.size() && std::isdigit(static_cast<unsigned char>(sql_[j]))) {
            i = j;
            while (i < sql_.size() && std::isdigit(static_cast<unsigned char>(sql_[i]))) ++i;
          }
        }
        // Type suffixes: L, S, Y, D, F, BD.
        if (i + 1 < sql_.size() && (sql_[i] == 'B' || sql_[i] == 'b') && (sql_[i + 1] == 'D' || sql_[i + 1] == 'd') &&
            (i + 2 >= sql_.size() || !IsIdentChar(sql_[i + 2]))) {
          i += 2;
        } else if (i < sql_.size() && std::strchr("LlSsYyDdFf", sql_[i]) != nullptr &&
                   (i + 1 >= sql_.size() || !IsIdentChar(sql_[i + 1]))) {
          ++i;
        }
        if (i < sql_.size() && IsIdentChar(sql_[i])) {
          return ErrorAt(start, "invalid number '" + std::string(sql_.substr(start, i + 1 - start)) + "'");
        }
        token.kind = TokenKind::kNumber;
        token.text = std::string(sql_.substr(start, i - start));
      } else if (c == '\'' || c == '"') {
        token.kind = TokenKind::kString;
        // Adjacent literals join: 'a' 'b' is 'ab', as Spark reads them.
        while (true) {
          char quote = sql_[i];
          size_t start = i++;
          bool closed = false;
          while (i < sql_.size()) {
            char d = sql_[i];
            if (d == '\\' && i + 1 < sql_.size()) {
              char e = sql_[i + 1];
              i += 2;
              switch (e) {
                case 'n': token.text += '\n'; break;
                case 't': token.text += '\t'; break;
                case 'r': token.text += '\r'; break;
                case 'b': token.text += '\b'; break;
                case '0': token.text += '\0'; break;
                case 'Z': token.text += '\x1a'; break;
                case '%': token.text += "\\%"; break;
                case '_': token.text += "\\_"; break;
                default: token.text += e;
              }
              continue;
            }
            if (d == quote) {
              ++i;
              closed = true;
              break;
            }
            token.text += d;
            ++i;
          }
          if (!closed) return ErrorAt(start, "unterminated string literal");
          size_t j = i;
          while (j < sql_.size() && std::isspace(static_cast<unsigned char>(sql_[j]))) ++j;
          if (j < sql_.size() && (sql_[j] == '\'' || sql_[j] == '"')) {
            i = j;
            continue;
          }
          break;
        }
      } else if (c == '`') {
        token.kind = TokenKind::kQuotedIdentifier;
        size_t start = i++;
        bool closed = false;
        while (i < sql_.size()) {
          if (sql_[i] == '`') {
            if (i + 1 < sql_.size() && sql_[i + 1] == '`') {
              token.text += '`';
              i += 2;
              continue;
            }
            ++i;
            closed = true;
            break;
          }
          token.text += sql_[i++];
        }
        if (!closed) return ErrorAt(start, "unterminated quoted identifier");
      } else {
        static const char* const kSymbols[] = {"<=>", "<>", "!=", "<=", ">=", "==", "||", "::", "=", "<", ">", "+",
                                               "-",   "*",  "/",  "%",  "(",  ")",  ",",  ".",  "[", "]", "!"};
        token.kind = TokenKind::kSymbol;
        for (const char* symbol : kSymbols) {
          std::string_view s(symbol);
          if (sql_.substr(i, s.size()) == s) {
            token.text = std::string(s);
            break;
          }
        }
        if (token.text.empty()) return ErrorAt(i, std::string("unexpected character '") + c + "'");
        i += token.text.size();
      }
      tokens_.push_back(std::move(token));
    }
    Token end;
    end.position = sql_.size();
    tokens_.push_back(end);
    return Status::OK();
  }

  const Token& Peek(size_t ahead = 0) const {
    size_t index = pos_ + ahead;
    return tokens_[index < tokens_.size() ? index : tokens_.size() - 1];
  }
  const Token& Advance() { return tokens_[pos_ < tokens_.size() - 1 ? pos_++ : pos_]; }
  bool IsKeyword(std::string_view word, size_t ahead = 0) const {
    const Token& t = Peek(ahead);
    return t.kind == TokenKind::kIdentifier && Upper(t.text) == word;
  }
  bool IsSymbol(std::string_view symbol, size_t ahead = 0) const {
    const Token& t = Peek(ahead);
    return t.kind == TokenKind::kSymbol && t.text == symbol;
  }
  Status Expect(std::string_view symbol) {
    if (!IsSymbol(symbol)) {
      return Error("expected '" + std::string(symbol) + "'" +
                   (Peek().kind == TokenKind::kEnd ? std::string(" before the end") : " but found '" + Peek().text + "'"));
    }
    Advance();
    return Status::OK();
  }
  static bool IsReserved(const std::string& word) {
    static const char* const kReserved[] = {"AND", "OR",   "NOT",  "IS",   "NULL", "IN",   "BETWEEN", "LIKE",
                                            "ILIKE", "RLIKE", "REGEXP", "CASE", "WHEN", "THEN", "ELSE", "END",
                                            "AS",  "FROM", "DIV"};
    std::string upper = Upper(word);
    for (const char* r : kReserved) {
      if (upper == r) return true;
    }
    return false;
  }

  Result<ExprPtr> ParseOr() {
    TRIB_ASSIGN_OR_RETURN(ExprPtr left, ParseAnd());
    while (IsKeyword("OR")) {
      Advance();
      TRIB_ASSIGN_OR_RETURN(ExprPtr right, ParseAnd());
      left = Binary("OR", left, right);
    }
    return left;
  }

  Result<ExprPtr> ParseAnd() {
    TRIB_ASSIGN_OR_RETURN(ExprPtr left, ParseNot());
    while (IsKeyword("AND")) {
      Advance();
      TRIB_ASSIGN_OR_RETURN(ExprPtr right, ParseNot());
      left = Binary("AND", left, right);
    }
    return left;
  }

  Result<ExprPtr> ParseNot() {
    if (IsKeyword("NOT") || IsSymbol("!")) {
      Advance();
      TRIB_ASSIGN_OR_RETURN(ExprPtr child, ParseNot());
      return Not(child);
    }
    return ParsePredicate();
  }

  Result<ExprPtr> ParsePredicate() {
    TRIB_ASSIGN_OR_RETURN(ExprPtr left, ParseAdditive());
    while (true) {
      const Token& t = Peek();
      if (t.kind == TokenKind::kSymbol &&
          (t.text == "=" || t.text == "==" || t.text == "<>" || t.text == "!=" || t.text == "<" ||
           t.text == "<=" || t.text == ">" || t.text == ">=" || t.text == "<=>")) {
        std::string op = Advance().text;
        TRIB_ASSIGN_OR_RETURN(ExprPtr right, ParseAdditive());
        left = Binary(op, left, right);
        continue;
      }
      if (IsKeyword("IS")) {
        Advance();
        bool negated = false;
        if (IsKeyword("NOT")) {
          Advance();
          negated = true;
        }
        if (!IsKeyword("NULL")) return Error("expected NULL after IS");
        Advance();
        Expression::Parts parts;
        parts.kind = ExprKind::kIsNull;
        parts.negated = negated;
        parts.children = {left};
        left = std::make_shared<const Expression>(std::move(parts));
        continue;
      }
      bool negated = false;
      size_t ahead = 0;
      if (IsKeyword("NOT")) {
        negated = true;
        ahead = 1;
      }
      if (IsKeyword("IN", ahead)) {
        pos_ += ahead + 1;
        TRIB_RETURN_NOT_OK(Expect("("));
        Expression::Parts parts;
        parts.kind = ExprKind::kIn;
        parts.negated = negated;
        parts.children = {left};
        while (true) {
          TRIB_ASSIGN_OR_RETURN(ExprPtr item, ParseOr());
          parts.children.push_back(item);
          if (IsSymbol(",")) {
            Advance();
            continue;
          }
          break;
        }
        TRIB_RETURN_NOT_OK(Expect(")"));
        left = std::make_shared<const Expression>(std::move(parts));
        continue;
      }
      if (IsKeyword("BETWEEN", ahead)) {
        pos_ += ahead + 1;
        TRIB_ASSIGN_OR_RETURN(ExprPtr low, ParseAdditive());
        if (!IsKeyword("AND")) return Error("expected AND in BETWEEN");
        Advance();
        TRIB_ASSIGN_OR_RETURN(ExprPtr high, ParseAdditive());
        Expression::Parts parts;
        parts.kind = ExprKind::kBetween;
        parts.negated = negated;
        parts.children = {left, low, high};
        left = std::make_shared<const Expression>(std::move(parts));
        continue;
      }
      if (IsKeyword("LIKE", ahead) || IsKeyword("ILIKE", ahead) || IsKeyword("RLIKE", ahead) ||
          IsKeyword("REGEXP", ahead)) {
        std::string op = Upper(Peek(ahead).text);
        if (op == "REGEXP") op = "RLIKE";
        pos_ += ahead + 1;
        TRIB_ASSIGN_OR_RETURN(ExprPtr pattern, ParseAdditive());
        Expression::Parts parts;
        parts.kind = ExprKind::kLike;
        parts.name = op;
        parts.negated = negated;
        parts.children = {left, pattern};
        left = std::make_shared<const Expression>(std::move(parts));
        continue;
      }
      return left;
    }
  }

  Result<ExprPtr> ParseAdditive() {
    TRIB_ASSIGN_OR_RETURN(ExprPtr left, ParseMultiplicative());
    while (IsSymbol("+") || IsSymbol("-") || IsSymbol("||")) {
      std::string op = Advance().text;
      TRIB_ASSIGN_OR_RETURN(ExprPtr right, ParseMultiplicative());
      left = op == "||" ? Call("concat", {left, right}) : Binary(op, left, right);
    }
    return left;
  }

  Result<ExprPtr> ParseMultiplicative() {
    TRIB_ASSIGN_OR_RETURN(ExprPtr left, ParseUnary());
    while (IsSymbol("*") || IsSymbol("/") || IsSymbol("%") || IsKeyword("DIV")) {
      std::string op = Upper(Advance().text);
      TRIB_ASSIGN_OR_RETURN(ExprPtr right, ParseUnary());
      left = Binary(op, left, right);
    }
    return left;
  }

  Result<ExprPtr> ParseUnary() {
    if (IsSymbol("-")) {
      Advance();
      // A negative number literal stays a literal (so -2147483648 is an int).
      if (Peek().kind == TokenKind::kNumber) {
        const Token& number = Advance();
        return NumberLiteral(number, true);
      }
      TRIB_ASSIGN_OR_RETURN(ExprPtr child, ParseUnary());
      Expression::Parts parts;
      parts.kind = ExprKind::kNegate;
      parts.children = {child};
      return std::make_shared<const Expression>(std::move(parts));
    }
    if (IsSymbol("+")) {
      Advance();
      return ParseUnary();
    }
    return ParsePostfix();
  }

  /// The raw text of a type after CAST .. AS or ::, up to the closing parenthesis or
  /// the end of a balanced type name.
  Result<DataTypePtr> ParseTypeText(bool until_paren) {
    size_t start = Peek().position;
    int depth = 0;
    if (until_paren) {
      while (Peek().kind != TokenKind::kEnd) {
        if (IsSymbol("(")) ++depth;
        if (IsSymbol(")")) {
          if (depth == 0) break;
          --depth;
        }
        Advance();
      }
    } else {
      if (Peek().kind != TokenKind::kIdentifier) return Error("expected a type name after '::'");
      Advance();
      if (IsSymbol("(") || IsSymbol("<")) {
        do {
          if (IsSymbol("(") || IsSymbol("<")) ++depth;
          if (IsSymbol(")") || IsSymbol(">")) --depth;
          Advance();
        } while (depth > 0 && Peek().kind != TokenKind::kEnd);
      }
    }
    size_t end = Peek().position;
    while (end > start && std::isspace(static_cast<unsigned char>(sql_[end - 1]))) --end;
    std::string_view text = sql_.substr(start, end - start);
    auto type = columnar::ParseDdlType(text);
    if (!type.ok()) return ErrorAt(start, "invalid type '" + std::string(text) + "'");
    return *type;
  }

  Result<ExprPtr> ParsePostfix() {
    TRIB_ASSIGN_OR_RETURN(ExprPtr expr, ParsePrimary());
    while (true) {
      if (IsSymbol("[")) {
        Advance();
        TRIB_ASSIGN_OR_RETURN(ExprPtr index, ParseOr());
        TRIB_RETURN_NOT_OK(Expect("]"));
        Expression::Parts parts;
        parts.kind = ExprKind::kSubscript;
        parts.children = {expr, index};
        expr = std::make_shared<const Expression>(std::move(parts));
        continue;
      }
      if (IsSymbol("::")) {
        Advance();
        TRIB_ASSIGN_OR_RETURN(DataTypePtr type, ParseTypeText(false));
        expr = Cast(expr, type);
        continue;
      }
      if (IsSymbol(".")) {
        Advance();
        const Token& t = Peek();
        if (IsSymbol("*")) {
          if (expr->kind() != ExprKind::kColumn) return Error("'.*' only follows a column name");
          Advance();
          Expression::Parts parts = expr->parts();
          parts.kind = ExprKind::kStar;
          expr = std::make_shared<const Expression>(std::move(parts));
          continue;
        }
        if (t.kind != TokenKind::kIdentifier && t.kind != TokenKind::kQuotedIdentifier) {
          return Error("expected a field name after '.'");
        }
        std::string name = Advance().text;
        Expression::Parts parts;
        if (expr->kind() == ExprKind::kColumn) {
          parts = expr->parts();
          parts.names.push_back(std::move(name));
        } else {
          parts.kind = ExprKind::kField;
          parts.name = std::move(name);
          parts.children = {expr};
        }
        expr = std::make_shared<const Expression>(std::move(parts));
        continue;
      }
      return expr;
    }
  }

  Result<ExprPtr> NumberLiteral(const Token& token, bool negative) {
    std::string text = (negative ? "-" : "") + token.text;
    auto fail = [&]() { return ErrorAt(token.position, "invalid number '" + token.text + "'"); };
    char last = static_cast<char>(std::toupper(static_cast<unsigned char>(text.back())));
    bool has_bd = text.size() > 2 && Upper(text.substr(text.size() - 2)) == "BD";
    auto parse_int = [&](std::string_view digits, int64_t* out) {
      auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), *out);
      return ec == std::errc() && ptr == digits.data() + digits.size();
    };
    auto make_int = [&](const DataTypePtr& type, int64_t value) {
      ColumnBuilder b(type);
      b.AppendInt(value);
      return Literal(b.Finish());
    };
    if (has_bd || (last != 'D' && last != 'F' && last != 'L' && last != 'S' && last != 'Y' &&
                   text.find_first_of("eE") == std::string::npos && text.find('.') != std::string::npos)) {
      std::string digits = has_bd ? text.substr(0, text.size() - 2) : text;
      std::string body = digits[0] == '-' ? digits.substr(1) : digits;
      size_t dot = body.find('.');
      int scale = dot == std::string::npos ? 0 : static_cast<int>(body.size() - dot - 1);
      std::string all = dot == std::string::npos ? body : body.substr(0, dot) + body.substr(dot + 1);
      size_t nz = all.find_first_not_of('0');
      int precision = nz == std::string::npos ? 1 : static_cast<int>(all.size() - nz);
      if (precision < scale) precision = scale;
      if (precision < 1) precision = 1;
      if (precision > 38) return fail();
      auto value = columnar::ParseDecimal(digits, precision, scale);
      if (!value) return fail();
      ColumnBuilder b(DataType::Decimal(precision, scale));
      b.AppendDecimal(*value);
      return Literal(b.Finish());
    }
    if (last == 'D' || last == 'F' || text.find_first_of("eE.") != std::string::npos) {
      std::string digits = (last == 'D' || last == 'F') ? text.substr(0, text.size() - 1) : text;
      char* end = nullptr;
      double value = std::strtod(digits.c_str(), &end);
      if (end != digits.c_str() + digits.size()) return fail();
      if (last == 'F') {
        ColumnBuilder b(DataType::Float());
        b.AppendDouble(value);
        return Literal(b.Finish());
      }
      return Lit(value);
    }
    int64_t value = 0;
    if (last == 'L' || last == 'S' || last == 'Y') {
      if (!parse_int(std::string_view(text).substr(0, text.size() - 1), &value)) return fail();
      if (last == 'L') return make_int(DataType::Long(), value);
      if (last == 'S') {
        if (value < -32768 || value > 32767) return fail();
        return make_int(DataType::Short(), value);
      }
      if (value < -128 || value > 127) return fail();
      return make_int(DataType::Byte(), value);
    }
    if (parse_int(text, &value)) {
      if (value >= std::numeric_limits<int32_t>::min() && value <= std::numeric_limits<int32_t>::max()) {
        return Lit(static_cast<int32_t>(value));
      }
      return Lit(value);
    }
    // Beyond 64 bits: a decimal(p,0), as Spark types such literals.
    std::string body = text[0] == '-' ? text.substr(1) : text;
    if (body.size() > 38) return fail();
    auto big = columnar::ParseDecimal(text, static_cast<int>(body.size()), 0);
    if (!big) return fail();
    ColumnBuilder b(DataType::Decimal(static_cast<int>(body.size()), 0));
    b.AppendDecimal(*big);
    return Literal(b.Finish());
  }

  Result<ExprPtr> ParsePrimary() {
    const Token& t = Peek();
    switch (t.kind) {
      case TokenKind::kEnd:
        return Error("unexpected end of expression");
      case TokenKind::kNumber:
        Advance();
        return NumberLiteral(t, false);
      case TokenKind::kString:
        Advance();
        return Lit(std::string_view(t.text));
      case TokenKind::kQuotedIdentifier: {
        Advance();
        Expression::Parts parts;
        parts.kind = ExprKind::kColumn;
        parts.names = {t.text};
        return std::make_shared<const Expression>(std::move(parts));
      }
      case TokenKind::kSymbol:
        if (t.text == "*") {
          Advance();
          Expression::Parts parts;
          parts.kind = ExprKind::kStar;
          return std::make_shared<const Expression>(std::move(parts));
        }
        if (t.text == "(") {
          Advance();
          TRIB_ASSIGN_OR_RETURN(ExprPtr inner, ParseOr());
          TRIB_RETURN_NOT_OK(Expect(")"));
          return inner;
        }
        return Error("unexpected '" + t.text + "'");
      case TokenKind::kIdentifier:
        break;
    }
    std::string upper = Upper(t.text);
    if (upper == "NULL") {
      Advance();
      return Lit(nullptr);
    }
    if (upper == "TRUE" || upper == "FALSE") {
      Advance();
      return Lit(upper == "TRUE");
    }
    if ((upper == "DATE" || upper == "TIMESTAMP" || upper == "TIMESTAMP_NTZ" || upper == "TIMESTAMP_LTZ") &&
        Peek(1).kind == TokenKind::kString) {
      Advance();
      const Token& text = Advance();
      if (upper == "DATE") {
        auto days = columnar::ParseDate(text.text);
        if (!days) return ErrorAt(text.position, "invalid DATE literal '" + text.text + "'");
        ColumnBuilder b(DataType::Date());
        b.AppendInt(*days);
        return Literal(b.Finish());
      }
      bool ntz = upper == "TIMESTAMP_NTZ";
      auto micros = ntz ? columnar::ParseTimestampNtz(text.text) : columnar::ParseTimestamp(text.text);
      if (!micros) return ErrorAt(text.position, "invalid " + upper + " literal '" + text.text + "'");
      ColumnBuilder b(ntz ? DataType::TimestampNtz() : DataType::Timestamp());
      b.AppendInt(*micros);
      return Literal(b.Finish());
    }
    if (upper == "CASE") return ParseCase();
    if ((upper == "CAST" || upper == "TRY_CAST") && IsSymbol("(", 1)) {
      Advance();
      Advance();
      TRIB_ASSIGN_OR_RETURN(ExprPtr value, ParseOr());
      if (!IsKeyword("AS")) return Error("expected AS in " + upper);
      Advance();
      TRIB_ASSIGN_OR_RETURN(DataTypePtr type, ParseTypeText(true));
      TRIB_RETURN_NOT_OK(Expect(")"));
      return upper == "CAST" ? Cast(value, type) : TryCast(value, type);
    }
    if (IsSymbol("(", 1)) {
      size_t name_position = t.position;
      std::string name = Advance().text;
      Advance();
      std::vector<ExprPtr> args;
      if (!IsSymbol(")")) {
        while (true) {
          TRIB_ASSIGN_OR_RETURN(ExprPtr arg, ParseOr());
          if (IsKeyword("AS")) {
            Advance();
            if (Peek().kind != TokenKind::kIdentifier && Peek().kind != TokenKind::kQuotedIdentifier) {
              return Error("expected a name after AS");
            }
            arg = Alias(arg, Advance().text);
          }
          args.push_back(arg);
          if (IsSymbol(",")) {
            Advance();
            continue;
          }
          break;
        }
      }
      TRIB_RETURN_NOT_OK(Expect(")"));
      std::string lower = name;
      for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (lower == "from_json") return FromJsonCall(args, name_position);
      return Call(lower, std::move(args));
    }
    if (IsReserved(t.text)) return Error("unexpected keyword '" + t.text + "'");
    if (upper == "CURRENT_TIMESTAMP" || upper == "CURRENT_DATE") {
      Advance();
      return Call(Upper(t.text) == "CURRENT_DATE" ? "current_date" : "current_timestamp", {});
    }
    Advance();
    Expression::Parts parts;
    parts.kind = ExprKind::kColumn;
    parts.names = {t.text};
    return std::make_shared<const Expression>(std::move(parts));
  }

  Result<ExprPtr> FromJsonCall(const std::vector<ExprPtr>& args, size_t position) {
    if (args.size() < 2 || args.size() > 3) {
      return ErrorAt(position, "from_json takes 2 or 3 arguments, not " + std::to_string(args.size()));
    }
    const Expression& schema = *args[1];
    if (schema.kind() != ExprKind::kLiteral || schema.null_literal() ||
        schema.literal()->type()->id() != columnar::TypeId::kString) {
      return ErrorAt(position, "from_json's schema must be a string literal");
    }
    OptionMap options;
    if (args.size() == 3) {
      const Expression& map = *args[2];
      bool ok = map.kind() == ExprKind::kCall && map.name() == "map" && map.children().size() % 2 == 0;
      for (size_t i = 0; ok && i < map.children().size(); ++i) {
        const Expression& item = *map.child(static_cast<int>(i));
        ok = item.kind() == ExprKind::kLiteral && !item.null_literal() &&
             item.literal()->type()->id() == columnar::TypeId::kString;
      }
      if (!ok) return ErrorAt(position, "from_json's options must be map('key', 'value', ...) of string literals");
      for (size_t i = 0; i < map.children().size(); i += 2) {
        options.Set(std::string(map.child(static_cast<int>(i))->literal()->StringValue(0)),
                    std::string(map.child(static_cast<int>(i + 1))->literal()->StringValue(0)));
      }
    }
    return FromJson(args[0], schema.literal()->StringValue(0), std::move(options));
  }

  Result<ExprPtr> ParseCase() {
    Advance();
    Expression::Parts parts;
    parts.kind = ExprKind::kCase;
    if (!IsKeyword("WHEN")) {
      TRIB_ASSIGN_OR_RETURN(ExprPtr operand, ParseOr());
      parts.children.push_back(operand);
      parts.has_operand = true;
    }
    if (!IsKeyword("WHEN")) return Error("expected WHEN in CASE");
    while (IsKeyword("WHEN")) {
      Advance();
      TRIB_ASSIGN_OR_RETURN(ExprPtr condition, ParseOr());
      if (!IsKeyword("THEN")) return Error("expected THEN in CASE");
      Advance();
      TRIB_ASSIGN_OR_RETURN(ExprPtr value, ParseOr());
      parts.children.push_back(condition);
      parts.children.push_back(value);
    }
    if (IsKeyword("ELSE")) {
      Advance();
      TRIB_ASSIGN_OR_RETURN(ExprPtr value, ParseOr());
      parts.children.push_back(value);
      parts.has_else = true;
    }
    if (!IsKeyword("END")) return Error("expected END in CASE");
    Advance();
    return std::make_shared<const Expression>(std::move(parts));
  }

  std::string_view sql_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
};

}  // namespace

Result<ExprPtr> ParseExpression(std::string_view sql) {
  Parser parser(sql);
  return parser.ParseTop();
}

}  // namespace tributary::expr
