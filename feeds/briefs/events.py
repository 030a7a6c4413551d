"""What kind of news a headline reports: the grammar that tells an event from its sequels.

Same-story grouping needs more than shared words. "Gunmen kill nine at rehab
centre in Irapuato", "Two arrested over Irapuato rehab centre massacre" and
"Governor condemns Irapuato attack" share the place, the victims and the
attack, yet only the first and the last tell the same story (see the README
for the definition grouping follows). What separates them is the headline's
main predicate: what happened, as opposed to what is only referred to.

`read_headline` finds it with a few rules of English and Spanish headline
grammar:

- Background is cut off: a clause after "after/tras/over/por/amid/…", a
  comma or a semicolon names the cause or the context, not the news
  ("Troops sent to Cotija *after mayor's killing*").
- A speaker before a colon, or a headline that starts with a verb of saying,
  is a statement ("Sheinbaum: …", "Governor condemns …"); a verb of saying
  after the news is only attribution ("…, police say").
- Otherwise a sequel (an arrest, a deployment, a resignation, a protest, a
  funeral, a release or rescue of victims) outranks the incident it refers
  to: "Seven miners kidnapped in Zacatecas released" reports a release, and
  rescuing migrants is another happening than arresting their smuggler.
- A rising toll ("sube a 11 la cifra de muertos", "toll rises to 14") is an
  update of the event it counts, whose figures are expected to change.

Places: `PLACE_STEMS` (Mexican states and large cities, neighbouring
countries) and any capitalised word after "in/en/near/cerca de" are places;
grouping never takes a shared place alone as evidence of one event.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from feeds.briefs.concepts import parse_word_lists
from feeds.briefs.text import STOPWORDS, stem, tokens

INCIDENT = "incident"
STATEMENT = "statement"
# Sequels: new happenings that follow an event and are stories of their own.
ENFORCEMENT = "enforcement"
RESPONSE = "response"
RESIGNATION = "resignation"
PROTEST = "protest"
MOURNING = "mourning"
RELEASE = "release"
SEQUELS = (ENFORCEMENT, RESPONSE, RESIGNATION, PROTEST, MOURNING, RELEASE)
NEUTRAL = "neutral"  # phrases that look like predicates but are not ("Day of the Dead")

# Each line: a kind, then words and "phrases" (any listed inflection) that
# report it. Past participles that English headlines use as adjectives
# ("accused of", "fired shots") are left out on purpose.
_PREDICATES = """
statement: say says said tell tells told condemn condemns condemned condena condenan condeno
  repudia repudian repudio vow vows vowed pledge pledges pledged promise promises promised
  promete prometen prometio warn warns warned advierte advierten advirtio urge urges urged insta
  exhorta demand demands demanded exige exigen exigio "call for" "calls for" "called for" pide
  piden pidio solicita solicitan deny denies denied niega niegan nego desmiente blame blames
  blamed culpa culpan culpo responsabiliza atribuye atribuyen atribuyo criticize criticizes
  criticized criticise criticises criticised slam slams slammed critica critican critico
  cuestiona cuestionan cuestiono question questions questioned defend defends defended defiende
  defienden defendio reject rejects rejected rechaza rechazan rechazo rebuff rebuffs rebuffed
  "says no" descarta descartan descarto "rule out" "rules out" "ruled out" respond responds
  responded responde responden respondio reply replies replied insist insists insisted afirma
  afirmo dice dijo declara declaro acusa acusan accuse accuses praise praises praised hail hails
  hailed welcome welcomes welcomed celebra celebro thank thanks thanked agradece agradecio
  lament laments lamented lamenta lamento regret regrets deplore deplores lambasts arremete
  acknowledge acknowledges admits admit reconoce reconocio presses
enforcement: arrest arrests arrested detain detains detained nab nabs nabbed capture captures
  captured caught cae caen detienen detiene detuvo detenido detenidos detenida detenidas captura
  capturan capturo capturado capturados capturada aprehende aprehenden aprehendido arrestan
  arresto arrestado seize seizes seized seizure confiscate confiscates confiscated decomisan
  decomisa decomiso aseguran asegura aseguro aseguramiento incautan incauta incauto incautacion
  dismantle dismantles dismantled desmantelan desmantela desmantelo desarticulan desarticula
  desarticulo raid raids raided catean cateo extradite extradites extradited extradition
  extraditan extradita extradito extradicion transfer transfers transferred traslada trasladan
  traslado "hands over" "handed over" "hand over" "handing over" entrega entregan entrego
  sentence sentences sentenced sentencian sentencia sentenciado convict convicts convicted
  "found guilty" charge charges charged indict indicts indicted imputan vinculan sanction
  sanctions sanctioned sanciona sancionan sanciono designate designates designated designa
  designan designo labels intercept intercepts intercepted intercepta interceptan intercepto
response: deploy deploys deployed deployment despliegan despliega desplego despliegue reinforce
  reinforces reinforced reinforcements refuerzan refuerza reforzo refuerzo
resignation: resign resigns resigned renuncia renuncian renuncio dimite dimitio "steps down"
  "step down" "stepped down" dismiss dismisses dismissed destituye destituyen destituyo cesa
  cesan
protest: protest protests protested protesta protestan protestaron march marches marched marcha
  marchan marcharon rally rallies rallied bloquean bloquearon manifiestan manifestaron huelga
  paro
mourning: funeral funerals bury buries buried sepultan sepultaron despiden despidieron velan
  vigil mourn mourns mourned
release: release releases released liberan libera libero liberados liberadas freed frees
  rescue rescues rescued rescatan rescata rescato rescatados
incident: kill kills killed killing killings murder murders murdered slay slays slain shot shoot
  shoots asesinan asesina asesino asesinado asesinados asesinada asesinadas asesinato matan mata
  mato muertos muertas mueren murieron dead death deaths die dies died attack attacks attacked
  atacan ataca ataco ataque ambush ambushes ambushed emboscada emboscan emboscaron massacre
  masacre shooting shootout gunfight balacera tiroteo enfrentamiento clash clashes kidnap
  kidnaps kidnapped kidnapping abduct abducts abducted secuestran secuestra secuestro
  secuestrados secuestrada explode explodes exploded explosion blast explota exploto explosion
  estalla bomb bomba bombing atentado burn burns burned torch torches torched queman quemaron
  incendian incendiaron wound wounds wounded heridos hieren bodies cuerpos grave fosa disappear
  disappeared desaparecen desaparecidos desaparicion missing escape escaped fuga fugan riot
  motin crash crashes vuelca volco overturn overturns overturned drown drowned ahogan earthquake
  sismo abaten abatieron abatidos "open fire" "opens fire" "opened fire"
neutral: "day of the dead" "dia de muertos" "dia de los muertos"
"""


# A deployment is also told as troops being sent or arriving.
def _stems(text: str) -> frozenset[str]:
    return frozenset(stem(word) for word in tokens(text))


_TROOPS = _stems("troops troop soldiers soldados militares elementos efectivos marines guardsmen")
_SENDING = _stems("send sends sent envia envian enviara enviaran llegan arrive arrives")
# Sentencing: "condenan a 20 años" is not a condemnation.
_PRISON_TERMS = _stems("anos prision carcel perpetua sentencia")

_UPDATE_MARKERS = """
toll cifra saldo suman suma "ya son" "rises to" "rise to" "climbs to" "up to" "sube a"
"suben a" "aumenta a" "aumentan a" "asciende a" "ascienden a" "eleva a" "elevan a" "llega a"
"""

# Background: a clause starting with one of these gives the cause or context.
_BACKGROUND = """
after following over amid despite as "in wake of" "in response to" "days after" "hours after"
tras "luego de" "despues de" por ante "a raiz de" "en medio de" entre "debido a"
"en respuesta a"
"""
# A speaker before a colon: an office, or a name that is not a place.
_OFFICES = _stems(
    """
    president presidente presidenta governor gobernador gobernadora mayor alcalde alcaldesa
    minister secretary secretario secretaria ambassador embajador embajadora prosecutor fiscal
    senator senador senadora judge juez jueza general chief jefe leader lider spokesman vocero
    """
)

# Places: localities (Mexican states and large cities, some U.S. ones) say where an
# event happened; countries (and capitals standing for them) rarely single one out.
LOCALITIES = """
"ciudad de mexico" cdmx aguascalientes "baja california" campeche chiapas chihuahua coahuila
colima durango guanajuato guerrero hidalgo jalisco michoacan morelos nayarit "nuevo leon"
oaxaca puebla queretaro "quintana roo" "san luis potosi" sinaloa sonora tabasco tamaulipas
tlaxcala veracruz yucatan zacatecas edomex culiacan mazatlan tijuana mexicali ensenada
guadalajara zapopan tlajomulco monterrey juarez "ciudad juarez" reynosa matamoros
"nuevo laredo" acapulco chilpancingo cancun merida leon celaya irapuato salamanca uruapan
morelia apatzingan cuernavaca toluca ecatepec tapachula nogales hermosillo caborca fresnillo
torreon saltillo tampico villahermosa coatzacoalcos xalapa tepic texas arizona california
"new york" "nueva york" chicago "el paso" "san diego"
"""
COUNTRIES = """
mexico "united states" "estados unidos" us usa eu eeuu washington guatemala honduras
"el salvador" colombia venezuela ecuador cuba haiti canada spain espana peru
"""


def _phrases(text: str) -> frozenset[tuple[str, ...]]:
    return frozenset(parse_word_lists("x: " + " ".join(text.split())))


_KIND_OF = parse_word_lists(_PREDICATES)
_UPDATES = _phrases(_UPDATE_MARKERS)
_BREAKS = _phrases(_BACKGROUND)
LOCALITY, COUNTRY = "locality", "country"
_PLACES = {
    **{phrase: COUNTRY for phrase in _phrases(COUNTRIES)},
    **{phrase: LOCALITY for phrase in _phrases(LOCALITIES)},
}
# The states around the cities of LOCALITIES: a story told from Culiacán is also a
# Sinaloa story, so a headline that names only the state is not somewhere else.
_CITY_STATES = """
sinaloa: culiacan mazatlan
"baja california": tijuana mexicali ensenada
jalisco: guadalajara zapopan tlajomulco
"nuevo leon": monterrey
chihuahua: juarez "ciudad juarez"
tamaulipas: reynosa matamoros "nuevo laredo" tampico
guerrero: acapulco chilpancingo
"quintana roo": cancun
yucatan: merida
guanajuato: leon celaya irapuato salamanca
michoacan: uruapan morelia apatzingan
morelos: cuernavaca
edomex: toluca ecatepec
chiapas: tapachula
sonora: nogales hermosillo caborca
zacatecas: fresnillo
coahuila: torreon saltillo
tabasco: villahermosa
veracruz: coatzacoalcos xalapa
nayarit: tepic
texas: "el paso"
california: "san diego"
"""
_STATE_OF = {
    city: tuple(stem(word) for word in tokens(state))
    for city, state in parse_word_lists(_CITY_STATES).items()
}
_STATES = """
aguascalientes "baja california" campeche chiapas chihuahua coahuila colima durango
guanajuato guerrero hidalgo jalisco michoacan morelos nayarit "nuevo leon" oaxaca puebla
queretaro "quintana roo" "san luis potosi" sinaloa sonora tabasco tamaulipas tlaxcala veracruz
yucatan zacatecas edomex texas arizona california
"""
# Stems of states: regions that contain towns this module does not know.
STATE_STEMS = frozenset(word for phrase in _phrases(_STATES) for word in phrase)
# Words that are places wherever they appear (for telling a speaker's name from a place).
PLACE_STEMS = frozenset(phrase[0] for phrase in _PLACES if len(phrase) == 1)
_LONGEST = max(len(k) for k in (*_KIND_OF, *_UPDATES, *_BREAKS, *_PLACES))


def _scan(words: list[str], table):
    """Yield (start, length, value) of each longest phrase of `table` in `words`, in order."""
    index = 0
    while index < len(words):
        hit = _find(words, table, index)
        if hit is None:
            index += 1
            continue
        yield index, *hit
        index += hit[0]


def _find(words: list[str], table, start: int) -> tuple[int, object] | None:
    """The longest phrase of `table` starting at `start`: (length, value), or None."""
    for size in range(min(_LONGEST, len(words) - start), 0, -1):
        key = tuple(words[start : start + size])
        if key in table:
            return size, table[key] if isinstance(table, dict) else True
    return None


@dataclass(frozen=True)
class Headline:
    """What `read_headline` finds in a title."""

    kind: str | None  # INCIDENT, STATEMENT, one of SEQUELS, or None (no telling predicate)
    update: bool = False  # reports a revised figure of an event (a rising toll)
    # The kinds of happening the title names anywhere ("condemns the *killing*",
    # "hails the *extradition*"): what a statement reacts to.
    mentions: frozenset[str] = frozenset()


_QUOTED = re.compile(r"[\"“«‘'][^\"”»’'\s]+(?:\s+[^\"”»’'\s]+){2,}[\"”»’']")
_THAT = stem("que")  # "asegura que …", "advierte que …": reported speech
_CLAUSE_BREAK = re.compile(r"\s*[;,|]\s+|\s+[-–—]\s+")


@lru_cache(maxsize=4096)
def read_headline(title: str) -> Headline:
    """The kind of news `title` reports (see the module doc)."""
    words = [stem(word) for word in tokens(title)]
    update = any(_scan(words, _UPDATES))
    mentions = named_kinds(title)
    head, colon, rest = title.partition(":")
    if colon and rest.strip():
        label = [stem(word) for word in tokens(head)]
        if _QUOTED.search(head) or (not _predicates(label) and _is_speaker(head, label)):
            return Headline(STATEMENT, update, mentions)
        if not _predicates(label):
            title = rest  # "Sinaloa: six killed at a party": the label is context
    elif _QUOTED.search(title):
        return Headline(STATEMENT, update, mentions)
    main = _CLAUSE_BREAK.split(title.strip(), maxsplit=1)[0]
    kind = _main_kind(_foreground([stem(word) for word in tokens(main)]))
    return Headline(kind, update, mentions)


def named_kinds(text: str) -> frozenset[str]:
    """The kinds of happening `text` names, statements aside."""
    words = [stem(word) for word in tokens(text)]
    return frozenset(kind for kind, _ in _predicates(words) if kind != STATEMENT)


def _foreground(words: list[str]) -> list[str]:
    """The words before the first background connective (not at the very start)."""
    for index in range(1, len(words)):
        if _find(words, _BREAKS, index):
            return words[:index]
    return words


def _predicates(words: list[str]) -> list[tuple[str, tuple[str, ...]]]:
    """The predicates in `words`, in order: (kind, the stems that express it)."""
    found = []
    for index, size, kind in _scan(words, _KIND_OF):
        if kind == STATEMENT and words[index].startswith("conden") and _PRISON_TERMS & set(words):
            kind = ENFORCEMENT
        elif index + size < len(words) and words[index + size] == _THAT:
            kind = STATEMENT
        if kind != NEUTRAL:
            found.append((kind, tuple(words[index : index + size])))
    troops, sending = _TROOPS & set(words), _SENDING & set(words)
    if troops and sending:
        found.append((RESPONSE, (*sorted(troops), *sorted(sending))))
    return found


UNKNOWN = Headline(None)


def _main_kind(words: list[str]) -> str | None:
    kinds = [kind for kind, _ in _predicates(words)]
    if not kinds:
        return None
    if kinds[0] == STATEMENT:
        return STATEMENT  # what follows a verb of saying is what was said
    return next((k for k in kinds if k in SEQUELS), INCIDENT if INCIDENT in kinds else None)


def _is_speaker(text: str, words: list[str]) -> bool:
    """A short phrase naming a person or an office ("Sheinbaum", "Embajador de EU").

    A name is a run of capitalised words (function words aside) that is not a
    known place: "Sin espacio para deportados" and "Jalisco" are labels.
    """
    if not words or len(words) > 5:
        return False
    if _OFFICES & set(words):
        return True
    content = [w for w in re.findall(r"[^\W\d_]+", text) if stem(w.lower()) not in STOPWORDS]
    return (
        bool(content)
        and all(w[:1].isupper() for w in content)
        and not any(stem(tokens(w)[0]) in PLACE_STEMS for w in content)
    )


def predicate_stems(kind: str) -> frozenset[str]:
    """The single-word predicates of one kind (INCIDENT: killed, attack, muertos…)."""
    return frozenset(key[0] for key, found in _KIND_OF.items() if len(key) == 1 and found == kind)


def kinds_compatible(a: Headline, b: Headline) -> bool | None:
    """True: the same kind of news; None: one is a statement (a reaction, if close in time);
    False: different happenings (an event and its sequel); True when either is unknown."""
    if a.kind is None or b.kind is None or a.kind == b.kind:
        return True
    if STATEMENT in (a.kind, b.kind):
        return None
    return False


_AFTER_PREPOSITION = re.compile(
    r"\b(?:in|near|en|cerca de|outside|afueras de)\s+(?:(?:the|la|el|los|las)\s+)?"
    r"((?:[A-ZÁÉÍÓÚÑ][\w'-]+\s?){1,3})"
)


@dataclass(frozen=True)
class Places:
    """Stems of the places a text names."""

    localities: frozenset[str]  # known states and cities, and names after "in"/"en"
    countries: frozenset[str]
    enclosing: frozenset[str] = frozenset()  # the states around the known cities named
    unknown: frozenset[str] = frozenset()  # localities only known from "in"/"en" before them

    @property
    def only_unknown(self) -> bool:
        """Every locality named is a town this module does not know."""
        return bool(self.localities) and self.localities <= self.unknown


def places(text: str) -> Places:
    """The places `text` names (see LOCALITIES, COUNTRIES), as stems."""
    found: dict[str, set[str]] = {LOCALITY: set(), COUNTRY: set()}
    enclosing: set[str] = set()
    words = [stem(word) for word in tokens(text)]
    for index, size, kind in _scan(words, _PLACES):
        phrase = tuple(words[index : index + size])
        found[kind].update(phrase)
        enclosing.update(_STATE_OF.get(phrase, ()))
    known = set(found[LOCALITY])
    for match in _AFTER_PREPOSITION.finditer(text):
        named = [stem(word) for word in tokens(match.group(1)) if len(word) > 2]
        kind = COUNTRY if named and _find(named, _PLACES, 0) == (len(named), COUNTRY) else None
        found[kind or LOCALITY].update(w for w in named if (w,) not in _PLACES or kind)
    return Places(
        frozenset(found[LOCALITY]),
        frozenset(found[COUNTRY]),
        enclosing=frozenset(enclosing),
        unknown=frozenset(found[LOCALITY] - known),
    )
