"""Result tables: extraction from a solve, and writing result folders."""

from optimizer.results.extract import Result, extract
from optimizer.results.write import ResultExistsError, write_result

__all__ = ["Result", "ResultExistsError", "extract", "write_result"]
