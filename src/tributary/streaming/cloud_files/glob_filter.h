#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "tributary/base/result.h"

namespace re2 {
class RE2;
}

namespace tributary::cloud_files {

/// A Hadoop-style glob matched against a file name (pathGlobFilter /
/// fileNamePattern): `?` one character, `*` any run of characters, `[abc]`, `[a-z]`,
/// `[^a]` / `[!a]` character classes, `{ab,cd}` alternatives (nestable:
/// `{ab,c{de,fh}}`), `\x` a literal x. Immutable and thread-safe once made.
class GlobFilter {
 public:
  /// Errors: Invalid naming the pattern for an unclosed `[` or `{` or a trailing `\`.
  static Result<GlobFilter> Make(std::string_view pattern);

  /// Whether the whole of `name` matches.
  bool Matches(std::string_view name) const;
  const std::string& pattern() const { return pattern_; }

 private:
  GlobFilter(std::string pattern, std::shared_ptr<const re2::RE2> regex)
      : pattern_(std::move(pattern)), regex_(std::move(regex)) {}

  std::string pattern_;
  std::shared_ptr<const re2::RE2> regex_;
};

/// The regular expression (RE2 syntax) a glob stands for; exposed for tests.
Result<std::string> GlobToRegex(std::string_view pattern);

}  // namespace tributary::cloud_files
