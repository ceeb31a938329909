#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tributary/base/result.h"
#include "tributary/delta/actions.h"
#include "tributary/io/file_system.h"

namespace tributary::delta {

/// The bytes `text` encodes in Z85 (ZeroMQ RFC 32, the Base85 variant Delta uses for
/// inline deletion vectors and DV file UUIDs). Invalid when the length is not a
/// multiple of 5 or a character is outside the alphabet.
Result<std::string> Z85Decode(std::string_view text);

/// `bytes` (a multiple of 4 long) encoded in Z85.
std::string Z85Encode(std::string_view bytes);

/// The file holding an on-disk deletion vector: for storageType "u",
/// `<table>/<random prefix>/deletion_vector_<uuid>.bin` with the UUID decoded from the
/// last 20 characters; for "p", the absolute path (a URI, decoded as add.path is).
/// Errors: Invalid for an inline DV, an unknown storage type or a malformed UUID.
Result<std::string> DeletionVectorFilePath(std::string_view table_path,
                                           const DeletionVectorDescriptor& dv);

/// The row indexes (positions in the data file, ascending) that a serialized
/// RoaringBitmapArray holds, in the portable format Spark writes (little-endian magic
/// 1681511377, then 64-bit buckets of 32-bit Roaring bitmaps) or the native one of the
/// protocol's inline example (big-endian magic 1681511376). `source` names where the
/// bytes came from for errors. Errors: Corruption for a bad magic number or a
/// truncated or malformed bitmap.
Result<std::vector<uint64_t>> ParseDeletedRows(std::string_view bytes, std::string_view source);

/// The row indexes that `dv` deletes, ascending: inline DVs are Z85-decoded; on-disk
/// DVs are read at their offset from their file (format version 1: a big-endian size,
/// the bitmap, a big-endian CRC-32 of the bitmap). Errors name the table and the DV
/// file: Corruption for a bad version, size, checksum, magic number or cardinality;
/// the file system's error (NotFound) for a missing file.
Result<std::vector<uint64_t>> ReadDeletedRows(io::FileSystem& fs, std::string_view table_path,
                                              const DeletionVectorDescriptor& dv);

}  // namespace tributary::delta
