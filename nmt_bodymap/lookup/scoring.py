"""The ranking formula: every term, its constant, and the words that explain it.

A trigger point's score for a drawing (or one complaint of it):

    score = 100 × prevalence × explained × pattern  (+ 10 when pain is drawn over the trigger point)

* **pain**: every mark's area counts by the square of its intensity out of
  ten, so an 8/10 pain counts four times a 4/10 pain of the same size and a
  small intense pain is not outweighed by a large mild one. Overlapping
  marks count once, at the higher intensity; a body surface drawn in two
  views counts once.
* **explained** = e + s/2: *e* is the share of the pain inside the trigger
  point's essential zone (where nearly everyone with it feels pain), *s* the
  share inside its spillover zone (where some do), which counts half.
* **pattern** = 1/2 + 1/2 × min(1, 3 f), *f* being the share of the
  essential zone that is painted. Clients draw the worst part of a pattern,
  not all of it, so a third of the zone painted counts as the pattern
  drawn; an essential zone left almost empty halves the score. A small zone
  that one disc fills gains nothing over a large pattern drawn in part:
  what decides between them is how much of the pain each explains.
* **prevalence**: how often the literature finds the trigger point
  (very common ×1.25, common ×1, less common ×0.8, rare ×0.6); a trigger
  point without a documented class counts as common.
* **palpation** last: *active* (reproduces the client's pain) gives
  score × 1.5 + 20; *latent* × 1.1; *not tender* × 0.25.

Ties break by the trigger point's key, so the same drawing always gives the
same list. :data:`HELP_TEXT` says the same for the app's help and the README.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

#: Each mark's area counts by (intensity / 10) ** INTENSITY_POWER (intensity 0 counts as 1).
INTENSITY_POWER = 2
SPILLOVER_WEIGHT = 0.5
#: The share of an essential zone that counts as the whole pattern drawn.
PATTERN_DRAWN = 1 / 3
PATTERN_FLOOR = 0.5
TRP_BONUS = 10.0
ACTIVE_FACTOR, ACTIVE_BONUS = 1.5, 20.0
LATENT_FACTOR = 1.1
NOT_TENDER_FACTOR = 0.25
#: How often the literature finds a trigger point (keys of atlas.model.PREVALENCE).
PREVALENCE_FACTOR: dict[str, float] = {"very-common": 1.25, "common": 1.0, "less-common": 0.8, "rare": 0.6}
DEFAULT_PREVALENCE = "common"

HELP_TEXT = """\
Every trigger point in the atlas, on each side, is scored against the drawing \
(or against one complaint of it):

score = 100 × prevalence × explained × pattern, +10 when pain is drawn over the trigger point itself

• Pain: each mark's area counts by the square of its intensity (an 8/10 pain counts four times a 4/10 \
pain of the same size), so a small intense pain is not outweighed by a large mild one. Overlapping marks \
count once, at the higher intensity; a body surface drawn in two views counts once.
• Explained: the share of the pain inside the trigger point's essential zone, plus half the share inside \
its spillover zone.
• Pattern: clients draw the worst part of a pattern, not all of it, so a third of the essential zone \
painted counts as the pattern drawn (×1); an essential zone left almost empty lowers the score to ×½. \
A small zone that one mark fills gains nothing over a large pattern drawn in part: what decides between \
them is how much of the pain each explains.
• Prevalence: how often the literature finds the trigger point: very common ×1.25, common ×1, \
less common ×0.8, rare ×0.6.
• Palpation: active (reproduces the client's pain) ×1.5 +20; latent ×1.1; not tender ×0.25.

Marks of the same kind (pain, or numbness, tingling and burning) that touch or lie close on the same body \
surface form one complaint; each complaint is ranked on its own as well as the whole drawing. Numbness, \
tingling and burning also list nerve entrapments."""


def intensity_weight(intensity: int) -> float:
    """How much a mark's area counts for its intensity (0-10)."""
    return float((max(intensity, 1) / 10.0) ** INTENSITY_POWER)


def prevalence_factor(prevalence: str) -> float:
    return PREVALENCE_FACTOR.get(prevalence or DEFAULT_PREVALENCE, 1.0)


def pattern_factor(zone_painted: np.ndarray) -> np.ndarray:
    """1/2 with nothing of the essential zone painted, rising to 1 at a third painted."""
    return PATTERN_FLOOR + (1 - PATTERN_FLOOR) * np.minimum(1.0, zone_painted / PATTERN_DRAWN)


def score(
    essential: np.ndarray,
    spillover: np.ndarray,
    zone_painted: np.ndarray,
    prevalence: np.ndarray,
    over_trp: np.ndarray,
) -> np.ndarray:
    """Scores before palpation (arrays over candidates)."""
    explained = essential + SPILLOVER_WEIGHT * spillover
    return 100.0 * prevalence * explained * pattern_factor(zone_painted) + np.where(over_trp, TRP_BONUS, 0.0)


def palpation_terms(findings: Mapping[str, str], index_of: Mapping[str, int], n: int) -> tuple[np.ndarray, np.ndarray]:
    """Per trigger point, the factor and the bonus its palpation finding gives (1 and 0 when unpalpated)."""
    factor, bonus = np.ones(n), np.zeros(n)
    for key, finding in findings.items():
        i = index_of.get(key)
        if i is None:
            continue
        if finding == "active":
            factor[i], bonus[i] = ACTIVE_FACTOR, ACTIVE_BONUS
        elif finding == "latent":
            factor[i] = LATENT_FACTOR
        elif finding == "not-tender":
            factor[i] = NOT_TENDER_FACTOR
    return factor, bonus
