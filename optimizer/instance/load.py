"""Reading an instance file: its YAML with line numbers (`loader.py`), validated and resolved
(`validate.py`), stamped with the file's path and sha256 (the manifest's proof of input)."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

from optimizer.instance.loader import load_yaml
from optimizer.instance.resolved import Instance
from optimizer.instance.validate import validate_document


def load_instance(path: Path | str) -> Instance:
    """Read, validate and resolve an instance file.

    Raises:
        InstanceError: with every problem found, each naming the field path and line.
    """
    path = Path(path)
    document, smap = load_yaml(path)
    instance = validate_document(document, smap, path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return replace(instance, file=path, sha256=digest)
