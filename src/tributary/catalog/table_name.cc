#include "tributary/catalog/table_name.h"

#include <cctype>
#include <vector>

#include "tributary/base/ascii.h"

namespace tributary::catalog {
namespace {

bool IsPlainIdentifier(std::string_view part) {
  if (part.empty()) return false;
  bool all_digits = true;
  for (char c : part) {
    auto u = static_cast<unsigned char>(c);
    if (!std::isalnum(u) && c != '_') return false;
    if (!std::isdigit(u)) all_digits = false;
  }
  return !all_digits;
}

bool NeedsQuotes(std::string_view part) { return !IsPlainIdentifier(part); }

std::string Quote(std::string_view part) {
  if (!NeedsQuotes(part)) return std::string(part);
  std::string out = "`";
  for (char c : part) {
    if (c == '`') out += '`';
    out += c;
  }
  out += '`';
  return out;
}

// Splits on dots outside back-quotes and unquotes the parts.
Status SplitParts(std::string_view name, std::vector<std::string>* parts) {
  size_t i = 0;
  while (true) {
    std::string part;
    if (i < name.size() && name[i] == '`') {
      ++i;
      bool closed = false;
      while (i < name.size()) {
        if (name[i] == '`') {
          if (i + 1 < name.size() && name[i + 1] == '`') {
            part += '`';
            i += 2;
            continue;
          }
          closed = true;
          ++i;
          break;
        }
        part += name[i++];
      }
      if (!closed) {
        return Status::Invalid("table name '{}': unterminated back-quote", name);
      }
      if (part.empty()) {
        return Status::Invalid("table name '{}': empty back-quoted part", name);
      }
      if (part == "." || part == ".." || part.find_first_of("/\\") != std::string::npos ||
          part.find('\0') != std::string::npos) {
        return Status::Invalid(
            "table name '{}': part '{}' cannot be used as a directory name", name, part);
      }
      if (i < name.size() && name[i] != '.') {
        return Status::Invalid("table name '{}': unexpected '{}' after back-quoted part '{}'",
                               name, name[i], part);
      }
    } else {
      size_t end = name.find('.', i);
      if (end == std::string_view::npos) end = name.size();
      std::string_view raw = name.substr(i, end - i);
      if (!IsPlainIdentifier(raw)) {
        return Status::Invalid(
            "table name '{}': '{}' is not a valid identifier (letters, digits and '_', or "
            "back-quoted)",
            name, raw);
      }
      part = std::string(raw);
      i = end;
    }
    parts->push_back(AsciiLower(part));
    if (i >= name.size()) break;
    ++i;  // the dot
    if (i >= name.size()) {
      return Status::Invalid("table name '{}': ends with '.'", name);
    }
  }
  return Status::OK();
}

}  // namespace

std::string TableName::ToString() const {
  return Quote(catalog) + "." + Quote(schema) + "." + Quote(table);
}

Result<TableName> ParseTableName(std::string_view name) {
  if (name.empty()) return Status::Invalid("table name is empty; expected catalog.schema.table");
  std::vector<std::string> parts;
  TRIB_RETURN_NOT_OK(SplitParts(name, &parts));
  if (parts.size() != 3) {
    return Status::Invalid(
        "table name '{}' has {} part(s); expected three: catalog.schema.table", name,
        parts.size());
  }
  return TableName{std::move(parts[0]), std::move(parts[1]), std::move(parts[2])};
}

Result<std::string> ResolveTablePath(std::string_view warehouse, std::string_view name) {
  if (warehouse.empty()) {
    return Status::Invalid("cannot resolve table '{}': the warehouse path is empty", name);
  }
  TRIB_ASSIGN_OR_RETURN(TableName parsed, ParseTableName(name));
  std::string path(warehouse);
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  if (path != "/") path += '/';
  path += parsed.catalog + "/" + parsed.schema + "/" + parsed.table;
  return path;
}

}  // namespace tributary::catalog
