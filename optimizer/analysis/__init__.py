"""Analyses built on solves: many sub-coalition solves (`runner`), and the explanations of one
answer: sensitivity (duals in domain words), fairness, infeasibility diagnosis, sweeps, reports.

Nothing here changes the model of MODEL.md; every module reads solved results or the instance.
"""
