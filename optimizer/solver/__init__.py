"""Every call into HiGHS: the standard-form compiler (`standard_form.py`), solves and re-solves
(`highs.py`), and the infeasibility tools (`diagnose.py`: IIS and the elastic re-solve)."""
