"""Small helpers that put the lookup's numbers and names into a therapist's words."""

from __future__ import annotations

import re


def pct(share: float) -> str:
    """A share as therapists write it: ``70 %``."""
    return f"{share * 100:.0f} %"


def short_site_name(name: str) -> str:
    """A site's name inside a sentence: ``Pronator teres (pronator syndrome)`` -> ``pronator teres``."""
    text = re.sub(r"\s*\([^)]*\)", "", name).strip()
    first = text.split(" ", 1)[0]
    if first.endswith("'s") or (len(first) > 1 and first[1].isupper()):
        return text  # a name (Guyon's canal) or an abbreviation keeps its capital
    return text[:1].lower() + text[1:]


def join_words(parts: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]
