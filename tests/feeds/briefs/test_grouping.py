"""Same-story grouping: the pure decision, then assign_stories on both databases."""

from datetime import timedelta

import sqlalchemy as sa

from feeds.briefs.concepts import concept_of
from feeds.briefs.grouping import (
    THRESHOLD,
    Rarity,
    _counts_conflict,
    _elsewhere,
    _numbers,
    assign_stories,
    choose_story,
    cluster,
    fingerprint,
    has_evidence,
    is_copy,
    pair_score,
    similarity,
)
from feeds.briefs.text import stem
from feeds.models import ArticleKey, ConceptCount, Story
from feeds.store import Store
from feeds.timeutil import utcnow
from tests.support.articles import add_article, add_feed, story_of

NOW = utcnow()

TROOPS_EN = (
    "Sheinbaum rejects U.S. military help against cartels",
    "Mexican President Claudia Sheinbaum on Tuesday turned down an offer to send U.S. troops "
    "into Mexico to fight drug cartels, saying cooperation would stay limited to intelligence.",
)
TROOPS_ES = (
    "Sheinbaum rechaza el envío de tropas de EU contra los cárteles",
    "La presidenta Claudia Sheinbaum rechazó este martes la propuesta de Estados Unidos de "
    "enviar tropas a México para combatir a los cárteles.",
)
TROOPS_EN_2 = (
    "Mexico rebuffs Trump offer of troops to fight cartels",
    "Mexico's president rejected President Donald Trump's offer of U.S. military forces to "
    "confront drug cartels, insisting that Mexican sovereignty is not negotiable.",
)
PARTY = (
    "Gunmen kill six at a party in Mexico's Culiacán",
    "Gunmen stormed a party in the Mexican city of Culiacán early on Sunday and killed six "
    "people, Sinaloa state prosecutors said.",
)
PARTY_ES = (
    "Ataque armado en una fiesta deja seis muertos en Culiacán",
    "Hombres armados irrumpieron la madrugada de este domingo en una fiesta en Culiacán y "
    "asesinaron a seis personas, informó la Fiscalía de Sinaloa.",
)
AMBUSH = (
    "Four police officers killed in ambush near Culiacán",
    "Attackers ambushed a state police patrol on the road to Imala outside Culiacán on "
    "Thursday, killing four officers, Sinaloa's public security ministry said.",
)
BOOK_FAIR = (
    "Culiacán opens its book fair with 200 publishers",
    "The Culiacán Book Fair opened with 200 publishers and a tribute to the Sinaloan poet "
    "Gilberto Owen.",
)


# In a store that follows Mexico security, these are everyday words (counts
# among 200 grouped articles): sharing them says little.
SECURITY_DESK = Rarity(
    {"culiac": 40, "sinalo": 50, "kill": 60, "gunmen": 30, "attack": 40, "police": 30,
     "state": 50, "mexico": 80, "us": 70, "president": 40},
    total=200,
)  # fmt: skip


def fp(pair, hours=0.0, **extra):
    return fingerprint(*pair, at=NOW + timedelta(hours=hours), **extra)


# The pure decision.


def test_one_story_in_two_languages_is_similar():
    assert similarity(fp(TROOPS_EN), fp(TROOPS_ES), SECURITY_DESK) >= THRESHOLD
    assert similarity(fp(PARTY), fp(PARTY_ES), SECURITY_DESK) >= THRESHOLD


def test_different_events_in_the_same_city_are_not():
    """The must-not-merge case: same place (and killings), different events."""
    assert similarity(fp(PARTY), fp(AMBUSH), SECURITY_DESK) < THRESHOLD / 1.5
    assert similarity(fp(PARTY), fp(BOOK_FAIR), SECURITY_DESK) < THRESHOLD / 3
    assert similarity(fp(AMBUSH), fp(BOOK_FAIR), SECURITY_DESK) < THRESHOLD / 3


def test_conflicting_figures_in_titles_lower_the_similarity():
    six, four = fp(PARTY), fp(AMBUSH)
    assert (six.numbers, four.numbers) == ({"6"}, {"4"})  # words and digits alike
    assert fp(("3,000 migrants leave Tapachula", "")).numbers == {"3000"}
    assert fp(("Salen 3 mil migrantes de Tapachula", "")).numbers == {"3000"}
    assert fp(("Elección judicial 2027", "")).numbers == frozenset()  # a year


def test_cluster_keeps_events_apart_and_languages_together():
    prints = [fp(PARTY), fp(TROOPS_EN, 1), fp(PARTY_ES, 2), fp(AMBUSH, 3), fp(TROOPS_ES, 4),
              fp(BOOK_FAIR, 5), fp(TROOPS_EN_2, 6)]  # fmt: skip
    labels = cluster(prints)
    assert labels[0] == labels[2]  # the party, English and Spanish
    assert labels[1] == labels[4] == labels[6]  # the troops, three outlets
    assert len({labels[0], labels[1], labels[3], labels[5]}) == 4


def test_wire_copies_are_the_same_story_whatever_the_title():
    body = " ".join(f"word{i}" for i in range(100))
    a = fingerprint("Mexico seizes fentanyl", "Soldiers raided a lab.", body, at=NOW)
    b = fingerprint("Record drug haul in the mountains", "Soldiers raided a lab.", body, at=NOW)
    assert is_copy(a, b)
    assert pair_score(a, b) == (1.0, "copy of the same text")
    later = fingerprint("Mexico seizes fentanyl", "Soldiers raided a lab.", body,
                        at=NOW + timedelta(days=5))  # fmt: skip
    assert pair_score(a, later) == (0.0, "too far apart in time")


def test_same_url_wins():
    a = fp(PARTY, url="https://example.org/x")
    b = fp(BOOK_FAIR, 100, url="https://example.org/x")
    assert pair_score(a, b) == (1.0, "same URL")


def test_rarity_discounts_common_concepts():
    rarity = Rarity({"mexico": 900, "tlajomulco": 1}, total=1000)
    assert rarity("tlajomulco") > 0.8 > 0.05 > rarity("mexico")
    assert rarity("never-seen") == 1.0


def test_a_new_store_does_not_call_a_storys_own_words_common():
    young = Rarity({"sheinbaum": 2}, total=2)  # the first two articles of one story
    assert young("sheinbaum") > 0.7  # without the prior: 0.1


def test_choose_story_blends_best_and_average_match():
    current = fp(TROOPS_EN_2, 2)
    stories = {1: [fp(TROOPS_EN), fp(TROOPS_ES, 1)], 2: [fp(PARTY), fp(AMBUSH)]}
    decision = choose_story(current, stories)
    assert decision.story == 1 and decision.reason == "similar title and opening"
    assert choose_story(fp(BOOK_FAIR), stories).story is None


# The pipeline, on SQLite and PostgreSQL.


def test_assign_stories_groups_outlets_and_languages(store: Store):
    wire, diario, herald = (add_feed(store, n) for n in ("Wire", "Diario", "Herald"))
    en = add_article(store, wire, *TROOPS_EN, at=NOW - timedelta(hours=3))
    es = add_article(store, diario, *TROOPS_ES, at=NOW - timedelta(hours=2))
    en2 = add_article(store, herald, *TROOPS_EN_2, at=NOW - timedelta(hours=1))
    party = add_article(store, wire, *PARTY, at=NOW - timedelta(hours=1))
    assert store.count_ungrouped() == 4
    assert assign_stories(store) == 4
    assert story_of(store, en) == story_of(store, es) == story_of(store, en2)
    assert story_of(store, party) != story_of(store, en)
    story = store.get_story(story_of(store, en))
    assert (story.article_count, story.source_count) == (3, 3)
    assert story.first_seen_at == NOW - timedelta(hours=3)
    assert story.last_seen_at == NOW - timedelta(hours=1)
    assert story.headline == TROOPS_EN[0]
    assert store.count_ungrouped() == 0
    assert assign_stories(store) == 0  # nothing left to do


def test_must_not_merge_events_sharing_a_place(store: Store):
    feed, other = add_feed(store, "La Voz"), add_feed(store, "Wire")
    party = add_article(store, feed, *PARTY, at=NOW - timedelta(hours=30))
    ambush = add_article(store, other, *AMBUSH, at=NOW - timedelta(hours=5))
    fair = add_article(store, feed, *BOOK_FAIR, at=NOW - timedelta(hours=4))
    party_es = add_article(store, other, *PARTY_ES, at=NOW - timedelta(hours=29))
    assign_stories(store)
    assert len({story_of(store, a) for a in (party, ambush, fair)}) == 3
    assert story_of(store, party_es) == story_of(store, party)


def test_same_canonical_url_from_two_feeds(store: Store):
    a, b = add_feed(store, "A"), add_feed(store, "B")
    first = add_article(store, a, *PARTY, canonical_url="https://example.org/story")
    second = add_article(store, b, *BOOK_FAIR, canonical_url="https://example.org/story")
    assign_stories(store)
    assert story_of(store, first) == story_of(store, second)


def test_later_articles_join_an_existing_story(store: Store):
    a, b = add_feed(store, "A"), add_feed(store, "B")
    first = add_article(store, a, *TROOPS_EN, at=NOW - timedelta(hours=5))
    assert assign_stories(store) == 1
    later = add_article(store, b, *TROOPS_ES, at=NOW)
    assert assign_stories(store) == 1
    assert story_of(store, later) == story_of(store, first)
    assert store.get_story(story_of(store, first)).source_count == 2


def test_grouping_writes_keys_and_counts(store: Store):
    feed = add_feed(store, "A")
    article = add_article(store, feed, *TROOPS_EN)
    assign_stories(store)
    with store.session() as session:
        keys = session.execute(sa.select(ArticleKey).where(ArticleKey.article_id == article))
        keys = keys.scalars().all()
        total = session.get(ConceptCount, "")
        sheinbaum = session.get(ConceptCount, "sheinb")  # a long name: its cognate prefix
    assert keys and {k.story_id for k in keys} == {story_of(store, article)}
    assert (total.count, sheinbaum.count) == (1, 1)


def test_limit_and_batches(store: Store):
    feed = add_feed(store, "A")
    for index in range(5):
        add_article(store, feed, f"Unrelated item number {index} about topic {index}", "Text.")
    assert assign_stories(store, limit=2) == 2
    assert store.count_ungrouped() == 3
    assert assign_stories(store) == 3


def test_an_article_grouped_meanwhile_is_left_alone(store: Store):
    feed = add_feed(store, "A")
    article = add_article(store, feed, *PARTY)
    assign_stories(store)
    [text] = store.article_texts([article])
    with store.story_writer() as writer:
        assert writer.attach(text, None, ["x"]) is None  # already claimed
    with store.session() as session:
        assert session.execute(sa.select(sa.func.count()).select_from(Story)).scalar() == 1


# Same-story rules (see the README: reactions, sequels, updates, evidence).

ATTACK = (
    "Gunmen kill eight at a billiards hall in Mexico's Zamora",
    "Gunmen opened fire inside a billiards hall in Zamora, Michoacán, late on Friday, "
    "killing eight men, state prosecutors said.",
)
ATTACK_ES = (
    "Ataque en billar de Zamora deja ocho muertos",
    "Un comando armado disparó contra los clientes de un billar en Zamora, Michoacán; ocho "
    "hombres murieron, informó la Fiscalía estatal.",
)
TOLL = (
    "Sube a diez la cifra de muertos por ataque a billar en Zamora",
    "Dos heridos del ataque armado contra un billar de Zamora murieron en el hospital; suman "
    "diez las víctimas.",
)
REACTION = (
    "Michoacán governor condemns Zamora billiards hall attack",
    "The governor of Michoacán condemned the killing of ten men at a billiards hall in Zamora "
    "and promised that those responsible would be found.",
)
ARRESTS = (
    "Police arrest four over Zamora billiards hall attack",
    "Michoacán police arrested four men suspected of taking part in the attack on a "
    "billiards hall in Zamora that killed ten people.",
)
OTHER_ZAMORA = (
    "Asesinan a comerciante en el mercado de Zamora",
    "Un comerciante de frutas fue asesinado a balazos dentro del mercado municipal de Zamora, "
    "Michoacán.",
)


def test_a_report_in_another_language_and_an_updated_toll_are_the_same_story():
    first, spanish, toll = fp(ATTACK), fp(ATTACK_ES, 1), fp(TOLL, 6)
    assert pair_score(first, spanish)[0] >= THRESHOLD
    assert first.numbers == {"8"} and toll.numbers == {"10"} and toll.headline.update
    assert not _counts_conflict(spanish, toll)  # figures may change in an update
    assert pair_score(spanish, toll)[0] >= THRESHOLD
    labels = cluster([first, spanish, toll])
    assert len(set(labels)) == 1


def test_a_reaction_joins_the_event_the_same_day_but_not_later():
    event, reaction = fp(ATTACK), fp(REACTION, 8)
    assert pair_score(event, reaction)[0] >= THRESHOLD
    late = fp(REACTION, 30)
    score, reason = pair_score(event, late)
    assert score < THRESHOLD and reason == "an event and a sequel or late reaction"


def test_a_sequel_is_a_story_of_its_own_even_the_same_day():
    event, arrests = fp(ATTACK), fp(ARRESTS, 10)
    score, reason = pair_score(event, arrests)
    assert reason == "an event and a sequel or late reaction"
    assert score < THRESHOLD / 3 < similarity(event, arrests)
    # A reaction to the attack does not join the arrests' story.
    assert pair_score(fp(REACTION, 11), arrests)[0] < THRESHOLD
    labels = cluster([event, fp(ATTACK_ES, 1), fp(REACTION, 8), arrests])
    assert labels[0] == labels[1] == labels[2] != labels[3]


def test_sharing_a_place_and_a_kind_of_event_is_not_enough():
    attack, other = fp(ATTACK_ES), fp(OTHER_ZAMORA, 2)
    assert not has_evidence(attack, other)
    assert pair_score(attack, other)[0] < THRESHOLD
    assert has_evidence(fp(ATTACK), fp(ATTACK_ES))  # same place, same count


def test_figures_counts_and_measures():
    assert _numbers("Sale de Tapachula caravana de mil 500 migrantes").counts == {"1500"}
    assert _numbers("2 mil 300 deportados").counts == {"2300"}
    seized = _numbers("Agents find 180 pounds of pills, worth $2 million")
    assert seized.counts == frozenset() and seized.measures == {"180", "2000000"}
    assert _numbers("Homicides fall 25% as 12 arrested").counts == {"12"}


def test_cognates_meet_and_known_words_map_to_concepts():
    assert concept_of(stem("impunidad")) == concept_of(stem("impunity"))
    assert concept_of(stem("organizaciones")) == concept_of(stem("organizations"))
    assert concept_of(stem("velorio")) == concept_of(stem("wake")) == "wake"
    assert concept_of("sheinbaum") == "sheinb" and concept_of("culiac") == "culiac"


def test_titles_that_place_the_event_elsewhere_keep_apart():
    one = fp(("Gunmen kill four at a bar in Irapuato", "Four men died at a bar in Irapuato."))
    two = fp(("Gunmen kill four at a bar in Salamanca", "Four men died at a bar in Salamanca."), 2)
    score, reason = pair_score(one, two)
    assert reason == "in different places" and score < THRESHOLD
    # A town in one title and its state in the other: the other's opening names both.
    town = fp(("Gunfight in Badiraguato leaves five dead", "Five died in Badiraguato, Sinaloa."))
    state = fp(("Death toll in Sinaloa gunfight rises to nine", "Nine died in Badiraguato."), 3)
    assert pair_score(town, state)[1] != "in different places"


def test_a_story_takes_no_article_long_after_its_first():
    daily = ("Peso gains as Banxico holds rates", "The peso gained against the dollar.")
    labels = cluster([fp(daily), fp(daily, 30), fp(daily, 60), fp(daily, 90)])
    assert labels[0] == labels[1] == labels[2] != labels[3]  # 90 hours after the first


LAB_EN = (
    "Mexican navy dismantles large fentanyl lab in Sinaloa mountains",
    "Mexican marines dismantled a clandestine fentanyl laboratory in the mountains of Sinaloa "
    "and seized more than a ton of precursor chemicals, the navy said.",
)
LAB_ES = (
    "Marina desmantela narcolaboratorio de fentanilo en Cosalá",
    "Elementos de la Marina desmantelaron un laboratorio clandestino de fentanilo y "
    "aseguraron más de una tonelada de precursores químicos.",
)
SHOOTING_MAZATLAN = (
    "Gunmen kill six at a bar in Mazatlán",
    "Gunmen opened fire in a bar in the resort city of Mazatlán, killing six people.",
)


def test_a_town_we_do_not_know_may_lie_in_the_state_the_other_title_names():
    lab_en, lab_es = fp(LAB_EN), fp(LAB_ES, hours=1)
    assert lab_es.title_only_unknown and lab_en.title_states
    score, reason = pair_score(lab_en, lab_es)
    assert reason != "in different places" and score >= THRESHOLD


def test_a_known_city_counts_as_its_state_but_not_as_another_city():
    culiacan, mazatlan = fp(PARTY), fp(SHOOTING_MAZATLAN, hours=1)
    assert "sinalo" in culiacan.localities and not culiacan.title_only_unknown
    assert _elsewhere(culiacan, mazatlan)
    state_headline = fp(("Gunmen kill six at a party in Sinaloa", PARTY[1]), hours=1)
    assert not _elsewhere(fp(PARTY_ES), state_headline)


def test_articles_with_text_are_grouped_by_their_quotations_not_their_headlines(store: Store):
    """The issue's case through the pipeline (quote analysis, then grouping), and a sequel
    the next day that tells the quotation again: two stories."""
    from feeds.nlp.pipeline import analyze_pending
    from tests.support.two_outlets import REJECTS, TURNS_DOWN

    wire, times = add_feed(store, "Continental Wire"), add_feed(store, "Hemisphere Times")
    ids = [
        add_article(
            store,
            feed,
            item.title,
            item.teaser,
            content="\n\n".join(item.paragraphs),
            at=NOW - timedelta(hours=item.hours_ago),
        )
        for feed, item in ((wire, REJECTS), (times, TURNS_DOWN))
    ]
    sequel = add_article(
        store, wire, "Mexico and U.S. sign intelligence-sharing pact against cartels",
        "Mexico and the United States signed an agreement to share intelligence on drug "
        "cartels on Tuesday, a day after Mexico turned down an offer of U.S. troops.",
        content="Mexico and the United States signed an agreement on Tuesday to share "
        "intelligence on drug cartels, a day after Mexico turned down an offer of U.S. troops."
        "\n\nOn Monday President Claudia Sheinbaum had said: “No, President Trump, our "
        "territory is inalienable, sovereignty is inalienable.”\n\nThe agreement sets up a "
        "joint office in Mexico City and a hotline between the two security cabinets.",
        at=NOW + timedelta(hours=24),
    )  # fmt: skip
    assert analyze_pending(store) == 3
    assert assign_stories(store) == 3
    assert story_of(store, ids[0]) == story_of(store, ids[1]) != story_of(store, sequel)
    with store.session() as session:
        keys = session.execute(
            sa.select(ArticleKey.key).where(ArticleKey.article_id == ids[0])
        ).scalars()
        assert any(key.startswith("~") for key in keys)  # found again by its quotations
