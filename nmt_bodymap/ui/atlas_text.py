"""The atlas browser's text about a muscle, as HTML in the colours of the current theme.

The sheet for print (:mod:`nmt_bodymap.render.atlas_sheet`) has fixed
colours for paper; on screen the headings and muted text take their colours
from the palette (:mod:`nmt_bodymap.ui.theme`), so they stay readable in the
dark theme. "Rule out first" comes before everything else, and every
trigger point says how often the literature finds it.
"""

from __future__ import annotations

from functools import partial
from html import escape

from PySide6.QtGui import QPalette

from nmt_bodymap.atlas import CAUSES, PREVALENCE, SELF_CARE_KINDS, Muscle, TriggerPoint
from nmt_bodymap.ui.page_parts import list_html, rule_out_html, section_html
from nmt_bodymap.ui.theme import heading_color, muted_color


def prevalence_words(trp: TriggerPoint) -> str:
    """How common a trigger point is, in words ("a very common trigger point"), or ""."""
    return PREVALENCE.get(trp.prevalence, "")


def prevalence_short(trp: TriggerPoint) -> str:
    """The prevalence class for a narrow column: "very common", "rare", or "not given"."""
    return {"very-common": "very common", "common": "common", "less-common": "less common", "rare": "rare"}.get(
        trp.prevalence, "not given"
    )


def muscle_html(muscle: Muscle, palette: QPalette) -> str:
    """Everything the atlas says about ``muscle``, headed in the palette's heading colour."""
    head = heading_color(palette).name()
    muted = muted_color(palette).name()
    section = partial(section_html, head=head)
    items = list_html

    note = " (before treating this pattern as myofascial)"
    parts = [rule_out_html(muscle.rule_out, palette, note)] if muscle.rule_out else []
    parts.append(section("Referral pattern", f"<p>{escape(muscle.referral)}</p>"))
    trps = []
    for t in muscle.trigger_points:
        line = f"<b>{escape(t.label)}</b>: {escape(t.location)}"
        words = prevalence_words(t)
        if words:
            basis = f" <span style='color:{muted}'>{escape(t.prevalence_basis)}</span>" if t.prevalence_basis else ""
            line += f"<br><i>{escape(words[:1].upper() + words[1:])}.</i>{basis}"
        trps.append(line)
    parts.append(section("Trigger points", items(trps)))
    parts.append(section("Symptoms", items([escape(s) for s in muscle.symptoms])))
    causes = [
        f"<b>{CAUSES[p.cause]}</b>: {escape(p.text)}" for c in CAUSES for p in muscle.perpetuating if p.cause == c
    ]
    parts.append(section("Perpetuating factors", items(causes)))
    if muscle.entrapments:
        ent = [f"<b>{escape(e.nerve)}</b> ({escape(e.site)}): {escape(e.symptoms)}" for e in muscle.entrapments]
        parts.append(section("Nerve entrapment", items(ent)))
    care = [
        f"<b>{SELF_CARE_KINDS[s.kind]}</b>: {escape(s.text)}"
        for k in SELF_CARE_KINDS
        for s in muscle.self_care
        if s.kind == k
    ]
    parts.append(section("Self-care", items(care)))
    parts.append(
        section(
            "Innervation and actions",
            f"<p>{escape(muscle.innervation)}.</p>" + items([escape(a) for a in muscle.actions]),
        )
    )
    src = [escape(s.citation) + (f" &lt;{escape(s.url)}&gt;" if s.url else "") for s in muscle.sources]
    parts.append(section("Sources", f"<div style='color:{muted}'>{items(src)}</div>"))
    return "".join(parts)


__all__ = ["muscle_html", "prevalence_short", "prevalence_words"]
