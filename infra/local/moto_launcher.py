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
Usage: python3 moto_launcher.py -H 127.0.0.1 -p 5000
"""
import copy
import sys
import threading

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

from moto.server import main  # noqa: E402  (after the patches)

if __name__ == "__main__":
    main(sys.argv[1:])
