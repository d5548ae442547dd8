"""Names made safe as path components (`safe_slug`).

Every name that becomes part of a path (an instance's `name`, a coalition, a scenario, a swept
value) goes through `safe_slug`: an instance file is data, and data must not choose where on
the disk files are written. The manifest keeps the original names. Validation uses it too (two
names that would share a folder), so it sits in the bottom layer.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

#: Longest slug, in UTF-8 bytes: file systems allow 255 per name, and a slug is often only a
#: part of a folder's name (`<instance>-<scenario>-<coalition>-members`).
MAX_SLUG_BYTES = 60
#: Names Windows refuses as a file's stem, whatever the extension.
WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"}
    | {f"com{i}" for i in range(1, 10)}
    | {f"lpt{i}" for i in range(1, 10)}
)
#: A slug ending like one of these could be taken for a file a command writes beside the folders
#: (a coalition named `comparison.csv` or `manifest.json`), so it gets a trailing `_`.
FILE_SUFFIXES = frozenset(
    {"csv", "json", "md", "png", "xlsx", "yaml", "yml", "html", "txt", "svg", "lock", "sweep"}
)
_UNSAFE = re.compile(r"[^\w.\-]+")  # \w: letters and digits of any script, and `_`


def safe_slug(name: object, max_bytes: int = MAX_SLUG_BYTES) -> str:
    """`name` as one safe path component: letters, digits, `-`, `_` and inner dots only.

    No separator, no `..`, no leading dot (hidden), no control character, no Windows-reserved
    stem, no trailing dot or space, at most `max_bytes` UTF-8 bytes. A name that had to change
    keeps a short hash of the original, so two different names rarely give one slug
    (`unique_slugs` settles the rest).
    """
    text = unicodedata.normalize("NFC", str(name))
    slug = _UNSAFE.sub("_", text)
    slug = re.sub(r"\.{2,}", "_", slug).strip("._")  # no `..`, hidden files, or trailing dots
    if not slug:
        slug = "_"
    stem = slug.split(".")[0].lower()
    if stem in WINDOWS_RESERVED:
        slug = f"_{slug}"
    if "." in slug and slug.rsplit(".", 1)[1].lower() in FILE_SUFFIXES:
        slug = f"{slug}_"
    changed = slug != text
    budget = max_bytes - (9 if changed else 0)
    if len(slug.encode("utf-8")) > budget:
        changed = True
        budget = max_bytes - 9
        slug = slug.encode("utf-8")[:budget].decode("utf-8", "ignore").rstrip("._")
    if changed and slug != text:
        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]
        slug = f"{slug}-{digest}" if slug not in ("", "_") else f"_{digest}"
    return slug


def unique_slugs(names: list[str] | tuple[str, ...]) -> dict[str, str]:
    """Each name's slug, made unique within the list (case-insensitively, for macOS and
    Windows): a later name whose slug is taken gets `-2`, `-3`, ..."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for name in names:
        if name in out:
            continue
        base = safe_slug(name)
        slug, n = base, 1
        while slug.lower() in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug.lower())
        out[name] = slug
    return out


def folder_name(*parts: object) -> str:
    """A result folder's name from its parts (instance, scenario, coalition, ...), each a slug."""
    return "-".join(safe_slug(p) for p in parts if p is not None and p != "")
