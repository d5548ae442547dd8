"""Independent reference implementation of MODEL.md, used only by the tests.

`ref_model.solve_reference` builds the LP/MILP of the spec directly as sparse rows and solves it
with highspy; nothing in it imports `optimizer`. `check_results.check_result_folder` checks a
result folder against every rule of the spec that the result files allow, with `burden verify`'s
checker (`optimizer.verify`) and the duals' bounds on top.
"""
