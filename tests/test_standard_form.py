"""The scipy-free standard-form route: the row-to-column conversion, duplicates and zeros
included, and the compacted rows give the matrix Pyomo's own (scipy) compiler gives."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from optimizer.solver.standard_form import ColumnMatrix, compile_standard_form


def _dense_from_rows(data, index, index_ptr, n_cols) -> np.ndarray:
    dense = np.zeros((len(index_ptr) - 1, n_cols))
    for r in range(len(index_ptr) - 1):
        for k in range(index_ptr[r], index_ptr[r + 1]):
            dense[r, index[k]] += data[k]
    return dense


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.lists(st.tuples(st.integers(0, 5), st.sampled_from([0.0, 1.0, -2.5, 3.0])), max_size=6),
        max_size=6,
    )
)
def test_from_rows_equals_the_dense_sum(rows) -> None:
    """Any rows (repeated columns are summed, zeros dropped) give the same matrix in CSC."""
    data = [v for row in rows for _, v in row]
    index = [c for row in rows for c, _ in row]
    index_ptr = np.cumsum([0] + [len(row) for row in rows])
    m = ColumnMatrix.from_rows(np.array(data, float), np.array(index, np.int64), index_ptr, 6)
    assert m.shape == (len(rows), 6)
    assert np.array_equal(m.toarray(), _dense_from_rows(data, index, index_ptr, 6))
    assert not (m.data == 0).any()
    for j in range(6):  # rows ascending within each column
        rows_j = m.indices[m.indptr[j] : m.indptr[j + 1]]
        assert (np.diff(rows_j) > 0).all()


def test_compact_rows_give_pyomos_own_matrix() -> None:
    """A medium synthetic model: our compiler's arrays equal Pyomo's scipy-based compiler's."""
    pytest.importorskip("scipy")
    from pathlib import Path

    from pyomo.repn.plugins.standard_form import LinearStandardFormCompiler

    from optimizer.derive import derive
    from optimizer.instance import load_instance
    from optimizer.model import build_model

    path = Path(__file__).resolve().parent.parent / "instances" / "medium-synthetic.yaml"
    instance = load_instance(path)
    m = build_model(instance, derive(instance), instance.coalitions[instance.default_coalition])
    ours = compile_standard_form(m)
    theirs = LinearStandardFormCompiler().write(m, mixed_form=True)
    assert [id(v) for v in ours.columns] == [id(v) for v in theirs.columns]
    assert [(id(r.constraint), r.bound_type) for r in ours.rows] == [
        (id(r.constraint), r.bound_type) for r in theirs.rows
    ]
    a, b = ours.A, theirs.A.tocsc()
    b.sort_indices()
    assert np.array_equal(a.indptr, b.indptr) and np.array_equal(a.indices, b.indices)
    assert np.array_equal(a.data, b.data)
    assert np.array_equal(np.asarray(ours.rhs, float), np.asarray(theirs.rhs, float))
    assert np.array_equal(ours.c.toarray(), theirs.c.toarray())
