"""Built-in topics, in English and Spanish, synced into the topic table at start.

A preset is an ordinary query (see feeds.briefs.query), built here from word
lists so that it stays readable. The security preset asks for a Mexican
context (the country, its officials, states and cities) together with a
sign of crime or security policy — cartels, homicides, extraditions, the
Guardia Nacional, troops at the border… — rather than either alone: a
Mexican football result has the context but no crime, and a Memphis
National Guard patrol or an Ohio overdose report has the crime but not
Mexico. Generic words that lead astray ("security" as in Security Council or
seguridad social, "killed" as in a bus crash, "army" as in the army-run
airline) are only used inside phrases or pairs.

Measured on tests/data/brief_stubs.jsonl: see the README.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Preset:
    name: str
    query: str
    description: str


def _any(*terms: str) -> str:
    return "(" + " OR ".join(terms) + ")"


def _words(text: str) -> list[str]:
    """One term per line, so multi-word phrases can be listed with their quotes."""
    return [line.strip() for line in text.strip().splitlines() if line.strip()]


MEXICO_CONTEXT = _words(
    """
    Mexico
    mexican*
    "U.S.-Mexico"
    Sheinbaum
    "López Obrador"
    AMLO
    "García Harfuch"
    Sedena
    Semar
    "Secretaría de Marina"
    "Secretaría de la Defensa"
    FGR
    "Fiscalía General de la República"
    "Guardia Nacional"
    Sinaloa
    sinaloense*
    Culiacán
    Mazatlán
    Cosalá
    Jalisco
    Guadalajara
    Tlajomulco
    "Puerto Vallarta"
    Michoacán
    Apatzingán
    "Tierra Caliente"
    Guerrero
    Chilpancingo
    Acapulco
    Tamaulipas
    Reynosa
    Matamoros
    "Nuevo Laredo"
    Chihuahua
    Juárez
    Sonora
    Caborca
    Zacatecas
    Fresnillo
    Guanajuato
    Celaya
    Tijuana
    "Baja California"
    Colima
    Morelos
    Veracruz
    Chiapas
    Tabasco
    Oaxaca
    Durango
    Nayarit
    Hidalgo
    Puebla
    Querétaro
    "Nuevo León"
    Monterrey
    Cancún
    "Quintana Roo"
    Edomex
    Cuernavaca
    Cuautla
    Irapuato
    Uruapan
    Morelia
    Cotija
    Badiraguato
    "Los Mochis"
    Zapopan
    Tlaquepaque
    "Lagos de Moreno"
    Iguala
    Taxco
    Zihuatanejo
    Torreón
    Saltillo
    Coahuila
    "Piedras Negras"
    Tampico
    "Ciudad Victoria"
    "Ciudad Obregón"
    Hermosillo
    Ensenada
    Mexicali
    Toluca
    Ecatepec
    Tultepec
    Chalco
    Coatzacoalcos
    "Poza Rica"
    Xalapa
    Villahermosa
    Chetumal
    "Playa del Carmen"
    Tulum
    Mérida
    "San Luis Potosí"
    Aguascalientes
    Tamazula
    """
)

CRIME = _words(
    """
    cartel
    narco*
    smuggl*
    contrabando
    cocaine
    cocaína
    explosive*
    explosivo*
    crime
    crimen
    delito*
    criminal*
    "drug trafficking"
    "drug trafficker"
    "drug lord"
    "drug lab"
    trafficker*
    traficante*
    kingpin
    capo
    "crimen organizado"
    "organized crime"
    "organised crime"
    "criminal group"
    "grupo criminal"
    "grupos criminales"
    "grupo armado"
    "armed group"
    "hombres armados"
    "armed men"
    gunmen
    gunman
    sicario*
    comando
    fentanyl
    fentanilo
    methamphetamine
    metanfetamina
    homicide
    homicidio*
    murder*
    killing*
    asesin*
    "ataque armado"
    "ataques armados"
    "armed attack"
    gunfight
    "gun battle"
    "shot dead"
    balazos
    balacera
    tiroteo
    shootout
    emboscada
    ambush*
    masacre
    massacre
    kidnap*
    secuestr*
    "privados de la libertad"
    "privó de la libertad"
    extortion
    extorsi*
    "cobro de piso"
    desaparecid*
    desaparici*
    "fosa clandestina"
    "mass grave"
    "clandestine grave"
    buscadoras
    extradi*
    feminicidio*
    femicide*
    huachicol*
    "robo de combustible"
    "fuel theft"
    "arms trafficking"
    "gun trafficking"
    "weapons trafficking"
    "tráfico de armas"
    violence
    violencia
    motín
    Cereso
    "Gabinete de Seguridad"
    "security cabinet"
    "seguridad pública"
    "public security"
    "estrategia de seguridad"
    "security strategy"
    "cooperación en seguridad"
    "security cooperation"
    "security framework"
    "fuerzas de seguridad"
    "security forces"
    "border security"
    "seguridad fronteriza"
    "Guardia Nacional"
    "National Guard"
    "military aid"
    "ayuda militar"
    "terrorist organization"
    "terrorist organisation"
    "organización terrorista"
    "organizaciones terroristas"
    """
)

# Named groups and people that are Mexico security on their own.
SECURITY_NAMES = _words(
    """
    CJNG
    "Jalisco New Generation"
    "Jalisco Nueva Generación"
    "Cártel Jalisco"
    "Cártel de Sinaloa"
    "Sinaloa Cartel"
    Chapitos
    Mayiza
    "El Mencho"
    Menchito
    "Cártel del Golfo"
    "Gulf Cartel"
    Zetas
    "Familia Michoacana"
    "Cárteles Unidos"
    """
)

TROOPS = _words(
    """
    troops
    tropa*
    soldier*
    soldado*
    militar*
    """
)
BORDER = ["border", "frontera*"]

MEXICO_SECURITY = " OR ".join(
    [
        _any(*SECURITY_NAMES),
        f"({_any(*MEXICO_CONTEXT)} {_any(*CRIME)})",
        f'("U.S.-Mexico" OR "frontera con México" OR "Mexican border") {_any(*TROOPS)}',
    ]
)

MIGRATION_CONTEXT = [
    *MEXICO_CONTEXT,
    *_words(
        """
        Tapachula
        "Rio Grande"
        "Río Bravo"
        "Eagle Pass"
        "El Paso"
        Nogales
        Villahermosa
        COMAR
        INM
        "Instituto Nacional de Migración"
        """
    ),
]

MIGRATION = _words(
    """
    migrant*
    migrante*
    inmigrante*
    immigrant*
    immigration
    migration
    migración
    migratori*
    asylum
    asilo
    refugee*
    refugiad*
    deport*
    repatria*
    caravan*
    "Border Patrol"
    "Patrulla Fronteriza"
    "CBP One"
    "Remain in Mexico"
    "Quédate en México"
    "border crossing"
    "cruce fronterizo"
    "cruces fronterizos"
    "border security"
    "seguridad fronteriza"
    "southern border"
    "frontera sur"
    """
)

MEXICO_MIGRATION = f"{_any(*MIGRATION_CONTEXT)} {_any(*MIGRATION)}"

PRESETS: tuple[Preset, ...] = (
    Preset(
        "Mexico security",
        MEXICO_SECURITY,
        "Cartels, fentanyl, violence, extraditions, the Guardia Nacional, border security "
        "and U.S.-Mexico security cooperation, in English and Spanish.",
    ),
    Preset(
        "Mexico migration",
        MEXICO_MIGRATION,
        "Migrants, asylum, caravans and deportations through Mexico and at the U.S.-Mexico "
        "border, in English and Spanish.",
    ),
)


def preset_by_name(name: str) -> Preset | None:
    key = " ".join(name.split()).casefold()
    return next((p for p in PRESETS if p.name.casefold() == key), None)
