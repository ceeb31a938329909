#!/usr/bin/env python3
"""Writes a Delta table with deltalake (delta-rs) for the reader tests: partitioned
appends, a delete (remove actions) and a checkpoint. Lists in <out>/files.txt every
Parquet file of the table (data files, then the checkpoint) relative to <out>/table,
and writes <out>/<n>.rows with pyarrow's rows of the n-th file, rendered by
read_parquet.py's render(). <out>/add_projection.rows holds the checkpoint's `add`
column projected to struct<path, partitionValues, stats>.

Usage: reader_write_delta.py <output directory>
"""
import json
import os
import sys

import pyarrow as pa
import pyarrow.parquet as pq
from deltalake import DeltaTable, write_deltalake

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from read_parquet import render  # noqa: E402


def plain_type(t):
    """The type with view and large variants replaced by the plain ones render() knows."""
    if pa.types.is_string_view(t) or pa.types.is_large_string(t):
        return pa.string()
    if pa.types.is_binary_view(t) or pa.types.is_large_binary(t):
        return pa.binary()
    if pa.types.is_struct(t):
        return pa.struct([pa.field(f.name, plain_type(f.type), f.nullable) for f in t])
    if pa.types.is_map(t):
        return pa.map_(plain_type(t.key_type), plain_type(t.item_type))
    if pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_list_view(t):
        return pa.list_(pa.field(t.value_field.name, plain_type(t.value_type), t.value_field.nullable))
    return t


def rows_of(table):
    table = table.cast(pa.schema([pa.field(f.name, plain_type(f.type), f.nullable) for f in table.schema]))
    types = [table.schema.field(i).type for i in range(table.num_columns)]
    lists = [table.column(i).to_pylist() for i in range(table.num_columns)]
    return [json.dumps([render(lists[c][r], types[c]) for c in range(len(types))], separators=(',', ':'))
            for r in range(table.num_rows)]


def main(out):
    root = os.path.join(out, 'table')
    for batch in range(3):
        ids = list(range(batch * 100, batch * 100 + 100))
        data = pa.table({
            'id': pa.array(ids, pa.int64()),
            'name': pa.array([None if i % 10 == 0 else 'name-%d' % i for i in ids], pa.string()),
            'amount': pa.array([i * 1.5 for i in ids], pa.float64()),
            'tags': pa.array([['t%d' % (i % 3)] * (i % 3) for i in ids], pa.list_(pa.string())),
            'p': pa.array(['even' if i % 2 == 0 else 'odd' for i in ids], pa.string()),
        })
        write_deltalake(root, data, mode='append', partition_by=['p'])
    table = DeltaTable(root)
    table.delete('id < 20')
    table.create_checkpoint()

    files = []
    for directory, _, names in os.walk(root):
        for name in sorted(names):
            if name.endswith('.parquet') and '_delta_log' not in directory:
                files.append(os.path.relpath(os.path.join(directory, name), root))
    files.sort()
    log = os.path.join(root, '_delta_log')
    checkpoints = sorted(n for n in os.listdir(log) if n.endswith('.checkpoint.parquet'))
    files += [os.path.join('_delta_log', n) for n in checkpoints]
    with open(os.path.join(out, 'files.txt'), 'w') as f:
        f.write('\n'.join(files) + '\n')
    for n, rel in enumerate(files):
        with open(os.path.join(out, '%d.rows' % n), 'w') as f:
            for row in rows_of(pq.read_table(os.path.join(root, rel))):
                f.write(row + '\n')

    checkpoint = pq.read_table(os.path.join(root, files[-1]))
    projected = pa.struct([('path', pa.string()), ('partitionValues', pa.map_(pa.string(), pa.string())),
                           ('stats', pa.string())])
    with open(os.path.join(out, 'add_projection.rows'), 'w') as f:
        for add in checkpoint.column('add').to_pylist():
            f.write(json.dumps([render(add, projected)], separators=(',', ':')) + '\n')


# delta-rs (deltalake 1.6.6) often aborts while tearing down its runtime at interpreter
# exit, after the work is done: leave without that teardown.
if __name__ == '__main__':
    main(sys.argv[1])
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
