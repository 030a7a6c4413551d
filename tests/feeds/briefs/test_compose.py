"""Composing briefings from stored stories, on SQLite and PostgreSQL."""

from dataclasses import replace
from datetime import timedelta

import pytest

from feeds.briefs.compose import compose, resolve_subject
from feeds.briefs.grouping import assign_stories
from feeds.briefs.presets import PRESETS
from feeds.briefs.render import empty_message
from feeds.briefs.service import catch_up
from feeds.errors import InvalidInputError
from feeds.models import Article, Delivery
from feeds.store import ArticleText, Store
from feeds.timeutil import utcnow
from tests.support.articles import add_article, add_feed, add_quote, story_of

NOW = utcnow()
DAY = timedelta(hours=24)


@pytest.fixture
def desk(store: Store) -> dict:
    """A small newsroom: three outlets, four Mexico security stories and a football match."""
    for preset in PRESETS:
        store.upsert_topic(preset.name, preset.query, origin="preset")
    wire, diario = add_feed(store, "Wire"), add_feed(store, "Diario")
    herald = add_feed(store, None, title="The Herald")  # outlet named by its feed title
    ids = {}
    ids["troops_en"] = add_article(
        store, wire,
        "Sheinbaum rejects U.S. military help against cartels",
        "MEXICO CITY (Wire) - Mexican President Claudia Sheinbaum on Tuesday turned down an "
        "offer to send U.S. troops into Mexico to fight drug cartels. She spoke at length.",
        at=NOW - timedelta(hours=6),
    )  # fmt: skip
    ids["troops_es"] = add_article(
        store, diario,
        "Sheinbaum rechaza el envío de tropas de EU contra los cárteles",
        "La presidenta Claudia Sheinbaum rechazó la propuesta de Estados Unidos de enviar "
        "tropas a México para combatir a los cárteles.",
        at=NOW - timedelta(hours=5),
    )  # fmt: skip
    ids["troops_herald"] = add_article(
        store, herald,
        "Mexico rebuffs Trump offer of troops to fight cartels",
        "Mexico's president rejected President Donald Trump's offer of U.S. military forces to "
        "confront drug cartels, insisting that Mexican sovereignty is not negotiable.",
        lead="Mexico said no to U.S. troops on its soil.",
        at=NOW - timedelta(hours=4),
    )  # fmt: skip
    ids["party"] = add_article(
        store, diario,
        "Ataque armado en una fiesta deja seis muertos en Culiacán",
        "Hombres armados irrumpieron en una fiesta en Culiacán y asesinaron a seis personas.",
        at=NOW - timedelta(hours=2),
    )  # fmt: skip
    ids["extradition"] = add_article(
        store, wire,
        "Mexico sends 26 cartel suspects to the United States",
        "Mexico transferred 26 people accused of drug trafficking to the United States.",
        at=NOW - timedelta(hours=20),
    )  # fmt: skip
    ids["baseline"] = add_article(
        store, herald,
        "Mexican marines seize fentanyl lab in Sinaloa",
        "Marines found a laboratory in the Sinaloa mountains.",
        at=NOW - timedelta(hours=1),
        announce=False,
    )  # fmt: skip
    ids["old"] = add_article(
        store, wire,
        "Cartel leader arrested in Tamaulipas",
        "Mexican soldiers arrested the man in Reynosa.",
        at=NOW - timedelta(days=5),
    )  # fmt: skip
    ids["football"] = add_article(
        store,
        wire,
        "Mexico beat Ecuador 2-0 in Guadalajara friendly",
        "Giménez scored twice.",
        at=NOW - timedelta(hours=3),
    )
    sheinbaum = "Claudia Sheinbaum"
    best = add_quote(
        store, ids["troops_en"], "No, our territory is inalienable.", sheinbaum, score=0.9
    )
    add_quote(
        store, ids["troops_herald"], "no, our territory is inalienable", sheinbaum, score=0.85
    )
    add_quote(
        store, ids["troops_es"], "Cooperaremos, pero sin subordinación.", sheinbaum, score=0.8
    )
    add_quote(store, ids["troops_es"], "We are watching", "An official", rank=0, score=0.99)
    add_quote(store, ids["party"], "Fue una noche de terror.", None, score=0.3)
    catch_up(store)  # grouping and topic matching, as the ingest cycle does
    ids["best_quote"] = best
    return ids


def brief(store, subject="Mexico security", **options):
    options.setdefault("since", NOW - DAY)
    options.setdefault("until", NOW)
    return compose(store, subject, **options)


def test_a_topic_briefing(store: Store, desk: dict):
    result = brief(store)
    assert result.title == "Mexico security" and result.kind == "topic"
    headlines = [story.headline for story in result.stories]
    assert len(headlines) == 4  # troops, party, extradition, baseline; not old, not football
    assert story_of(store, desk["troops_en"]) == result.stories[0].story_id  # three sources
    assert result.total_stories == 4 and result.notes == ()
    assert result.source_count == 3


def test_a_story_brings_its_outlets_quotes_and_summary(store: Store, desk: dict):
    top = brief(store).stories[0]
    assert [s.name for s in top.sources] == ["Wire", "Diario", "The Herald"]
    assert all(s.url and s.url.startswith("https://news.example/") for s in top.sources)
    assert [(q.text, q.speaker, q.source) for q in top.quotes] == [
        ("No, our territory is inalienable.", "Claudia Sheinbaum", "Wire"),  # best score
        ("Cooperaremos, pero sin subordinación.", "Claudia Sheinbaum", "Diario"),
    ]  # the repeat (same words) and the rank-0 quote are left out
    assert top.quotes[0].url == top.sources[0].url
    assert top.article_count == 3 and top.first_seen_at == NOW - timedelta(hours=6)
    assert top.summary and top.url and top.matched


def test_summaries_prefer_the_lead_then_the_first_sentence(store: Store, desk: dict):
    from feeds.briefs.compose import summarize

    [herald] = store.article_texts([desk["troops_herald"]])
    assert summarize(herald) == "Mexico said no to U.S. troops on its soil."
    [wire] = store.article_texts([desk["troops_en"]])
    assert summarize(wire) == (
        "Mexican President Claudia Sheinbaum on Tuesday turned down an offer to send U.S. "
        "troops into Mexico to fight drug cartels. She spoke at length."
    )  # as the analysis would: dateline dropped, a short first sentence and the next


def test_a_summary_never_repeats_the_headline():
    from feeds.briefs.compose import summarize

    title = "Mexican President Rejects Trump's Offer for U.S. Military Aid Against Drug Cartels"
    body = (
        f"{title}\n\nBy Laura Jiménez\n\nMEXICO CITY — Mexican President Claudia Sheinbaum "
        "on Monday rejected an offer of U.S. troops to fight the cartels in Mexico.\n\nMore."
    )
    stale = ArticleText(
        id=1,
        story_id=None,
        feed_id=1,
        title=title,
        opening=title,
        body=body,
        published_at=NOW,
        first_seen_at=NOW,
        announce=True,
        url=None,
        lead=title,
    )  # fmt: skip  (a lead stored before leads skipped the headline)
    assert summarize(stale) == (
        "Mexican President Claudia Sheinbaum on Monday rejected an offer of U.S. troops to "
        "fight the cartels in Mexico."
    )
    teaser_only = replace(stale, body=f"{title}.", opening=f"{title}.", lead=None)
    assert summarize(teaser_only) == ""  # a feed that repeats its title says nothing more


def test_ranking_sources_first_then_relevance_and_recency(store: Store, desk: dict):
    stories = brief(store).stories
    assert stories[0].score > stories[1].score >= stories[2].score >= stories[3].score
    # score = sources + relevance (below 1) + recency (below 1)
    assert 3 < stories[0].score < 5 and all(1 < s.score < 3 for s in stories[1:])
    # Among single-source stories the fresher ones with more matching terms come first:
    by_id = {s.story_id: s for s in stories}
    extradition = by_id[story_of(store, desk["extradition"])]
    party = by_id[story_of(store, desk["party"])]
    assert party.score > extradition.score  # 2 hours old against 20


def test_scheduled_briefings_leave_out_the_baseline(store: Store, desk: dict):
    baseline_story = story_of(store, desk["baseline"])
    assert baseline_story in {s.story_id for s in brief(store).stories}
    scheduled = brief(store, include_baseline=False)
    assert baseline_story not in {s.story_id for s in scheduled.stories}
    assert len(scheduled.stories) == 3


def test_delivered_stories_are_left_out_for_that_channel(store: Store, desk: dict):
    troops = story_of(store, desk["troops_en"])
    party = story_of(store, desk["party"])
    with store.session() as session:
        session.add(Delivery(platform="discord", channel_id="1", story_id=troops, status="sent"))
        session.add(Delivery(platform="discord", channel_id="1", story_id=party))  # pending
        session.add(Delivery(platform="discord", channel_id="2", story_id=troops, status="sent"))
    result = brief(store, exclude_delivered_to=("discord", "1"))
    assert {s.story_id for s in result.stories}.isdisjoint({troops, party})
    assert result.notes == ("2 already posted here and left out",)
    other = brief(store, exclude_delivered_to=("discord", "3"))
    assert troops in {s.story_id for s in other.stories}
    console = brief(store, exclude_delivered_to=("console", "1"))
    assert troops in {s.story_id for s in console.stories}


def test_limit_keeps_the_best_and_says_how_many_more(store: Store, desk: dict):
    result = brief(store, limit=1)
    assert len(result.stories) == 1 and result.total_stories == 4
    assert result.notes == ("3 more matching stories not shown",)
    with pytest.raises(InvalidInputError):
        brief(store, limit=0)


def test_an_empty_briefing_says_so(store: Store, desk: dict):
    result = brief(store, since=NOW - timedelta(minutes=10))
    assert result.is_empty and result.total_stories == 0
    assert empty_message(result).startswith("No new stories on Mexico security since ")


def test_free_text_search(store: Store, desk: dict):
    result = brief(store, "culiacán")
    assert result.kind == "search" and result.title == "culiacán"
    assert [s.story_id for s in result.stories] == [story_of(store, desk["party"])]
    assert result.notes == ("“culiacán” is not a saved topic: showing stories that match it",)
    assert [s.story_id for s in brief(store, "sinaloa").stories] == [
        story_of(store, desk["baseline"])
    ]
    assert brief(store, "sinaloa -fentanyl").is_empty


def test_window_uses_the_article_time(store: Store, desk: dict):
    week = brief(store, since=NOW - timedelta(days=7))
    assert story_of(store, desk["old"]) in {s.story_id for s in week.stories}
    before = brief(store, since=NOW - timedelta(days=7), until=NOW - timedelta(days=2))
    assert [s.story_id for s in before.stories] == [story_of(store, desk["old"])]


def test_new_articles_wait_for_grouping_and_matching(store: Store, desk: dict):
    before = {s.story_id for s in brief(store).stories}  # the window is covered from now on
    feed = add_feed(store, "Late")
    late = add_article(
        store,
        feed,
        "Cartel violence closes schools in Culiacán",
        "Classes end.",
        at=NOW - timedelta(hours=1),
    )
    assert story_of(store, late) is None and store.count_topics_due() == 1
    assign_stories(store)
    assert story_of(store, late) not in {s.story_id for s in brief(store).stories}  # not matched
    catch_up(store)
    after = {s.story_id for s in brief(store).stories}
    assert story_of(store, late) in after - before


def test_a_broken_topic_query_is_reported_by_name(store: Store):
    store.upsert_topic("Broken", 'cartel "unclosed', origin="config")
    with pytest.raises(InvalidInputError, match="topic 'Broken' has an invalid query"):
        resolve_subject(store, "broken")


def test_topic_briefings_read_the_recorded_matches(store: Store, desk: dict):
    """A saved topic's briefing reads TopicMatch, not the texts: doctor it and it shows."""
    import sqlalchemy as sa

    from feeds.models import TopicMatch

    party = story_of(store, desk["party"])
    assert party in {s.story_id for s in brief(store).stories}
    topic = store.get_topic("Mexico security")
    with store.session() as session:
        session.execute(
            sa.delete(TopicMatch).where(
                TopicMatch.topic_id == topic.id, TopicMatch.article_id == desk["party"]
            )
        )
    assert party not in {s.story_id for s in brief(store).stories}
    # A change to the article's text makes it due again; the ingest step restores the match.
    with store.session() as session:
        session.execute(
            sa.update(Article)
            .where(Article.id == desk["party"])
            .values(summary="Hombres armados asesinaron a seis personas en Culiacán.")
        )
    assert store.count_topics_due() == 1
    catch_up(store)
    assert party in {s.story_id for s in brief(store).stories}
    # A changed query starts over; deleting the topic removes its matches.
    store.upsert_topic("Mexico security", "cartel", origin="config")
    expected = {story_of(store, desk["troops_en"]), story_of(store, desk["extradition"])}
    assert {s.story_id for s in brief(store).stories} == expected
    store.delete_topic("Mexico security")
    with store.session() as session:
        assert session.execute(sa.select(sa.func.count()).select_from(TopicMatch)).scalar() == 0
