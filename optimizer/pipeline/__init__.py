"""Everything that orchestrates solves: one solve (load, derive, build, solve, extract, analyse)
in `one.py` and its folder (tables, report, manifest) in `folder.py`, many solves (re-solves by
bounds, worker processes, Dask, resume, sweep points, coalition sets) in the other modules;
`diagnose.py` builds the model of an infeasible coalition and runs its diagnosis."""
