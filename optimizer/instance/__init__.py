"""Reading instance files: YAML loading, the schema, defaults and cross-reference checks."""

from optimizer.instance.errors import InstanceError, Issue
from optimizer.instance.load import load_instance
from optimizer.instance.resolved import Instance, path_value
from optimizer.instance.validate import validate_document

__all__ = ["Instance", "InstanceError", "Issue", "load_instance", "path_value", "validate_document"]
