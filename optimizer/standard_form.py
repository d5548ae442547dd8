"""Pyomo's LinearStandardFormCompiler without scipy.

Pyomo's compiler builds its matrices with `scipy.sparse`, and importing scipy costs 0.6–1.2 s
per process here — more than building and solving a NATO-size model. HiGHS only needs the
three column-wise arrays, so this module plugs a small numpy CSC class into the compiler's hooks
(`_create_csc`, `_csc_matrix`: Pyomo made them class attributes for this purpose). A model with
fixed variables takes a path of the compiler that slices matrices; there we fall back to the
scipy-based compiler, which our models never need (they fix nothing; bounds are used instead).
"""

from __future__ import annotations

import itertools

import numpy as np
import pyomo.core as pyo
from pyomo.repn.plugins.standard_form import (
    LinearStandardFormCompiler,
    LinearStandardFormInfo,
    _LinearStandardFormCompiler_impl,
)


class _NeedsScipyError(Exception):
    """The compiler asked for an operation this small class does not provide."""


class ColumnMatrix:
    """A compressed sparse column matrix: `data`, `indices` (rows), `indptr`, `shape`."""

    def __init__(self, arrays: tuple, shape) -> None:
        data, indices, indptr = arrays
        self.data = np.asarray(data, dtype=np.float64)
        self.indices = np.asarray(indices, dtype=np.int32)
        self.indptr = np.asarray(indptr, dtype=np.int64)
        self.shape = (int(shape[0]), int(shape[1]))

    @classmethod
    def from_rows(cls, data, index, index_ptr, n_cols: int) -> ColumnMatrix:
        """From row-wise (CSR) arrays: sum duplicate entries, drop zeros, order by column."""
        n_rows = len(index_ptr) - 1
        rows = np.repeat(np.arange(n_rows, dtype=np.int64), np.diff(index_ptr))
        cols = np.asarray(index, dtype=np.int64)
        values = np.asarray(data, dtype=np.float64)
        key = cols * max(n_rows, 1) + rows
        order = np.argsort(key, kind="stable")
        key, values = key[order], values[order]
        if len(key):
            first = np.concatenate(([True], key[1:] != key[:-1]))
            starts = np.flatnonzero(first)
            values = np.add.reduceat(values, starts)
            key = key[starts]
        keep = values != 0
        key, values = key[keep], values[keep]
        cols_sorted = key // max(n_rows, 1)
        indptr = np.zeros(n_cols + 1, dtype=np.int64)
        np.cumsum(np.bincount(cols_sorted, minlength=n_cols), out=indptr[1:])
        return cls((values, key % max(n_rows, 1), indptr), (n_rows, n_cols))

    def tocsc(self) -> ColumnMatrix:
        """Already column-wise."""
        return self

    def toarray(self) -> np.ndarray:
        """A dense copy (used for the few objective rows)."""
        dense = np.zeros(self.shape)
        cols = np.repeat(np.arange(self.shape[1]), np.diff(self.indptr))
        dense[self.indices, cols] = self.data
        return dense

    def __getitem__(self, item):
        raise _NeedsScipyError


class _Impl(_LinearStandardFormCompiler_impl):
    _to_vector = staticmethod(np.fromiter)
    _csc_matrix = ColumnMatrix

    def __init__(self, config) -> None:  # skip the base's scipy hooks
        self.config = config

    def _create_csc(self, data, index, index_ptr, nnz, n_cols) -> ColumnMatrix:
        data = np.fromiter(itertools.chain.from_iterable(data), np.float64, nnz)
        index = np.fromiter(itertools.chain.from_iterable(index), np.int64, nnz)
        return ColumnMatrix.from_rows(data, index, np.asarray(index_ptr), n_cols)


def compile_standard_form(model: pyo.ConcreteModel) -> LinearStandardFormInfo:
    """The model's active objectives and constraints in mixed standard form (rows keep ≤, =, ≥)."""
    config = LinearStandardFormCompiler.CONFIG(dict(mixed_form=True))
    try:
        from pyomo.common.gc_manager import PauseGC

        with PauseGC():
            return _Impl(config).write(model)
    except _NeedsScipyError:
        return LinearStandardFormCompiler().write(model, mixed_form=True)
