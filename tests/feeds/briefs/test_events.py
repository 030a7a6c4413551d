"""Headline grammar: what kind of news a title reports (feeds.briefs.events)."""

import pytest

from feeds.briefs.events import (
    ENFORCEMENT,
    INCIDENT,
    MOURNING,
    PROTEST,
    RELEASE,
    RESIGNATION,
    RESPONSE,
    STATEMENT,
    kinds_compatible,
    places,
    read_headline,
)


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        # Incidents, in both languages and voices.
        ("Gunmen kill six at a party in Mexico's Culiacán", INCIDENT),
        ("Ataque armado en una fiesta deja seis muertos en Culiacán", INCIDENT),
        ("Journalist shot dead in Tijuana, the fourth killed this year", INCIDENT),
        ("Hallan 17 cuerpos en fosa de Tlajomulco", INCIDENT),
        # Sequels outrank the incident they refer to.
        ("Two arrested over Irapuato rehab centre massacre", ENFORCEMENT),
        ("Detienen a tres por el ataque al velorio en Cuernavaca", ENFORCEMENT),
        ("Seven miners kidnapped in Zacatecas released unharmed", RELEASE),
        ("Mexico sends 300 troops to Cotija after mayor's killing", RESPONSE),
        ("Llegan 300 militares a Cotija tras el asesinato de la alcaldesa", RESPONSE),
        ("Renuncia el fiscal de Guanajuato tras ola de violencia", RESIGNATION),
        ("Despiden a la alcaldesa de Cotija entre exigencias de justicia", MOURNING),
        ("Marchan en Ciudad Juárez contra los feminicidios", PROTEST),
        ("Condenan a cadena perpetua a “El Menchito”", ENFORCEMENT),  # a sentence
        # Statements: a verb of saying first, a speaker before a colon, a quotation.
        ("Governor condemns attack on wake and promises justice", STATEMENT),
        ("Gobernadora de Guanajuato descarta renunciar tras masacre", STATEMENT),
        ("Sheinbaum: el ataque fue por una disputa entre grupos criminales", STATEMENT),
        ("Embajador de EU: los cárteles actúan con impunidad en Sinaloa", STATEMENT),
        ("“No aceptaremos tropas extranjeras”: Sheinbaum responde", STATEMENT),
        ("Semar asegura que la cocaína venía de Colombia", STATEMENT),  # "asegura que"
        # Labels and look-alikes are not statements or incidents.
        ("Sinaloa: seis asesinados en fiesta", INCIDENT),  # a place label
        ("Sin espacio para deportados: albergues de Tijuana piden ayuda", STATEMENT),
        ("Semar asegura embarcación con dos toneladas de cocaína", ENFORCEMENT),
        ("Day of the Dead parade fills Mexico City's Reforma avenue", None),
        ("Cae célula de “Los Chapitos” en Tijuana", ENFORCEMENT),  # a quoted name
        ("Banxico recorta la tasa de interés a 7.25%", None),
    ],
)
def test_the_main_predicate_decides(title, kind):
    assert read_headline(title).kind == kind


def test_the_label_before_a_colon_is_context_unless_it_names_a_speaker():
    assert read_headline("Elección judicial 2027: el INE fija fechas").kind is None
    assert read_headline("García Harfuch: caen 25% los homicidios").kind == STATEMENT


def test_updates_revise_a_figure():
    assert read_headline("Death toll in Sinaloa gunfight rises to nine").update
    assert read_headline("Sube a 11 la cifra de muertos por ataque en Irapuato").update
    assert read_headline("Suman ocho muertos por ataque a velorio").update
    assert not read_headline("Gunmen kill nine at rehab centre").update


def test_a_statement_names_what_it_reacts_to():
    assert read_headline("DEA chief hails extradition of cartel chemist").mentions == {ENFORCEMENT}
    assert INCIDENT in read_headline("Mexico's president condemns attack on rehab centre").mentions


def test_compatibility_of_kinds():
    incident, arrest = read_headline("Gunmen kill four"), read_headline("Three arrested")
    statement, unknown = read_headline("Governor condemns attack"), read_headline("Peso gains")
    assert kinds_compatible(incident, incident) is True
    assert kinds_compatible(incident, arrest) is False  # an event and its sequel
    assert kinds_compatible(incident, statement) is None  # a reaction: depends on time
    assert kinds_compatible(incident, unknown) is True  # nothing to tell them apart


def test_places():
    named = places("Gunmen kill six in Mexico's Culiacán, Sinaloa, and flee to Washington")
    assert named.localities == {"culiacan", "sinaloa"}
    assert named.countries == {"mexico", "washington"}
    assert "tlacotepec" in places("A clash in Tlacotepec left eight dead").localities  # "in"
    assert places("Sentencian en Nueva York a exoperador").localities == {"nueva", "york"}
    found = places("El periodista Julián Zárate fue asesinado en Tijuana")
    assert found.localities == {"tijuana"}
