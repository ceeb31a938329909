#pragma once

#include "tributary/columnar/data_type.h"
#include "tributary/columnar/schema.h"

namespace tributary::format {

/// The type that holds values of both `a` and `b`, by Spark's JSON/CSV inference rules
/// (JsonInferSchema.compatibleType): a null pointer stands for "only nulls seen" and
/// yields the other type; integral types widen to the wider one; an integral with a
/// float or double gives double; structs merge field by field (fields of `a` first,
/// then new fields of `b` in their order); arrays merge their elements; anything else
/// (including a primitive against a struct) gives string.
columnar::DataTypePtr MergeInferredTypes(const columnar::DataTypePtr& a, const columnar::DataTypePtr& b);

/// Merges two inferred schemas with MergeInferredTypes: fields of `a` keep their order,
/// fields only in `b` follow in b's order.
columnar::Schema MergeInferredSchemas(const columnar::Schema& a, const columnar::Schema& b);

/// Replaces every leaf type by string (what inference gives when
/// cloudFiles.inferColumnTypes is false); "only nulls seen" becomes string too.
columnar::DataTypePtr StringifyLeaves(const columnar::DataTypePtr& type);

/// Turns "only nulls seen" (null pointers) anywhere in `type` into string, as Spark
/// does at the end of inference.
columnar::DataTypePtr CanonicalizeInferred(const columnar::DataTypePtr& type);

/// Sorts the fields of every struct in `type` by name, recursively, as Spark's JSON
/// inference orders them once the sampled records are merged.
columnar::DataTypePtr SortStructFields(const columnar::DataTypePtr& type);

}  // namespace tributary::format
