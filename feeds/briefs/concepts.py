"""A small English/Spanish news glossary, so that grouping sees one story in two languages.

"Sheinbaum rechaza tropas de EU contra cárteles" and "Sheinbaum rejects U.S.
troops against cartels" share only two words as written; mapped to concepts
they share five. Each line is a concept followed by the words (any
inflection, either language) that express it. Only grouping uses this; topic
queries match the words the user wrote.

Words the glossary does not know are cut to their first six letters, the
truncation stemming that cross-language retrieval uses for Romance
languages and English: impunity / impunidad, investigation / investigación,
tractor / tractocamión meet; names and short words stay whole.
"""

from __future__ import annotations

from feeds.briefs.text import STOPWORDS, stem, tokens

_GLOSSARY = """
arrest: arrest arrests arrested arresting detain detains detained detention detiene detienen
  detenido detenida detenidos detenidas detencion arresto arrestan arrestado capturan captura
  capturado capturada capturados capture captured aprehenden aprehendido aprehension nabbed
  cae caen
kill: kill kills killed killing killings dead death deaths die died dies murder murders
  murdered murdering asesinan asesina asesinado asesinados asesinada asesinadas asesinato
  asesinatos asesino mata matan matado muerto muertos muerta muertas mueren murieron
  victima victimas victim victims slain homicide homicides homicidio homicidios fatal
  perdieron abatidos abaten abatieron abatido fallecieron fallecen fallece fallecio ejecutados
  "shot dead" "sin vida" "perdieron la vida"
gunmen: gunmen gunman attackers sicario sicarios comando pistoleros "armed men"
  "hombres armados" "grupo armado" "armed group" "grupos armados"
shooting: shooting shootings shootout balacera balaceras tiroteo tiroteos balazos disparos
  gunfire shot enfrentamiento enfrentamientos clash clashes
attack: attack attacks attacked ataque ataques atacan ataca ataco atacado atacaron ambush ambushed
  agreden agresion agredidos atentado
  emboscada emboscan emboscaron irrumpieron stormed raid raided operativo
massacre: massacre masacre
kidnap: kidnap kidnapped kidnapping kidnappings secuestro secuestros secuestran secuestrado
  secuestrados abducted abduction "privados de la libertad" "privo de la libertad"
extradite: extradite extradited extradition extraditions extradicion extradiciones
  extraditado extraditados extraditan extradita transferred transfer transfers handed handing
  "hand over" "hands over" entrega entregan entrego envian traslada trasladan traslado trasladados
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
mayor: mayor mayors alcalde alcaldesa exalcalde exalcaldesa edil exedil "presidente municipal"
  "presidenta municipal" "expresidente municipal"
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
worker: worker workers trabajador trabajadores employee employees empleado empleados
  jornalero jornaleros farmhand farmhands laborer laborers labourer labourers
hospital: hospital
water: water agua
drought: drought sequia
crop: crop crops cultivo cultivos cosecha
women: women woman mujer mujeres
femicide: femicide femicides feminicidio feminicidios
taxi: taxi taxis taxistas taxi_drivers
send: send sends sent envia envian enviara enviaran enviar envio
deploy: deploy deploys deployed deployment despliegue despliegan despliega desplegar reinforce
  reinforces reinforced reinforcements refuerzan refuerza refuerzo
arrive: arrive arrives arrived arrival llegan llega llegaron llegada
house: house houses home homes casa casas vivienda viviendas domicilio hogar
vehicle: vehicle vehicles car cars vehiculo vehiculos auto autos automovil carro carros
van: van vans camioneta camionetas pickup
burn: burn burns burned burnt torch torches torched "set fire" queman quemaron incendian
  incendiaron incendiado incendiados
explode: explode explodes exploded explosion explosions blast blasts explota exploto explosiones
  estalla estallo detona detono detonated bomb bombs bombing "car bomb" "coche bomba"
  "carro bomba"
wound: wound wounded wounding injure injured injuring injuries herido heridos herida heridas
  lesionado lesionados lesionadas lesionada hurt
wake: wake velorio velorios mourners dolientes
funeral: funeral funerals sepelio exequias entierro bury buried sepultan sepultaron
rehab: rehab rehabilitation rehabilitacion anexo anexos
bar: bar bars cantina cantinas
restaurant: restaurant restaurants restaurante restaurantes restaurantero
party: party parties fiesta fiestas
car_wash: "car wash" autolavado autolavados
taco_stand: "taco stand" "taco stall" "puesto de tacos" taqueria
workshop: workshop workshops taller talleres
shop: shop shops store stores tienda tiendas negocio negocios comercio comercios
market: market markets mercado mercados tianguis
church: church churches iglesia iglesias templo
road: road roads highway highways carretera carreteras autopista autopistas camino caminos
bridge: bridge bridges puente puentes
airport: airport airports aeropuerto aeropuertos "terminal aerea"
port: port seaport puerto
mountain: mountain mountains sierra sierras montana montanas
coast: coast coastal costa costas litoral
sea: sea ocean mar oceano
river: river rio
ranch: ranch rancho
neighbourhood: neighbourhood neighbourhoods neighborhood neighborhoods colonia colonias barrio
  barrios
family: family families familia familias relatives familiares relative
child: child children minor minors menor menores nino ninos nina ninas
student: student students estudiante estudiantes alumno alumnos
businessman: businessman businessmen businesswoman empresario empresaria empresarios
driver: driver drivers conductor conductores chofer choferes
prosecutor: prosecutor prosecutors fiscal fiscales fiscalia "attorney general"
ambassador: ambassador ambassadors embajador embajadora
fugitive: fugitive fugitives profugo profuga profugos "on the run"
flight: flight flights vuelo vuelos
faction: faction factions faccion facciones
finance: finance finances finanzas financial financiero financiera accountant contador
  "operador financiero"
company: company companies firm firms empresa empresas
exchange_house: "currency exchange" "casa de cambio" "casas de cambio"
impunity: impunity impunidad
justice: justice justicia
investigate: investigation investigations investigate investigates investigating investigacion
  investigar investiga investigan inquiry probe pesquisa
unharmed: unharmed "con vida" "sanos y salvos"
checkpoint: checkpoint checkpoints reten retenes
hidden: hidden concealed hide hides ocultos ocultas oculto oculta escondidos escondidas
  escondido escondida crammed packed hacinados hacinadas
pill: pill pills pastilla pastillas tablet tablets
chemical: chemical chemicals precursor precursors quimico quimicos precursores quimica
meth: methamphetamine meth metanfetamina
boat: boat boats speedboat speedboats lancha lanchas embarcacion embarcaciones narcolancha
  vessel vessels
submarine: submarine submarines "semi-submersible" semisumergible narcosubmarino
tunnel: tunnel tunnels tunel tuneles narcotunel
crew: crew tripulantes tripulacion
national_guard: "national guard" "guardia nacional" guardsmen guardsman
customs: customs aduana aduanas cbp
crossing: crossing crossings cruce cruces garita garitas "port of entry"
reform: reform reforms reforma reformas
congress: congress congreso lawmakers legisladores legislators diputados
senate: senate senado senators senadores senator senador senadora
vote: vote votes voted voto votos votacion
law: law laws ley leyes
inflation: inflation inflacion
dollar: dollar dollars dolar dolares
price: price prices precio precios
job: job jobs empleo empleos
cruise: cruise cruises crucero cruceros
passenger: passenger passengers pasajero pasajeros
champion: champion champions campeon campeones title championship campeonato
final: final finals
film: film films movie movies pelicula peliculas cine
visitor: visitor visitors visitante visitantes
find: find finds found hallan halla hallaron hallazgo localizan localiza localizo localizaron
  encuentran encontraron discover discovers discovered descubren descubrieron
release: release releases released liberan libera libero liberados liberadas liberado freed
condemn: condemn condemns condemned condena condenan condeno repudia repudian
promise: promise promises promised promete prometen prometio vow vows vowed pledge pledges
  pledged
demand: demand demands demanded exige exigen exigio exigencia exigencias "call for"
  "calls for" "called for" pide piden pidio urge urges urged insta presses asks solicita
  solicito
question: question questions questioned cuestiona cuestionan cuestiono doubt doubts duda
  "en duda"
blame: blame blames blamed culpa culpan atribuye atribuyo attribute attributes attributed
praise: praise praises praised hail hails hailed thank thanks thanked agradece agradecio
  celebra welcome welcomes welcomed
defend: defend defends defended defiende defienden defendio
respond: respond responds response respuesta responde respondio reply replies
warn: warn warns warned warning advierte advierten advirtio
meet: meet meets meeting reunion reune reunio
figure: figure figures cifra cifras toll tolls saldo
guilty: guilty culpable "pleaded guilty" "se declaro culpable"
weekend: weekend "fin de semana"
night: night noche nighttime
dawn: dawn madrugada "before dawn"
north: north northern norte
south: south southern sur
west: west western oeste occidente
east: east eastern oriente
central: central centro
state: state states estado estados
city: city cities ciudad ciudades
gulf: gulf golfo
cjng: cjng "jalisco new generation" "jalisco nueva generacion" "cartel jalisco"
immigration: immigration migratorio migratoria migracion "instituto nacional de migracion"
refugee: refugee refugees refugiado refugiados
documents: document documents documentos papers papeles permit permits permiso permisos visa
  visas
office: office offices oficina oficinas
camp: camp camps campamento campamentos tents tent "casas de campana"
fireworks: fireworks firework pirotecnia pirotecnico polvorin
clandestine: clandestine clandestino clandestina clandestinos unlicensed illegal ilegal
warehouse: warehouse warehouses bodega bodegas
flood: flood floods flooding inundacion inundaciones inundadas inundados
rain: rain rains lluvia lluvias
storm: storm storms tormenta tormentas
january: january enero
february: february febrero
march: march marzo
april: april abril
may_month: mayo
june: june junio
july: july julio
august: august agosto
september: september septiembre
october: october octubre
november: november noviembre
december: december diciembre
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


def parse_word_lists(text: str) -> dict[tuple[str, ...], str]:
    """Map each variant (a tuple of stems: one word or a phrase) to the label of its line.

    Lines are "label: word word \"a phrase\" …"; indented lines continue the
    previous label. The first label listing a variant keeps it.
    """
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


_VARIANTS = parse_word_lists(_GLOSSARY)
WORD_CONCEPTS: dict[str, str] = {k[0]: v for k, v in _VARIANTS.items() if len(k) == 1}
PHRASE_CONCEPTS: dict[tuple[str, ...], str] = {k: v for k, v in _VARIANTS.items() if len(k) > 1}
_PHRASE_STARTS = frozenset(k[0] for k in PHRASE_CONCEPTS)
_LONGEST_PHRASE = max((len(k) for k in PHRASE_CONCEPTS), default=1)


COGNATE_CHARS = 6


def concept_of(word: str) -> str:
    """The concept of one stem: the glossary's, else its cognate prefix (see module doc)."""
    concept = WORD_CONCEPTS.get(word)
    if concept is not None:
        return concept
    if len(word) > COGNATE_CHARS and word.isalpha() and word not in STOPWORDS:
        return word[:COGNATE_CHARS]
    return word


def concepts(stems: list[str]) -> list[str]:
    """Replace known words and phrases by their concept; other stems by `concept_of`."""
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
                out.append(concept_of(word))
                i += 1
            continue
        out.append(concept_of(word))
        i += 1
    return out
