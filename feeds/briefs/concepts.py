"""A small English/Spanish news glossary, so that grouping sees one story in two languages.

"Sheinbaum rechaza tropas de EU contra cárteles" and "Sheinbaum rejects U.S.
troops against cartels" share only two words as written; mapped to concepts
they share five. Each line is a concept followed by the words (any
inflection, either language) that express it. Only grouping uses this; topic
queries match the words the user wrote.
"""

from __future__ import annotations

from feeds.briefs.text import stem, tokens

_GLOSSARY = """
arrest: arrest arrests arrested arresting detain detains detained detention detiene detienen
  detenido detenida detenidos detenidas detencion arresto arrestan arrestado capturan captura
  capturado capturada capturados capture captured aprehenden aprehendido aprehension nabbed
  cae caen
kill: kill kills killed killing killings dead death deaths die died dies murder murders
  murdered murdering asesinan asesina asesinado asesinados asesinada asesinadas asesinato
  asesinatos asesino mata matan matado muerto muertos muerta muertas mueren murieron
  victima victimas victim victims slain homicide homicides homicidio homicidios fatal
  perdieron
gunmen: gunmen gunman attackers sicario sicarios comando pistoleros "armed men"
  "hombres armados" "grupo armado" "armed group" "grupos armados"
shooting: shooting shootings shootout balacera balaceras tiroteo tiroteos balazos disparos
  gunfire shot enfrentamiento enfrentamientos clash clashes
attack: attack attacks attacked ataque ataques atacan atacado atacaron ambush ambushed
  emboscada emboscan emboscaron irrumpieron stormed raid raided operativo
massacre: massacre masacre
kidnap: kidnap kidnapped kidnapping kidnappings secuestro secuestros secuestran secuestrado
  secuestrados abducted abduction "privados de la libertad" "privo de la libertad"
extradite: extradite extradited extradition extraditions extradicion extradiciones
  extraditado extraditados extraditan extradita transferred transfer handed entrega envio
  entregados
cartel: cartel cartels carteles
drug: drug drugs droga drogas narcotics narcotrafico narcotraffic "drug trafficking"
trafficker: trafficker traffickers narcotraficante narcotraficantes narco narcos
fentanyl: fentanyl fentanilo
lab: lab labs laboratory laboratories laboratorio laboratorios narcolaboratorio
seize: seize seized seizes seizure seizures haul decomiso decomisan decomisaron aseguran
  aseguraron aseguramiento incautan incautaron incautacion confiscated
weapon: weapon weapons arms gun guns firearms rifle rifles arma armas armerias
troop: troop troops soldier soldiers tropa tropas soldado soldados militares "military forces"
military: military militar
army: army ejercito sedena
navy: navy marina semar marines
police: police policia policias agente agentes officer officers patrol patrulla
border: border frontera fronteriza fronterizo
us: us usa eu eeuu "estados unidos" "united states" washington american americanos
  estadounidense estadounidenses
mexico: mexico mexican mexicans mexicano mexicana mexicanos mexicanas
president: president presidente presidenta mandataria mandatario
government: government gobierno administration administracion
governor: governor gobernador gobernadora
mayor: mayor alcalde alcaldesa "presidente municipal"
minister: minister ministry secretary secretaria secretario
security: security seguridad
reject: reject rejects rejected rejection rebuff rebuffs rechaza rechazo rechazan rechazaron
  "says no" "no aceptaremos"
rule_out: "rule out" "rules out" "ruled out" descarta descartan descarto
agree: agree agreed agreement agreements deal pact acuerdo acuerdos firman firmaron pacto
  framework
offer: offer offered ofrece oferta propuesta proposal proposed
sanction: sanction sanctions sanctioned sanciona sanciones sancionado blacklisted
launder: launder laundering lavado lavar lavan
money: money dinero
treasury: treasury tesoro
journalist: journalist journalists reporter reporters periodista periodistas comunicador
  comunicadores
grave: grave graves fosa fosas
body: body bodies cuerpo cuerpos cadaver cadaveres restos
missing: missing disappeared desaparecido desaparecidos desaparecida desaparecidas
  buscadoras searching
prison: prison prisons jail penal carcel prision cereso inmates reos internos
escape: escape escaped escapes fuga fugan fugaron huyeron
riot: riot motin
sentence: sentence sentenced sentencia sentenciado condena condenado condenan
life: life perpetua
judge: judge judges juez jueces court tribunal corte
lawsuit: lawsuit lawsuits demanda demandas suit
trial: trial juicio
helicopter: helicopter helicopters helicoptero helicopteros
sale: sale sales venta ventas
approve: approve approved approves aprueba aprobo aprueban cleared
homicide_rate: "homicide rate" "tasa de homicidios"
fall: fall falls fell drop dropped drops decline declined baja bajan bajaron caida disminuyeron
  disminuye reduccion
rise: rise rises rose increase increased aumento aumentan aumentaron
record: record récord
migrant: migrant migrants migrante migrantes immigrant immigrants inmigrante inmigrantes
caravan: caravan caravans caravana caravanas
asylum: asylum asilo
deport: deport deported deportation deportations deportado deportados deporta deportan
  deportacion deportaciones repatriated repatriados repatriacion
shelter: shelter shelters albergue albergues
truck: truck trucks trailer camion tractocamion trailer
rescue: rescue rescued rescata rescatan rescataron rescate
drown: drown drowned drowning ahogan ahogados
lime: lime limes limon limoneros
grower: grower growers farmer farmers productor productores agricultores
extortion: extortion extorsion extorsiones "cobro de piso"
protest: protest protests protesta protestas marcha marchan marcharon bloqueo bloqueos
  bloquearon
harvest: harvest cosecha cortes picking
school: school schools escuela escuelas
class: class classes clase clases
board: board junta
textbook: textbook textbooks "libro de texto"
election: election elections eleccion elecciones electoral
earthquake: earthquake sismo terremoto quake
hurricane: hurricane huracan
hotel: hotel hotels hoteles
reopen: reopen reopened reopens reabre reabren reabrio
rate: rate rates tasa tasas
cut: cut cuts recorta recorte reduce redujo
bank: bank banco
central_bank: "central bank" banxico "banco de mexico"
debt: debt deuda
oil: oil petroleo
tariff: tariff tariffs arancel aranceles
steel: steel acero
tomato: tomato tomatoes jitomate tomate
talks: talks negotiate negotiation negociar negociacion
retaliate: retaliate retaliation represalia represalias
football: football soccer futbol
match: match game partido
team: team seleccion equipo
win: win wins won beat beats vence vencio derrota derroto gana gano victoria
draw: draw drew empate empatan
semifinal: semifinal semifinales semifinals
book: book books libro libros
fair: fair feria
parade: parade desfile
dead_day: "day of the dead" "dia de muertos"
tourist: tourist tourists turista turistas
bus: bus autobus
crash: crash accident accidente
conference: conference congreso
developer: developer developers desarrolladores
overdose: overdose overdoses sobredosis
cocaine: cocaine cocaina
hashish: hashish hachis
gang: gang gangs pandilla pandillas
emergency: emergency emergencia "state of prevention" "estado de prevencion"
renovation: renovation remodelacion
stadium: stadium estadio
world_cup: "world cup" mundial
exports: export exports exportaciones
drone: drone drones dron
explosive: explosive explosives explosivos
village: village villages comunidad comunidades poblado
flee: flee fled flight huyen desplazados displaced
resign: resign resigns resigned renuncia renuncio
threat: threat threats threatened amenaza amenazas amenazado
general: general
bribe: bribe bribes bribery soborno sobornos
indict: indict indicted charges charged acusa acusado cargos
terrorist: terrorist terrorists terrorista terroristas terrorism terrorismo
designate: designate designated designation designa designacion
fuel: fuel combustible gasoline gasolina
theft: theft robo
network: network ring red
inspection: inspection inspections inspeccion inspecciones inspector inspectors
avocado: avocado avocados aguacate
son: son hijo
leader: leader leaders lider lideres boss jefe capo kingpin
mine: mine mina miners mineros mining minera
worker: worker workers trabajador trabajadores
hospital: hospital
water: water agua
drought: drought sequia
crop: crop crops cultivo cultivos cosecha
women: women woman mujer mujeres
femicide: femicide femicides feminicidio feminicidios
taxi: taxi taxis taxistas taxi_drivers
1: one uno
2: two dos
3: three tres
4: four cuatro
5: five cinco
6: six seis
7: seven siete
8: eight ocho
9: nine nueve
10: ten diez
11: eleven once
12: twelve doce
billion: billion "mil millones"
"""


def _parse(text: str) -> dict[tuple[str, ...], str]:
    """Map each variant (as a tuple of stems: single words or phrases) to its concept."""
    variants: dict[tuple[str, ...], str] = {}
    concept = None
    for line in text.strip().splitlines():
        head, sep, rest = line.partition(":")
        if sep and not line.startswith(" "):
            concept, line = head.strip(), rest
        assert concept is not None
        for phrase in _split_variants(line):
            key = tuple(stem(word) for word in tokens(phrase))
            if key:
                variants.setdefault(key, concept)
    return variants


def _split_variants(line: str) -> list[str]:
    parts, quoted = [], line.split('"')
    for index, chunk in enumerate(quoted):
        if index % 2:
            parts.append(chunk)
        else:
            parts.extend(chunk.split())
    return parts


_VARIANTS = _parse(_GLOSSARY)
WORD_CONCEPTS: dict[str, str] = {k[0]: v for k, v in _VARIANTS.items() if len(k) == 1}
PHRASE_CONCEPTS: dict[tuple[str, ...], str] = {k: v for k, v in _VARIANTS.items() if len(k) > 1}
_PHRASE_STARTS = frozenset(k[0] for k in PHRASE_CONCEPTS)
_LONGEST_PHRASE = max((len(k) for k in PHRASE_CONCEPTS), default=1)


def concepts(stems: list[str]) -> list[str]:
    """Replace known words and phrases by their concept; other stems pass through."""
    out: list[str] = []
    i, n = 0, len(stems)
    while i < n:
        word = stems[i]
        if word in _PHRASE_STARTS:
            for size in range(min(_LONGEST_PHRASE, n - i), 1, -1):
                concept = PHRASE_CONCEPTS.get(tuple(stems[i : i + size]))
                if concept is not None:
                    out.append(concept)
                    i += size
                    break
            else:
                out.append(WORD_CONCEPTS.get(word, word))
                i += 1
            continue
        out.append(WORD_CONCEPTS.get(word, word))
        i += 1
    return out
