#!/usr/bin/env python3
"""Reads a Parquet file with pyarrow and prints what the C++ tests check.

Output lines (values rendered canonically so that C++ can render the same text):
  FILE num_rows=<n> num_row_groups=<g> created_by=<text>
  KV <key>=<value>
  FIELD <name> <arrow type>
  LEAF <path> <physical type> <logical type> <converted type>
  CHUNK <row group> <path> <compression> <encodings> nulls=<n> min=<v> max=<v> dict=<0|1>
  ROW <json array of column values>

Canonical values: null, true/false, integers (dates as days, timestamps as
microseconds), floats as the hex of their little-endian IEEE bytes, decimals as plain
strings, strings and binaries as hex of their bytes, structs as arrays of field
values, lists as arrays, maps as arrays of [key, value].
"""
import datetime
import decimal
import json
import struct
import sys

import pyarrow as pa
import pyarrow.parquet as pq

EPOCH_DATE = datetime.date(1970, 1, 1)


def micros(ts):
    if ts.tzinfo is None:
        base = datetime.datetime(1970, 1, 1)
    else:
        base = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
    delta = ts - base
    return (delta.days * 86400 + delta.seconds) * 1000000 + delta.microseconds


def render(value, arrow_type):
    if value is None:
        return None
    if pa.types.is_struct(arrow_type):
        return [render(value[arrow_type.field(i).name], arrow_type.field(i).type)
                for i in range(arrow_type.num_fields)]
    if pa.types.is_map(arrow_type):
        return [[render(k, arrow_type.key_type), render(v, arrow_type.item_type)] for k, v in value]
    if pa.types.is_list(arrow_type) or pa.types.is_large_list(arrow_type):
        return [render(v, arrow_type.value_type) for v in value]
    if pa.types.is_float32(arrow_type):
        return struct.pack('<f', value).hex()
    if pa.types.is_float64(arrow_type):
        return struct.pack('<d', value).hex()
    if pa.types.is_decimal(arrow_type):
        return format(value, 'f')
    if pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type):
        return value.encode('utf-8').hex()
    if pa.types.is_binary(arrow_type) or pa.types.is_large_binary(arrow_type) or \
            pa.types.is_fixed_size_binary(arrow_type):
        return bytes(value).hex()
    if pa.types.is_date32(arrow_type):
        return (value - EPOCH_DATE).days
    if pa.types.is_timestamp(arrow_type):
        return micros(value)
    return value


def render_stat(value, physical):
    if isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, float):
        return struct.pack('<f' if physical == 'FLOAT' else '<d', value).hex()
    if isinstance(value, decimal.Decimal):
        return format(value, 'f')
    if isinstance(value, str):
        return value.encode('utf-8').hex()
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).hex()
    if isinstance(value, datetime.datetime):
        return str(micros(value))
    if isinstance(value, datetime.date):
        return str((value - EPOCH_DATE).days)
    return str(value)


def main(path):
    f = pq.ParquetFile(path)
    md = f.metadata
    print(f'FILE num_rows={md.num_rows} num_row_groups={md.num_row_groups} created_by={md.created_by}')
    for key, value in (md.metadata or {}).items():
        print(f'KV {key.decode()}={value.decode()}')
    table = f.read()
    for field in table.schema:
        print(f'FIELD {field.name} {field.type}')
    for i in range(md.num_columns):
        c = f.schema.column(i)
        print(f'LEAF {c.path} {c.physical_type} {c.logical_type} {c.converted_type}')
    for g in range(md.num_row_groups):
        rg = md.row_group(g)
        for i in range(rg.num_columns):
            col = rg.column(i)
            stats = col.statistics
            nulls = stats.null_count if stats is not None and stats.has_null_count else 'unset'
            lo = hi = 'unset'
            if stats is not None and stats.has_min_max:
                lo = render_stat(stats.min, col.physical_type)
                hi = render_stat(stats.max, col.physical_type)
            encodings = ','.join(sorted(col.encodings))
            print(f'CHUNK {g} {col.path_in_schema} {col.compression} {encodings} nulls={nulls} '
                  f'min={lo} max={hi} dict={int(col.has_dictionary_page)}')
    columns = [(table.column(i), table.schema.field(i).type) for i in range(table.num_columns)]
    lists = [c.to_pylist() for c, _ in columns]
    for r in range(table.num_rows):
        row = [render(lists[i][r], columns[i][1]) for i in range(len(columns))]
        print('ROW ' + json.dumps(row, separators=(',', ':')))


if __name__ == '__main__':
    main(sys.argv[1])
