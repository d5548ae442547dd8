"""Pyomo's LinearStandardFormCompiler without scipy.

Pyomo's compiler builds its matrices with `scipy.sparse`, and importing scipy costs 0.6–1.2 s
per process here — more than building and solving a NATO-size model. HiGHS only needs the
three column-wise arrays, so this module plugs a small numpy CSC class into the compiler's hooks
(`_create_csc`, `_csc_matrix`: Pyomo made them class attributes for this purpose). A model with
fixed variables takes a path of the compiler that slices matrices; there we fall back to the
scipy-based compiler, which our models never need (they fix nothing; bounds are used instead).

Memory: the compiler holds every row until it builds the matrix, and compiling was the peak of a
large solve's memory. Rows are kept as flat arrays (`_CompactLinear`) and the conversion to
columns frees each intermediate; with the array overload of `passModel` (optimizer/solver/highs.py) the
large benchmark's peak before HiGHS runs fell from 4.43 to 2.91 GB (benchmarks/README.md).
"""

from __future__ import annotations

import itertools
from array import array

import numpy as np
import pyomo.core as pyo
from pyomo.repn.linear import LinearRepnVisitor
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
        """From row-wise (CSR) arrays: order by column, sum duplicate entries, drop zeros."""
        return cls.from_owned_rows([np.asarray(data), np.asarray(index)], index_ptr, n_cols)

    @classmethod
    def from_owned_rows(cls, owned: list, index_ptr, n_cols: int) -> ColumnMatrix:
        """`from_rows` of `owned = [data, index]`, which it empties to free each array early.

        Pyomo's rows have each column once, so a stable sort by column (rows stay ascending
        within a column) is the whole conversion; the general path sums duplicates.
        """
        index = owned.pop()
        n_rows = len(index_ptr) - 1
        counts = np.diff(np.asarray(index_ptr, dtype=np.int64))
        # int32 positions: half the memory of argsort's int64, the largest array here
        order = np.argsort(index, kind="stable").astype(np.int32)
        cols = index[order]
        del index
        values = np.asarray(owned.pop(), dtype=np.float64)[order]
        rows = np.repeat(np.arange(n_rows, dtype=np.int32), counts)[order]
        del order
        if len(cols) > 1 and ((cols[1:] == cols[:-1]) & (rows[1:] == rows[:-1])).any():
            return cls._summed(values, rows, cols, n_rows, n_cols)
        keep = values != 0
        if not keep.all():
            values, rows, cols = values[keep], rows[keep], cols[keep]
        indptr = np.zeros(n_cols + 1, dtype=np.int64)
        np.cumsum(np.bincount(cols, minlength=n_cols), out=indptr[1:])
        return cls((values, rows, indptr), (n_rows, n_cols))

    @classmethod
    def _summed(cls, values, rows, cols, n_rows: int, n_cols: int) -> ColumnMatrix:
        key = cols.astype(np.int64) * max(n_rows, 1) + rows
        order = np.argsort(key, kind="stable")
        key, values = key[order], values[order]
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


class _CompactLinear:
    """A row's linear part as two flat arrays (variable ids, coefficients) instead of a dict.

    Pyomo's compiler keeps every row's `repn.linear` dict alive until it builds the matrix (a
    dict entry, a float and an int object per nonzero, on top of the model). These arrays take
    16 bytes per nonzero and answer what the compiler asks of them (`len`, iterate the ids,
    `values()`). A coefficient that is not a plain number keeps Pyomo's own repn.
    """

    __slots__ = ("ids", "coefficients")

    def __init__(self, linear: dict) -> None:
        self.ids = array("Q", linear.keys())
        self.coefficients = array("d", linear.values())

    def __len__(self) -> int:
        return len(self.coefficients)

    def __iter__(self):
        return iter(self.ids)

    def values(self) -> array:
        return self.coefficients


class _CompactRepn:
    __slots__ = ("linear", "constant", "nonlinear")

    def __init__(self, linear: _CompactLinear, constant, nonlinear) -> None:
        self.linear, self.constant, self.nonlinear = linear, constant, nonlinear


class _CompactVisitor:
    """Pyomo's linear visitor, returning each repn with its linear part compacted."""

    def __init__(self, visitor: LinearRepnVisitor) -> None:
        self.visitor = visitor

    def walk_expression(self, expr):
        repn = self.visitor.walk_expression(expr)
        try:
            linear = _CompactLinear(repn.linear)
        except (TypeError, OverflowError):  # a coefficient that is not a plain number
            return repn
        return _CompactRepn(linear, repn.constant, repn.nonlinear)


class _Impl(_LinearStandardFormCompiler_impl):
    _to_vector = staticmethod(np.fromiter)
    _csc_matrix = ColumnMatrix

    def __init__(self, config) -> None:  # skip the base's scipy hooks
        self.config = config

    def _get_visitor(self, subexpression_cache, **kwds) -> _CompactVisitor:
        return _CompactVisitor(LinearRepnVisitor(subexpression_cache, **kwds))

    def _create_csc(self, data, index, index_ptr, nnz, n_cols) -> ColumnMatrix:
        # The drained arrays are handed over in a list that `from_owned_rows` empties, so that
        # it holds their only references and frees each as soon as it is used: at 12.5 M
        # nonzeros every array is 50-100 MB, and compiling is the peak of a solve's memory.
        owned = [_drain(data, np.float64, nnz), _drain(index, np.int32, nnz)]
        _return_free_memory()  # the rows' compact arrays, freed by the drains
        return ColumnMatrix.from_owned_rows(owned, index_ptr, n_cols)


def _return_free_memory() -> None:
    """Give the C heap's free pages back to the system (glibc `malloc_trim`; elsewhere a no-op).

    The rows' compact arrays live on the C heap, while the matrix's large numpy arrays are
    mapped apart from it: the pages the drained rows held would otherwise still count while the
    matrix is built. Measured at the large size together with the int32 sort positions of
    `from_owned_rows`: the compile peak fell from 2.91 to 2.87 GB.
    """
    global _MALLOC_TRIM
    if _MALLOC_TRIM is None:
        try:
            import ctypes

            _MALLOC_TRIM = ctypes.CDLL("libc.so.6").malloc_trim
        except (OSError, AttributeError):
            _MALLOC_TRIM = False
    if _MALLOC_TRIM:
        _MALLOC_TRIM(0)


_MALLOC_TRIM = None


def _drain(rows: list, dtype, nnz: int) -> np.ndarray:
    """The rows' entries as one array; the rows (the compiler's list) are emptied."""
    out = np.fromiter(itertools.chain.from_iterable(rows), dtype, nnz)
    rows.clear()
    return out


def compile_standard_form(model: pyo.ConcreteModel) -> LinearStandardFormInfo:
    """The model's active objectives and constraints in mixed standard form (rows keep ≤, =, ≥)."""
    config = LinearStandardFormCompiler.CONFIG(dict(mixed_form=True))
    try:
        from pyomo.common.gc_manager import PauseGC

        with PauseGC():
            return _Impl(config).write(model)
    except _NeedsScipyError:
        return LinearStandardFormCompiler().write(model, mixed_form=True)
