#!/usr/bin/env python3
"""Writes Parquet files with pyarrow for the reader tests, one per encoding, codec and
page-version combination, and next to each <name>.parquet a <name>.rows file with
the rows pyarrow reads back, rendered canonically by read_parquet.py's render().

Usage: reader_write_pyarrow.py <output directory>
"""
import datetime
import decimal
import json
import os
import sys

import pyarrow as pa
import pyarrow.parquet as pq

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from read_parquet import render  # noqa: E402

ROWS = 1100


def value(i, period, make):
    return None if i % period == period - 1 else make(i)


def build_table():
    utc = datetime.timezone.utc
    base = datetime.datetime(2020, 1, 1, tzinfo=utc)
    words = ['alpha', 'beta', 'gamma', 'δέλτα', '', 'z' * 40]
    inner = pa.struct([('c', pa.string()), ('d', pa.map_(pa.string(), pa.int32()))])
    outer = pa.struct([('a', pa.int32()), ('b', pa.list_(inner))])
    columns = {
        'b': pa.array([value(i, 5, lambda i: i % 3 == 0) for i in range(ROWS)], pa.bool_()),
        'i8': pa.array([value(i, 7, lambda i: (i * 37) % 256 - 128) for i in range(ROWS)], pa.int8()),
        'i16': pa.array([value(i, 11, lambda i: (i * 7919) % 65536 - 32768) for i in range(ROWS)], pa.int16()),
        'i32': pa.array([value(i, 13, lambda i: (i * 104729) % (1 << 31) - (1 << 30)) for i in range(ROWS)],
                        pa.int32()),
        'i64': pa.array([value(i, 6, lambda i: (i - 500) * 1000000007 * (1 << 20) if i % 3 else i)
                         for i in range(ROWS)], pa.int64()),
        'u8': pa.array([value(i, 9, lambda i: (i * 31) % 256) for i in range(ROWS)], pa.uint8()),
        'u16': pa.array([value(i, 9, lambda i: (i * 7919) % 65536) for i in range(ROWS)], pa.uint16()),
        'u32': pa.array([value(i, 9, lambda i: (i * 2654435761) % (1 << 32)) for i in range(ROWS)], pa.uint32()),
        'f': pa.array([value(i, 8, lambda i: (i - 300) / 8.0) for i in range(ROWS)], pa.float32()),
        'd': pa.array([value(i, 10, lambda i: (i - 700) * 1.25e10) for i in range(ROWS)], pa.float64()),
        'dec9': pa.array([value(i, 4, lambda i: decimal.Decimal(i * 12345 - 5000000).scaleb(-2))
                          for i in range(ROWS)], pa.decimal128(9, 2)),
        'dec18': pa.array([value(i, 4, lambda i: decimal.Decimal((i - 550) * 100000000000007).scaleb(-4))
                           for i in range(ROWS)], pa.decimal128(18, 4)),
        'dec30': pa.array([value(i, 4, lambda i: decimal.Decimal((i - 550) * 10 ** 25 + i).scaleb(-5))
                           for i in range(ROWS)], pa.decimal128(30, 5)),
        's': pa.array([value(i, 7, lambda i: words[i % len(words)]) for i in range(ROWS)], pa.string()),
        'u': pa.array([value(i, 17, lambda i: 'user-%d' % (i * 7919)) for i in range(ROWS)], pa.string()),
        'bin': pa.array([value(i, 4, lambda i: bytes([0, 255, i & 255]) * (i % 3)) for i in range(ROWS)],
                        pa.binary()),
        'fixed': pa.array([value(i, 5, lambda i: bytes([i & 255, 1, 2, (i >> 8) & 255])) for i in range(ROWS)],
                          pa.binary(4)),
        'dt': pa.array([value(i, 12, lambda i: datetime.date(1970, 1, 1) + datetime.timedelta(days=i * 37 - 20000))
                        for i in range(ROWS)], pa.date32()),
        'ts': pa.array([value(i, 14, lambda i: base + datetime.timedelta(seconds=i * 86399, milliseconds=i % 1000))
                        for i in range(ROWS)], pa.timestamp('us', tz='UTC')),
        'tsn': pa.array([value(i, 15, lambda i: datetime.datetime(1969, 7, 20) + datetime.timedelta(hours=i * 7))
                         for i in range(ROWS)], pa.timestamp('us')),
        'arr': pa.array([None if i % 4 == 0 else [] if i % 4 == 1 else [i, None, -i] if i % 4 == 2 else [i]
                         for i in range(ROWS)], pa.list_(pa.int32())),
        'tags': pa.array([None if i % 6 == 0 else [words[(i + k) % len(words)] for k in range(i % 4)]
                          for i in range(ROWS)], pa.list_(pa.string())),
        'm': pa.array([None if i % 5 == 0 else [] if i % 5 == 1 else [('k%d' % k, None if k == 1 else i * k)
                                                                        for k in range(i % 4 + 1)]
                       for i in range(ROWS)], pa.map_(pa.string(), pa.int64())),
        'st': pa.array([None if i % 9 == 0 else {
            'a': None if i % 9 == 1 else i,
            'b': None if i % 9 == 2 else [
                None if k == 1 else {'c': None if k == 2 else 'c%d' % (i + k),
                                     'd': None if k == 3 else [('x', k), ('y', None)]}
                for k in range(i % 5)]} for i in range(ROWS)], outer),
        'nested': pa.array([None if i % 7 == 0 else [None if k == 1 else [k, i] for k in range(i % 3)]
                            for i in range(ROWS)], pa.list_(pa.list_(pa.int64()))),
    }
    return pa.table(columns)


PLAIN_OFF = dict(use_dictionary=False)
DELTA = {'i32': 'DELTA_BINARY_PACKED', 'i64': 'DELTA_BINARY_PACKED', 'dt': 'DELTA_BINARY_PACKED',
         's': 'DELTA_LENGTH_BYTE_ARRAY', 'u': 'DELTA_BYTE_ARRAY', 'bin': 'DELTA_BYTE_ARRAY',
         'f': 'BYTE_STREAM_SPLIT', 'd': 'BYTE_STREAM_SPLIT', 'ts': 'BYTE_STREAM_SPLIT',
         'tsn': 'DELTA_BINARY_PACKED', 'fixed': 'BYTE_STREAM_SPLIT', 'i16': 'BYTE_STREAM_SPLIT',
         'tags.list.element': 'DELTA_BYTE_ARRAY', 'arr.list.element': 'DELTA_BINARY_PACKED'}

VARIANTS = {
    'plain_none_v1': dict(use_dictionary=False, compression='none'),
    'dict_snappy_v1': dict(use_dictionary=True, compression='snappy'),
    'dict_gzip_v2': dict(use_dictionary=True, compression='gzip', data_page_version='2.0'),
    'plain_zstd_v2': dict(use_dictionary=False, compression='zstd', data_page_version='2.0'),
    'dict_lz4raw_v1': dict(use_dictionary=True, compression='lz4'),
    'plain_none_v2': dict(use_dictionary=False, compression='none', data_page_version='2.0'),
    'delta_snappy_v1': dict(use_dictionary=False, compression='snappy', column_encoding=DELTA),
    'delta_zstd_v2': dict(use_dictionary=False, compression='zstd', data_page_version='2.0',
                          column_encoding=DELTA),
    'int96_snappy': dict(compression='snappy', use_deprecated_int96_timestamps=True),
    'millis_gzip': dict(compression='gzip', coerce_timestamps='ms', allow_truncated_timestamps=True),
    'dict_format1_v1': dict(use_dictionary=True, compression='snappy', version='1.0'),
    'legacy_list_names': dict(compression='snappy', use_compliant_nested_type=False, store_schema=False),
}


def main(out):
    table = build_table()
    for name, options in VARIANTS.items():
        path = os.path.join(out, name + '.parquet')
        pq.write_table(table, path, row_group_size=400, data_page_size=700, write_batch_size=64, **options)
        written = pq.read_table(path)
        with open(os.path.join(out, name + '.rows'), 'w') as f:
            types = [written.schema.field(i).type for i in range(written.num_columns)]
            lists = [written.column(i).to_pylist() for i in range(written.num_columns)]
            for r in range(written.num_rows):
                row = [render(lists[c][r], types[c]) for c in range(len(types))]
                f.write(json.dumps(row, separators=(',', ':')) + '\n')


if __name__ == '__main__':
    main(sys.argv[1])
