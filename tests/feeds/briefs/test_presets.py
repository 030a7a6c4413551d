"""The built-in topics: they parse, and they draw the line where the issue asks."""

import pytest

from feeds.briefs.presets import PRESETS, preset_by_name
from feeds.briefs.query import Document, match, parse

SECURITY = parse(preset_by_name("Mexico security").query)
MIGRATION = parse(preset_by_name("Mexico migration").query)


def test_every_preset_parses_and_has_a_description():
    assert [p.name for p in PRESETS] == ["Mexico security", "Mexico migration"]
    for preset in PRESETS:
        assert parse(preset.query).terms() and preset.description


def test_lookup_is_case_insensitive():
    assert preset_by_name("  mexico   SECURITY ").name == "Mexico security"
    assert preset_by_name("Energy") is None


@pytest.mark.parametrize(
    ("title", "opening"),
    [
        (
            "Sheinbaum rejects U.S. troops against cartels",
            "Mexico's president turned down an offer of U.S. soldiers to fight drug cartels.",
        ),
        (
            "Sheinbaum rechaza tropas de EU contra los cárteles",
            "La presidenta dijo que no aceptará militares estadounidenses en el país.",
        ),
        ("Mexico extradites 26 to the U.S.", "The suspects face fentanyl trafficking charges."),
        ("Homicidios bajan 25% en octubre", "El Gabinete de Seguridad de México informó…"),
        ("CJNG money launderers sanctioned", "The Treasury acted against the group."),
        ("Guardia Nacional llega a Culiacán", "Cientos de elementos reforzarán la seguridad."),
        ("1,500 more soldiers head to U.S.-Mexico border", "The Pentagon announced the move."),
    ],
)
def test_security_matches_mexico_security_news(title, opening):
    assert match(SECURITY, Document.from_text(title, opening)).matched


@pytest.mark.parametrize(
    ("title", "opening"),
    [
        ("Mexico beat Ecuador 2-0 in Guadalajara friendly", "Giménez scored twice."),
        ("El Tri golea a Honduras", "La Selección Mexicana ganó en el Estadio Azteca."),
        ("Texas school board rejects Mexican-American studies textbook", "The vote was 9-5."),
        ("National Guard troops deploy to Memphis", "A federal crime plan begins."),
        ("Ohio overdose deaths fall as fentanyl supply weakens", "Health officials said."),
        ("Colombia seizes cocaine from the Gulf Clan", "The navy acted in Buenaventura."),
        ("Mexico backs UN Security Council resolution", "Mexico voted in favour."),
        ("IMSS amplía la seguridad social de México", "Repartidores ya están cubiertos."),
    ],
)
def test_security_leaves_out_near_misses(title, opening):
    assert not match(SECURITY, Document.from_text(title, opening)).matched


def test_migration_matches_caravans_and_not_canada():
    caravan = Document.from_text("Caravana migrante sale de Tapachula", "Unos 3 mil migrantes…")
    canada = Document.from_text(
        "Canada boosts border security", "To curb migrant crossings into the United States."
    )
    assert match(MIGRATION, caravan).matched
    assert not match(MIGRATION, canada).matched
