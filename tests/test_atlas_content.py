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
