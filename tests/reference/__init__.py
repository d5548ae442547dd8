"""Independent reference implementation of MODEL.md, used only by the tests.

`ref_model.solve_reference` builds the LP/MILP of the spec directly as sparse rows and solves it
with highspy; `check_results.check_result_folder` checks a result folder against every rule of
the spec that the result files allow. Nothing here imports `optimizer`.
"""
