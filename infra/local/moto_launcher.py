"""Starts moto server (5.2.1) with two fixes for running the product's tests and benchmarks.

1. getmoto/moto#10077: after one Step Functions execution every later StartExecution
   answered 500 "cannot pickle '_thread.RLock'": moto deep-copies the state machine,
   backend and all. Fixed upstream in #10093; until then the copy shares the backend and
   starts with no executions.
2. TransactWriteItems deep-copies the *whole table* once per transaction item, to roll back
   on failure (moto/dynamodb/models/__init__.py, transact_write_items). At 10,000 items that
   is seconds per transaction and gigabytes under load, so benchmarks measured the emulator.
   Here a transaction snapshots only the items it touches and restores exactly those on
   rollback; the table copy is skipped while a transaction runs.
3. Every Query walks and sorts *all items of the table* (Table.query iterates all_items(),
   even for a base-table query on one partition): a 5-item Query took 4.9 s at 10,000
   people. Here a base-table query reads only its partition, and a GSI query only the items
   under its hash key, from an index kept current on every write (put, update, delete,
   transaction, rollback). The rest of moto's query code runs unchanged on that smaller
   candidate list, so order, pagination, filters and limits are moto's own; test/integration/
   emulator-queries.test.ts checks the answers equal unpatched moto's. MOTO_FAST_QUERIES=0
   turns this patch off (that test's reference emulator).
4. moto 5.2 builds every response through a generic, model-driven serializer: 50 people
   of a page took ~190 ms to serialize, ~12 ms to query. The answers of the read
   operations (Query, Scan, GetItem, BatchGetItem) are already DynamoDB's wire JSON, so they
   are written with json.dumps, byte for byte what the serializer writes (checked by the
   equivalence test and every integration test), with the x-amz-crc32 header the SDK
   verifies. Part of MOTO_FAST_QUERIES.
5. Transactions are isolated. DynamoDB never shows a transaction's writes before it commits,
   nor any of them when it is cancelled (read-committed for standard reads, serializable
   among writes). moto applies a transaction's items one by one and rolls back on failure,
   while its threaded server answers other requests in between: a Query could list the
   person of a registration that was being refused. Here every DynamoDB read and write of
   the backend takes one lock, a transaction for its whole length.
6. Per-request overhead of the server itself. To find a request's backend, moto lists its
   own package directory (os.listdir and an isdir for each of ~200 entries) on every
   request, inside the one lock every request passes; and werkzeug formats and writes a log
   line per request (to a stderr that npm start and the tests discard). Sampled under the
   test suite, the two were ~20 % of the server's busy time and the lock made requests wait on
   each other. Here the list is read once (moto's modules do not change while it runs) and
   werkzeug logs only errors.
Usage: python3 moto_launcher.py -H 127.0.0.1 -p 5000
"""
import os
import bisect
import copy
import json
import sys
import threading
import zlib

from moto.dynamodb import models as dynamodb_models
from moto.dynamodb.exceptions import (
    MockValidationException,
    MultipleTransactionsException,
    TransactionCanceledException,
)
from moto.dynamodb.models.dynamo_type import DynamoType
from moto.dynamodb.models.table import Table
from moto.stepfunctions import models


def _deepcopy(self, memo):
    clone = self.__class__.__new__(self.__class__)
    memo[id(self)] = clone
    for key, value in self.__dict__.items():
        if key == "backend":
            setattr(clone, key, value)
        elif key == "executions":
            setattr(clone, key, [])
        else:
            setattr(clone, key, copy.deepcopy(value, memo))
    return clone


models.StateMachine.__deepcopy__ = _deepcopy

_transaction = threading.local()


def _table_deepcopy(self, memo):
    # Inside a transaction the "backup" is the table itself: rollback restores the
    # snapshots below instead. Anywhere else (backups, restores) a real copy.
    if getattr(_transaction, "active", False):
        return self
    clone = self.__class__.__new__(self.__class__)
    memo[id(self)] = clone
    for key, value in self.__dict__.items():
        setattr(clone, key, copy.deepcopy(value, memo))
    return clone


Table.__deepcopy__ = _table_deepcopy

_original_transact_write_items = dynamodb_models.DynamoDBBackend.transact_write_items


def _touched_items(backend, transact_items):
    """(table, hash, range, copy of the item or None) for every item a transaction names."""
    snapshots = []
    for entry in transact_items:
        if len(entry) != 1:
            continue  # the original refuses it before writing anything
        op_type, op = next(iter(entry.items()))
        table = backend.tables.get(op.get("TableName"))
        if table is None:
            continue
        source = op.get("Item", {}) if op_type == "Put" else op.get("Key", {})
        hash_attr = source.get(table.hash_key_attr)
        range_attr = source.get(table.range_key_attr) if table.range_key_attr else None
        if hash_attr is None or (table.range_key_attr and range_attr is None):
            continue
        hash_value = DynamoType(hash_attr)
        range_value = DynamoType(range_attr) if range_attr is not None else None
        current = table.get_item(hash_value, range_value)
        snapshots.append((table, hash_value, range_value, copy.deepcopy(current)))
    return snapshots


def _restore(snapshots):
    for table, hash_value, range_value, item in reversed(snapshots):
        if range_value is not None:
            bucket = table.items[hash_value]
            if item is None:
                bucket.pop(range_value, None)
                if not bucket:
                    table.items.pop(hash_value, None)
            else:
                bucket[range_value] = item
        elif item is None:
            table.items.pop(hash_value, None)
        else:
            table.items[hash_value] = item


def transact_write_items(self, transact_items):
    snapshots = _touched_items(self, transact_items)
    _transaction.active = True
    try:
        return _original_transact_write_items(self, transact_items)
    except (TransactionCanceledException, MultipleTransactionsException, MockValidationException):
        _restore(snapshots)
        raise
    finally:
        _transaction.active = False


dynamodb_models.DynamoDBBackend.transact_write_items = transact_write_items


# --- 3. Queries that read only what they can match -------------------------------------

_query_scope = threading.local()
_original_all_items = Table.all_items
_original_query = Table.query


def _all_items(self):
    scope = getattr(_query_scope, "scope", None)
    if scope is not None and scope[0] is self:
        # The candidates, in the order moto's all_items() would give them.
        return sorted(scope[1], key=lambda x: (x.hash_key, x.range_key) if x.range_key else x.hash_key)
    return _original_all_items(self)


def _stored(table, hash_value, range_value):
    bucket = table.items.get(hash_value)  # .get: table.items is a defaultdict
    if bucket is None:
        return None
    return bucket.get(range_value) if table.range_key_attr else bucket


def _index_range_attr(index):
    ranges = [k["AttributeName"] for k in index.schema if k["KeyType"] == "RANGE"]
    return ranges[0] if len(ranges) == 1 else None


def _sort_entry(table, index, item, pk):
    """(index range, table hash, table range, pk): moto's order for a GSI query's items."""
    attr = _index_range_attr(index)
    value = item.attrs.get(attr) if attr else None
    if attr is None or not value or table.range_key_attr is None:
        return None
    return (value.cast_value, pk[0].cast_value, pk[1].cast_value, pk)


def _index_hash(index, item):
    """The tuple of an item's values for an index's hash attributes; None if not indexed."""
    values = []
    for key in index.schema:
        if key["KeyType"] == "HASH":
            value = item.attrs.get(key["AttributeName"])
            if not value:
                return None
            values.append(value)
    return tuple(values)


def _build_index(table):
    table._fast_index = {index.name: {} for index in table.all_indexes()}
    table._fast_sorted = {index.name: {} for index in table.all_indexes()}
    table._fast_membership = {}
    for item in _original_all_items(table):
        _add(table, item.hash_key, item.range_key if table.range_key_attr else None, item)


def _add(table, hash_value, range_value, item):
    pk = (hash_value, range_value)
    memberships = []
    for index in table.all_indexes():
        key = _index_hash(index, item)
        if key is not None:
            table._fast_index.setdefault(index.name, {}).setdefault(key, set()).add(pk)
            entry = _sort_entry(table, index, item, pk)
            if entry is not None:
                bisect.insort(table._fast_sorted.setdefault(index.name, {}).setdefault(key, []), entry)
            memberships.append((index.name, key, entry))
    if memberships:
        table._fast_membership[pk] = memberships


def _reindex(table, hash_value, range_value):
    """After a write to one item: its index entries follow its current attributes."""
    if getattr(table, "_fast_index", None) is None:
        return  # built on the first GSI query
    pk = (hash_value, range_value if table.range_key_attr else None)
    for name, key, entry in table._fast_membership.pop(pk, []):
        members = table._fast_index.get(name, {}).get(key)
        if members is not None:
            members.discard(pk)
            if not members:
                del table._fast_index[name][key]
        ordered = table._fast_sorted.get(name, {}).get(key)
        if entry is not None and ordered is not None:
            at = bisect.bisect_left(ordered, entry)
            if at < len(ordered) and ordered[at] == entry:
                del ordered[at]
    item = _stored(table, hash_value, pk[1])
    if item is not None:
        _add(table, hash_value, pk[1], item)


def _query(self, hash_key, range_comparison, range_objs, limit, exclusive_start_key,
           scan_index_forward, projection_expressions, index_name=None, consistent_read=False,
           filter_expression=None, hash_key_conditions=None, range_key_conditions=None,
           **filter_kwargs):
    candidates = None
    if not index_name:
        bucket = self.items.get(hash_key)
        if bucket is None:
            candidates = []
        else:
            candidates = list(bucket.values()) if self.range_key_attr else [bucket]
    elif hash_key_conditions:
        index = next((i for i in self.all_indexes() if i.name == index_name), None)
        if index is not None:
            conditions = dict(hash_key_conditions)
            names = [k["AttributeName"] for k in index.schema if k["KeyType"] == "HASH"]
            if all(name in conditions for name in names):
                if getattr(self, "_fast_index", None) is None:
                    _build_index(self)
                key = tuple(conditions[name] for name in names)
                ordered = self._fast_sorted.get(index_name, {}).get(key)
                window = None
                # Only where moto's loop is all there is: no legacy QueryFilter, a readable start key.
                start = _start_entry(self, index, exclusive_start_key) if exclusive_start_key else None
                if ordered is not None and not filter_kwargs and (start or not exclusive_start_key):
                    window = _range_window(
                        ordered, range_comparison, range_objs, limit, scan_index_forward is not False, start
                    )
                if window is not None:
                    pks = [entry[3] for entry in window]
                else:
                    pks = self._fast_index.get(index_name, {}).get(key, set())
                candidates = [item for item in (_stored(self, h, r) for h, r in pks) if item is not None]
    _query_scope.scope = (self, candidates) if candidates is not None else None
    try:
        return _original_query(
            self, hash_key, range_comparison, range_objs, limit, exclusive_start_key,
            scan_index_forward, projection_expressions, index_name=index_name,
            consistent_read=consistent_read, filter_expression=filter_expression,
            hash_key_conditions=hash_key_conditions, range_key_conditions=range_key_conditions,
            **filter_kwargs,
        )
    finally:
        _query_scope.scope = None


def _range_bounds(ordered, comparison, values):
    """[lo, hi): the entries a range condition matches. None: a condition this does not know."""
    if not comparison:
        return 0, len(ordered)
    casts = [v.cast_value for v in values]
    first = lambda entry: entry[0]  # noqa: E731
    left = lambda v: bisect.bisect_left(ordered, v, key=first)  # noqa: E731
    right = lambda v: bisect.bisect_right(ordered, v, key=first)  # noqa: E731
    try:
        if comparison == "EQ":
            return left(casts[0]), right(casts[0])
        if comparison == "BETWEEN":
            return left(casts[0]), right(casts[1])
        if comparison == "LT":
            return 0, left(casts[0])
        if comparison == "LE":
            return 0, right(casts[0])
        if comparison == "GT":
            return right(casts[0]), len(ordered)
        if comparison == "GE":
            return left(casts[0]), len(ordered)
        if comparison == "BEGINS_WITH" and isinstance(casts[0], str):
            lo = hi = left(casts[0])
            while hi < len(ordered) and isinstance(ordered[hi][0], str) and ordered[hi][0].startswith(casts[0]):
                hi += 1
            return lo, hi
    except TypeError:
        pass  # values of another type than the keys: let moto answer as it does
    return None


def _range_window(ordered, comparison, values, limit, forward, start):
    """
    The entries moto's query loop can take: those the range condition matches — from the
    start key on, and only `limit` of them when there is a limit — plus the one item just
    past them, because moto sets LastEvaluatedKey when, after `limit` matches, its loop
    meets any further item. None: no narrowing (let moto read the whole key).
    """
    bounds = _range_bounds(ordered, comparison, values)
    if bounds is None:
        return None
    lo, hi = bounds
    sort_key = lambda entry: entry[:3]  # noqa: E731
    if forward:
        begin = max(lo, bisect.bisect_right(ordered, start, key=sort_key)) if start else lo
        end = min(begin + limit + 1, hi + 1) if limit else hi + 1
        return ordered[begin:min(end, len(ordered))]
    end = min(hi, bisect.bisect_left(ordered, start, key=sort_key)) if start else hi
    begin = max(end - limit - 1, lo - 1, 0) if limit else max(lo - 1, 0)
    return ordered[begin:end]


def _start_entry(table, index, exclusive_start_key):
    """An ExclusiveStartKey as a sort entry (index range, table hash, table range)."""
    attr = _index_range_attr(index)
    try:
        return (
            DynamoType(exclusive_start_key[attr]).cast_value,
            DynamoType(exclusive_start_key[table.hash_key_attr]).cast_value,
            DynamoType(exclusive_start_key[table.range_key_attr]).cast_value,
        )
    except (KeyError, TypeError):
        return None


_original_table_put_item = Table.put_item
_original_table_delete_item = Table.delete_item
_original_update_item = dynamodb_models.DynamoDBBackend.update_item


def _table_put_item(self, item_attrs, *args, **kwargs):
    item = _original_table_put_item(self, item_attrs, *args, **kwargs)
    hash_value = DynamoType(item_attrs[self.hash_key_attr])
    range_value = DynamoType(item_attrs[self.range_key_attr]) if self.range_key_attr else None
    _reindex(self, hash_value, range_value)
    return item


def _table_delete_item(self, hash_value, range_value, *args, **kwargs):
    try:
        return _original_table_delete_item(self, hash_value, range_value, *args, **kwargs)
    finally:
        _reindex(self, hash_value, range_value)


def _update_item(self, table_name, key, *args, **kwargs):
    try:
        return _original_update_item(self, table_name, key, *args, **kwargs)
    finally:
        table = self.tables.get(table_name)
        if table is not None and table.hash_key_attr in key:
            range_raw = key.get(table.range_key_attr) if table.range_key_attr else None
            _reindex(
                table,
                DynamoType(key[table.hash_key_attr]),
                DynamoType(range_raw) if range_raw is not None else None,
            )


_plain_restore = _restore


def _restore_and_reindex(snapshots):
    _plain_restore(snapshots)
    for table, hash_value, range_value, _item in snapshots:
        _reindex(table, hash_value, range_value)


from moto.dynamodb import responses as dynamodb_responses  # noqa: E402

_FAST_ANSWERS = {"Query", "Scan", "GetItem", "BatchGetItem"}
_original_execute_result = dynamodb_responses.DynamoResult.execute_result


def _execute_result(self, context):
    if context.operation_model.name not in _FAST_ANSWERS:
        return _original_execute_result(self, context)
    try:
        body = json.dumps(self.result)
    except (TypeError, ValueError):  # binary attributes and the like: the serializer's job
        return _original_execute_result(self, context)
    headers = {
        "Content-Type": "application/x-amz-json-1.0",
        "x-amz-crc32": str(zlib.crc32(body.encode("utf-8")) & 0xFFFFFFFF),
    }
    return 200, headers, body


if os.environ.get("MOTO_FAST_QUERIES", "1") != "0":
    dynamodb_responses.DynamoResult.execute_result = _execute_result
    Table.all_items = _all_items
    Table.query = _query
    Table.put_item = _table_put_item
    Table.delete_item = _table_delete_item
    dynamodb_models.DynamoDBBackend.update_item = _update_item
    _restore = _restore_and_reindex  # noqa: F811  (a rolled-back transaction re-indexes what it restored)

# --- 5. Isolation: one lock around every read and write of the DynamoDB backend ------------

_isolation = threading.RLock()


def _isolated(method):
    def locked(self, *args, **kwargs):
        with _isolation:
            return method(self, *args, **kwargs)

    return locked


for _name in (
    "get_item",
    "query",
    "scan",
    "batch_get_item",
    "put_item",
    "update_item",
    "delete_item",
    "batch_write_item",
    "transact_write_items",
    "transact_get_items",
):
    if hasattr(dynamodb_models.DynamoDBBackend, _name):
        setattr(dynamodb_models.DynamoDBBackend, _name, _isolated(getattr(dynamodb_models.DynamoDBBackend, _name)))

# --- 6. Server overhead: moto's module list read once; no log line per request -------------

import logging  # noqa: E402

from moto import backends as _backends  # noqa: E402

_MODULES = tuple(_backends.list_of_moto_modules())
_backends.list_of_moto_modules = lambda: _MODULES
logging.getLogger("werkzeug").setLevel(logging.ERROR)

from moto.server import main  # noqa: E402  (after the patches)

if __name__ == "__main__":
    main(sys.argv[1:])
