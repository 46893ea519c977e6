"""The ranking formula: every term, its constant, and the words that explain it.

A trigger point's score for a drawing (or for one complaint of it)::

    score = 100 × prevalence × explained × pattern, then palpation

* **pain**: every mark's area counts by the square of its intensity out of
  ten, so an 8/10 pain counts four times a 4/10 pain of the same size and a
  small intense pain is not outweighed by a large mild one. Overlapping
  marks count once, at the higher intensity; a body surface drawn in two
  views counts once.
* **explained**: the share of the pain the trigger point's pattern covers,
  its essential zone (where nearly everyone with it feels pain) fully and
  its spillover zone (where some do) by half: ``e + s/2``. Half of the term
  comes from the whole muscle on that side instead, when the muscle's
  trigger points together cover more (``(e + s/2)/2 + (E + S/2)/2``, with
  ``E``, ``S`` the shares inside the union of the muscle's zones): a
  muscle's trigger points are often active together, and the pain guides
  draw a muscle's patterns as one.
* **pattern** = 1/2 + 1/2 × min(1, 4 f), *f* being the share of the
  essential zone that is painted. Clients draw the worst part of a pattern,
  not all of it, so a quarter of the zone painted counts as the pattern
  drawn; an essential zone left almost empty halves the score. A small zone
  that one mark fills gains nothing over a large pattern drawn in part:
  what decides between them is how much of the pain each explains.
* **prevalence**: how often the literature finds the trigger point (very
  common ×1.25, common ×1, less common ×0.8, rare ×0.6); a trigger point
  without a documented class counts as common.
* **palpation** last: *active* (reproduces the client's pain) gives
  score × 1.5 + 20; *latent* × 1.1; *not tender* × 0.25.

Pain drawn over the trigger point itself is shown, but adds nothing: pain
under a spot is what any muscle there could give, while pain the pattern
explains away from its trigger point is the evidence the literature
reasons from. Ties break by the trigger point's key, so the same drawing
always gives the same list.

Numbness, tingling and burning are also scored against the skin of every
peripheral nerve (its own and its branches') and every dermatome, on each
side, and against the skin a compression at each entrapment site affects
(the nerve's territory less the branches the site spares)::

    territory score = 100 × explains × √painted

* **explains**: the share of the paresthesia (weighted like pain, one
  surface counted once) inside the territory; the rest falls outside it;
* **painted**: the share of the territory marked. Clients mark part of a
  territory, so the score takes its square root: a small territory filled
  outranks a large one touched when both explain the same paresthesia (the
  ulnar nerve before the lower trunk it comes from, the C8 dermatome before
  a whole plexus), while how much each explains still counts twice as much
  (the score is the weighted geometric mean ``explains² × painted``, square
  rooted). 100 means the marks fill the territory and nothing lies outside.

An entrapment site scores like its affected skin, ×1.1 when its muscle's
trigger points rank in the top ten for the drawing (the muscle may be the
one catching the nerve): enough to put a muscle's site before sites whose
skin fits alike, not to outrank a site whose skin fits clearly better (the
carpal tunnel, sparing the unmarked thenar skin, before the flexor
digitorum superficialis arch). Sites scoring alike come muscle sites first,
then in the nerve file's order. :data:`HELP_TEXT` says
all this for the app's help (F1) and the README.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

#: Each mark's area counts by (intensity / 10) ** INTENSITY_POWER (intensity 0 counts as 1).
INTENSITY_POWER = 2
SPILLOVER_WEIGHT = 0.5
#: The share of the explained term that comes from the whole muscle (all its trigger points on that side).
MUSCLE_WEIGHT = 0.5
#: The share of an essential zone that counts as the whole pattern drawn.
PATTERN_DRAWN = 1 / 4
#: The pattern factor when nothing of the essential zone is painted.
PATTERN_FLOOR = 0.5
ACTIVE_FACTOR, ACTIVE_BONUS = 1.5, 20.0
LATENT_FACTOR = 1.1
NOT_TENDER_FACTOR = 0.25
#: How often the literature finds a trigger point (keys of atlas.model.PREVALENCE).
PREVALENCE_FACTOR: dict[str, float] = {"very-common": 1.25, "common": 1.0, "less-common": 0.8, "rare": 0.6}
DEFAULT_PREVALENCE = "common"

#: Territories and entrapment sites explaining less than this share of the paresthesia are not listed.
MIN_EXPLAINED = 0.02
#: An entrapment site whose muscle's trigger points rank in the top ten for the drawing.
ENTRAPMENT_BOOST = 1.1
ENTRAPMENT_BOOST_RANK = 10

HELP_TEXT = """\
Every trigger point in the atlas, on each side, is scored against the whole drawing and against each \
complaint in it:

score = 100 × prevalence × explained × pattern, then palpation

• Pain: each mark's area counts by the square of its intensity (an 8/10 pain counts four times a 4/10 \
pain of the same size), so a small intense pain is not outweighed by a large mild one. Overlapping marks \
count once, at the higher intensity; a body surface drawn in two views counts once.
• Explained: the share of the pain inside the trigger point's essential zone, plus half the share inside \
its spillover zone. Half of this term comes from the whole muscle on that side when its trigger points \
together explain more: a muscle's trigger points are often active together.
• Pattern: clients draw the worst part of a pattern, not all of it, so a quarter of the essential zone \
painted counts as the pattern drawn (×1); an essential zone left almost empty lowers the score to ×½. \
A small zone that one mark fills gains nothing over a large pattern drawn in part: what decides between \
them is how much of the pain each explains.
• Prevalence: how often the literature finds the trigger point: very common ×1.25, common ×1, \
less common ×0.8, rare ×0.6.
• Palpation: active (reproduces the client's pain) ×1.5 +20; latent ×1.1; not tender ×0.25.

Pain drawn over a trigger point itself is shown but adds nothing: the evidence is the pain its pattern \
explains away from it.

Marks of one kind (pain, or numbness, tingling and burning) that touch or lie close on the body form one \
complaint, ranked on its own as well as in the whole drawing. "Rule out first" names the conditions to \
exclude before treating.

Numbness, tingling and burning are also scored against the skin of every peripheral nerve (its own and its \
branches') and every dermatome (nerve root), on each side:

territory score = 100 × explains × √painted

• Explains: the share of the numbness, tingling and burning inside the territory (weighted by intensity \
like pain); the rest falls outside it.
• Painted: the share of the territory marked. Clients mark part of a territory, hence the square root: a \
small territory filled outranks a large one touched when both explain the same marks (the ulnar nerve \
before the lower trunk of the plexus it comes from), while how much each explains counts more. 100 means \
the marks fill the territory and nothing lies outside it.

Peripheral nerves and dermatomes are listed apart, each best first. Entrapment sites are ranked from the \
nerves that fit: a site scores like the skin a compression there numbs (the nerve's territory less the \
branches that leave above it: the carpal tunnel spares the skin over the thenar eminence), ×1.1 when its \
muscle's trigger points rank in the top ten for the drawing. The differential says in words which fits \
better, the best nerve or the best dermatome, and the body part that tells them apart."""


def intensity_weight(intensity: int) -> float:
    """How much a mark's area counts for its intensity (0-10)."""
    return float((max(intensity, 1) / 10.0) ** INTENSITY_POWER)


def prevalence_factor(prevalence: str) -> float:
    return PREVALENCE_FACTOR.get(prevalence or DEFAULT_PREVALENCE, 1.0)


def pattern_factor(zone_painted: np.ndarray) -> np.ndarray:
    """1/2 with nothing of the essential zone painted, rising to 1 at a quarter painted."""
    return PATTERN_FLOOR + (1 - PATTERN_FLOOR) * np.minimum(1.0, zone_painted / PATTERN_DRAWN)


def explained(
    essential: np.ndarray, spillover: np.ndarray, muscle_essential: np.ndarray, muscle_spillover: np.ndarray
) -> np.ndarray:
    """The explained term: the trigger point's own share, half of it replaced by the whole muscle's when larger."""
    own = essential + SPILLOVER_WEIGHT * spillover
    whole = muscle_essential + SPILLOVER_WEIGHT * muscle_spillover
    return (1 - MUSCLE_WEIGHT) * own + MUSCLE_WEIGHT * np.maximum(own, whole)


def score(
    essential: np.ndarray,
    spillover: np.ndarray,
    zone_painted: np.ndarray,
    prevalence: np.ndarray,
    muscle_essential: np.ndarray,
    muscle_spillover: np.ndarray,
) -> np.ndarray:
    """Scores before palpation (arrays over candidates)."""
    term = explained(essential, spillover, muscle_essential, muscle_spillover)
    return 100.0 * prevalence * term * pattern_factor(zone_painted)


def territory_score(explains: np.ndarray, painted: np.ndarray) -> np.ndarray:
    """A territory's score: 100 × explains × √painted (arrays of shares, 0..1)."""
    return 100.0 * np.clip(explains, 0.0, 1.0) * np.sqrt(np.clip(painted, 0.0, 1.0))


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
