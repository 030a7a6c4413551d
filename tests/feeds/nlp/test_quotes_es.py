"""Spanish quotes and speakers (rules: there is no Spanish model) on articles written for
these tests."""

from pathlib import Path

import pytest

from feeds.nlp import analyze_text
from tests.feeds.nlp.helpers import find, mention

ARTICLES = Path(__file__).parent / "articles"


@pytest.fixture(scope="module")
def seguridad():
    text = (ARTICLES / "es_seguridad.txt").read_text(encoding="utf-8")
    return text, analyze_text(text)


def test_language_is_detected(seguridad):
    _, analysis = seguridad
    assert analysis.language == "es"


def test_offsets_are_verbatim(seguridad):
    text, analysis = seguridad
    for quote in analysis.quotes:
        assert text[quote.start : quote.end] == quote.text


@pytest.mark.parametrize(
    ("beginning", "speaker", "said"),
    [
        ("No vamos a aceptar", "Claudia Sheinbaum Pardo", "la mandataria"),  # afirmó + role
        ("La soberanía no se negocia", "Claudia Sheinbaum Pardo", "Sheinbaum"),  # dijo
        ("Vamos a cooperar", "Claudia Sheinbaum Pardo", "Sheinbaum"),  # continuation
        ("Hemos detenido", "Omar García Harfuch", "Omar García Harfuch"),  # señaló, pro-drop
        (
            "No vamos a ceder",
            "Juan Ramón de la Fuente",
            "Juan Ramón de la Fuente",
        ),  # dash, advirtió
        ("Seguiremos defendiendo", "Juan Ramón de la Fuente", "Juan Ramón de la Fuente"),
        ("la gente ya puede", "Rubén Rocha", "Rubén Rocha"),  # declaró que
    ],
)
def test_speakers(seguridad, beginning, speaker, said):
    text, analysis = seguridad
    quote = find(analysis, beginning)
    assert (quote.speaker, quote.speaker_kind) == (speaker, "person")
    assert mention(text, quote) == said


def test_segun_gives_an_organisation(seguridad):
    _, analysis = seguridad
    quote = find(analysis, "el diálogo con Washington")
    assert quote.speaker == "la Secretaría de Relaciones Exteriores"
    assert quote.speaker_kind == "organization"


def test_nested_quotes_and_anonymous_speakers(seguridad):
    text, analysis = seguridad
    neighbour = find(analysis, "Nos dijeron")
    assert neighbour.text == "Nos dijeron “quédense en casa” y eso hicimos durante toda la semana"
    assert neighbour.speaker is None and neighbour.rank == 0  # "una vecina": no name
    official = find(analysis, "tensa pero productiva")
    assert official.speaker is None and mention(text, official) == "Un funcionario"


def test_scare_quotes_are_not_quotes(seguridad):
    _, analysis = seguridad
    assert not any(q.text == "puro teatro" for q in analysis.quotes)


def test_key_quotes(seguridad):
    _, analysis = seguridad
    best = analysis.key_quotes()
    assert [q.speaker for q in best] == ["Claudia Sheinbaum Pardo"] * 2


def test_reporting_verbs_in_either_order():
    text = (
        "El ministro Pedro Gómez visitó la zona.\n\n"
        "Gómez advirtió: «No habrá más recortes en el presupuesto de salud».\n\n"
        "«Nadie se quedará sin atención médica este año», aseguró el ministro.\n\n"
        "De acuerdo con la Secretaría de Salud, «la cobertura llegará a todo el país»."
    )
    analysis = analyze_text(text)
    assert [q.speaker for q in analysis.quotes] == [
        "Pedro Gómez",
        "Pedro Gómez",
        "la Secretaría de Salud",
    ]


def test_complements_between_verb_and_subject_and_tight_dialogue_dashes():
    text = (
        "«Vamos a investigar hasta las últimas consecuencias», expresó a los medios el "
        "fiscal general Alejandro Gertz Manero.\n\n"
        "—¡Basta de violencia en nuestras calles!—gritó una manifestante frente al Palacio.\n\n"
        "De acuerdo con el vocero presidencial, Jesús Ramírez, «el gobierno actuará con "
        "total transparencia»."
    )
    quotes = analyze_text(text).quotes
    assert [q.text for q in quotes] == [
        "Vamos a investigar hasta las últimas consecuencias",
        "¡Basta de violencia en nuestras calles!",
        "el gobierno actuará con total transparencia",
    ]
    assert [q.speaker for q in quotes] == ["Alejandro Gertz Manero", None, "Jesús Ramírez"]
    assert mention(text, quotes[1]) == "una manifestante"


@pytest.mark.parametrize(
    ("sentence", "speaker"),
    [
        # The comma ends the office: the name is not run together with "Defensa".
        (
            "«Las familias merecen vivir sin miedo», afirmó el secretario de la Defensa, "
            "Ricardo Trevilla Trejo.",
            "Ricardo Trevilla Trejo",
        ),
        (
            "«No vamos a ceder ante nadie», dijo el secretario de Seguridad, Omar García Harfuch.",
            "Omar García Harfuch",
        ),
        # After an office held by a person, "Marina" starts a name, not the navy.
        (
            "«Habrá más operativos en la frontera», aseguró la gobernadora de Baja California, "
            "Marina del Pilar Ávila.",
            "Marina del Pilar Ávila",
        ),
    ],
)
def test_appositive_names_after_an_office(sentence, speaker):
    text = "TIJUANA.— Las autoridades anunciaron un nuevo operativo este lunes.\n\n" + sentence
    (quote,) = analyze_text(text, "es").quotes
    assert (quote.speaker, quote.speaker_kind) == (speaker, "person")
    assert text[quote.speaker_start : quote.speaker_end] == speaker
