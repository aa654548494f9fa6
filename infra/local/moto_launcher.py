"""Starts moto server with a fix for getmoto/moto#10077 (moto 5.2.1).

After one Step Functions execution every later StartExecution answered 500 "cannot pickle
'_thread.RLock'": moto deep-copies the state machine, backend and all. Fixed upstream in
#10093; until then the copy shares the backend and starts with no executions.
Usage: python3 moto_launcher.py -H 127.0.0.1 -p 5000
"""
import copy
import sys

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

from moto.server import main  # noqa: E402  (after the patch)

if __name__ == "__main__":
    main(sys.argv[1:])
