"""The shipped atlas: every muscle the atlas issues list, valid, with its parts named."""

from __future__ import annotations

import pytest

from nmt_bodymap.atlas import shipped_atlas

EXPECTED = {
    "head-neck": """trapezius sternocleidomastoid masseter temporalis medial-pterygoid lateral-pterygoid digastric
        orbicularis-oculi zygomaticus-major platysma buccinator occipitofrontalis splenius-capitis splenius-cervicis
        semispinalis-capitis semispinalis-cervicis cervical-multifidi suboccipitals longus-colli levator-scapulae
        scalenes""",
    "shoulder-chest": """supraspinatus infraspinatus teres-minor teres-major latissimus-dorsi subscapularis rhomboids
        deltoid pectoralis-major pectoralis-minor sternalis subclavius serratus-anterior serratus-posterior-superior""",
    "arm-hand": """coracobrachialis biceps-brachii brachialis triceps-brachii anconeus brachioradialis
        extensor-carpi-radialis-longus extensor-carpi-radialis-brevis extensor-carpi-ulnaris extensor-digitorum
        extensor-indicis supinator palmaris-longus flexor-carpi-radialis flexor-carpi-ulnaris
        flexor-digitorum-superficialis flexor-digitorum-profundus flexor-pollicis-longus pronator-teres
        adductor-pollicis opponens-pollicis first-dorsal-interosseous hand-interossei abductor-digiti-minimi-hand""",
    "trunk": """serratus-posterior-inferior iliocostalis-thoracis iliocostalis-lumborum longissimus-thoracis
        thoracolumbar-multifidi rectus-abdominis external-oblique internal-oblique transversus-abdominis pyramidalis
        intercostals diaphragm quadratus-lumborum iliopsoas""",
    "pelvis-hip": """levator-ani coccygeus obturator-internus gluteus-maximus gluteus-medius gluteus-minimus piriformis
        tensor-fasciae-latae sartorius""",
    "leg-foot": """rectus-femoris vastus-medialis vastus-intermedius vastus-lateralis adductor-longus adductor-brevis
        adductor-magnus gracilis pectineus biceps-femoris semitendinosus semimembranosus popliteus tibialis-anterior
        peroneus-longus peroneus-brevis peroneus-tertius gastrocnemius soleus plantaris tibialis-posterior
        extensor-digitorum-longus extensor-hallucis-longus flexor-digitorum-longus flexor-hallucis-longus
        extensor-digitorum-brevis extensor-hallucis-brevis abductor-hallucis flexor-digitorum-brevis
        abductor-digiti-minimi-foot quadratus-plantae flexor-hallucis-brevis adductor-hallucis foot-interossei""",
}


@pytest.fixture(scope="module")
def atlas():
    return shipped_atlas()


def test_the_shipped_atlas_is_valid(atlas):
    assert atlas.problems == [], [str(p) for p in atlas.problems[:10]]
    assert atlas.skipped == []


@pytest.mark.parametrize("group", sorted(EXPECTED))
def test_every_listed_muscle_is_there(atlas, group):
    ids = set(EXPECTED[group].split())
    missing = ids - set(atlas.muscles)
    assert not missing, missing
    assert {m.group for mid, m in atlas.muscles.items() if mid in ids} == {group}


def test_about_120_muscles(atlas):
    assert len(atlas.muscles) >= 115
    assert atlas.trigger_point_count >= 200


@pytest.mark.parametrize(
    "muscle, parts",
    [
        ("trapezius", ["upper", "middle", "lower"]),
        ("sternocleidomastoid", ["sternal", "clavicular"]),
        ("deltoid", ["anterior", "middle", "posterior"]),
        ("scalenes", ["anterior", "middle", "posterior", "minimus"]),
        ("occipitofrontalis", ["frontalis", "occipitalis"]),
        ("masseter", ["superficial", "deep"]),
        ("gluteus-minimus", ["anterior", "posterior"]),
        ("iliopsoas", ["psoas", "iliacus"]),
    ],
)
def test_a_muscles_parts_are_named_in_its_trigger_point_labels(atlas, muscle, parts):
    labels = " ".join(t.label.lower() for t in atlas.muscle(muscle).trigger_points)
    for part in parts:
        assert part in labels, (muscle, part, labels)


def test_vastus_lateralis_has_all_its_classic_sites(atlas):
    assert len(atlas.muscle("vastus-lateralis").trigger_points) >= 5


def test_every_trigger_point_has_a_located_essential_pattern(atlas):
    for s in atlas.sided:
        assert s.points, s.key
        assert s.essential, s.key
        assert s.essential_area > 0, s.key


def test_every_muscle_has_text_for_therapist_and_client(atlas):
    for m in atlas.muscles.values():
        assert len(m.referral) > 60, m.id
        assert m.self_care and all(len(s.text) > 20 for s in m.self_care), m.id
        assert m.perpetuating and m.sources and m.symptoms, m.id


def test_muscle_names_are_in_sentence_case(atlas):
    """One style across the atlas: "Pectoralis minor", not "Pectoralis Minor"."""
    shouting = [
        m.name for m in atlas.muscles.values() if any(w[:1].isupper() and w[1:].islower() for w in m.name.split()[1:])
    ]
    assert shouting == []


# Landmarks beside a nerve-and-vessel bundle (referral_maps/README.md, "Self-care that cannot hurt", rule 4).
NECK = {"side-of-neck", "throat", "sternal-notch", "suboccipital", "back-of-neck"}
NEAR_BUNDLE = NECK | {
    "armpit",
    "coracoid",
    "groin",
    "buttock",
    "ischial-tuberosity",
    "back-of-knee",
    "antecubital",
    "medial-epicondyle",
    "volar-wrist",
    "volar-forearm",
}


def test_self_care_near_a_nerve_or_vessel_says_when_to_stop(atlas):
    missing = []
    for m in atlas.muscles.values():
        nears = {t.near for t in m.trigger_points}
        for care in m.self_care:
            presses = care.kind == "self-massage" and nears & NEAR_BUNDLE
            stretches_neck = care.kind == "stretch" and nears & NECK
            text = care.text.lower()
            if (presses or stretches_neck) and not ("stop" in text and ("numb" in text or "tingl" in text)):
                missing.append(f"{m.id} ({care.kind})")
    assert not missing, "self-care that should say when to stop: " + ", ".join(missing)


def test_the_named_mimics_are_ruled_out_first(atlas):
    words = {
        "angina": "pectoralis-major pectoralis-minor sternalis diaphragm serratus-anterior scalenes",
        "appendic": "rectus-abdominis external-oblique internal-oblique transversus-abdominis",
        "thrombosis": "gastrocnemius soleus plantaris popliteus tibialis-posterior",
        "cauda equina": "quadratus-lumborum iliocostalis-lumborum longissimus-thoracis coccygeus levator-ani",
    }
    for word, muscles in words.items():
        for mid in muscles.split():
            text = " ".join(f"{r.condition} {r.signs}" for r in atlas.muscle(mid).rule_out).lower()
            assert word in text, f"{mid} does not rule out {word}"


def test_every_trigger_point_has_a_prevalence_class_and_its_basis(atlas):
    from nmt_bodymap.atlas import PREVALENCE

    for m in atlas.muscles.values():
        for t in m.trigger_points:
            assert t.prevalence in PREVALENCE, (m.id, t.id)
            assert t.prevalence_basis, (m.id, t.id)
    very = {(m.id, t.id) for m in atlas.muscles.values() for t in m.trigger_points if t.prevalence == "very-common"}
    assert ("trapezius", "trp1") in very
    assert atlas.muscle("gluteus-medius").trigger_point("trp3").prevalence == "less-common"
