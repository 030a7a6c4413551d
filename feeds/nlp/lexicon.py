"""Word lists the rules lean on: reporting verbs, titles, roles, pronouns.

Verbs are listed by their base form and inflected here, so the lists stay
readable and cover "said", "says", "saying" and "has said" alike.
"""

from __future__ import annotations

import re


def wordset(text: str) -> frozenset[str]:
    """The whitespace-separated words of `text` (keeps long word lists readable)."""
    return frozenset(text.split())


# English verbs of saying (and of writing or posting, which attribute quotes too).
_EN_REPORTING = """
acknowledge add admit advise agree allege announce answer argue ask assert assure
beg blast boast brag brand call caution characterize characterise charge chide cite claim
comment complain concede conclude concur condemn confess confirm continue contend counter
cry declare decry demand denounce deny describe dismiss dub emphasise emphasize
estimate exclaim explain gush hail highlight hint indicate inform insist interject joke
label lament laud liken maintain mention mock muse note observe opine plead pledge
post praise predict proclaim promise protest quip rail read reason rebuke recall recount
reflect reiterate rejoin remark remind repeat reply report respond retort reveal say
scoff scold scream shout sigh slam snap speculate state stress suggest summarize summarise
swear tell testify thunder tout tweet underscore urge vow warn whisper wonder write yell
"""
# Verbs that report speech only when the quote depends on them in the parse:
# 'the report found that "..."', 'she compared him to "..."'.
_EN_LINKED = """
accuse assess attack believe compare consider criticise criticize deem encourage feel find
hope identify question rate show think want
"""
_EN_IRREGULAR = {
    "say": ["said"],
    "tell": ["told"],
    "write": ["wrote", "written"],
    "swear": ["swore", "sworn"],
    "cry": ["cried", "cries"],
    "reply": ["replied", "replies"],
    "deny": ["denied", "denies"],
    "testify": ["testified", "testifies"],
    "admit": ["admitted", "admitting"],
    "find": ["found"],
    "show": ["shown"],
    "think": ["thought"],
    "feel": ["felt"],
    "read": [],
    "dub": ["dubbed", "dubbing"],
    "label": ["labeled", "labelled", "labeling", "labelling"],
    "quip": ["quipped", "quipping"],
    "snap": ["snapped", "snapping"],
    "slam": ["slammed", "slamming"],
    "concur": ["concurred", "concurring"],
}

# Verbs that introduce a quote only with their particle: "fired back", "pointed out".
EN_PARTICLE_CUES = {
    form: particle
    for base, particle, irregular in [
        ("fire", "back", ["fired", "fires", "firing"]),
        ("shoot", "back", ["shot", "shoots", "shooting"]),
        ("point", "out", ["pointed", "points", "pointing"]),
        ("chime", "in", ["chimed", "chimes", "chiming"]),
    ]
    for form in [base, *irregular]
}

# Nouns that attribute a quote hanging from them to their possessor:
# 'Trump's claim that there were "thousands of shootings"'.
EN_CUE_NOUNS = wordset("""
claim claims statement statements remark remarks comment comments words tweet tweets
message assertion accusation warning promise pledge vow prediction argument suggestion
insistence description characterization quote quip retort response reply answer
testimony letter speech
""")


def _inflect_en(base: str) -> set[str]:
    forms = {base}
    if base in _EN_IRREGULAR:
        forms.update(_EN_IRREGULAR[base])
    stem = base[:-1] if base.endswith("e") else base
    if base.endswith(("s", "sh", "ch", "x", "z")):
        forms.add(base + "es")
    elif base.endswith("y") and base[-2] not in "aeiou":
        forms.add(base[:-1] + "ies")
    else:
        forms.add(base + "s")
    if base.endswith("y") and base[-2] not in "aeiou":
        forms.add(base[:-1] + "ied")
    else:
        forms.add(stem + "ed")
    forms.add((base if base.endswith("ee") else stem) + "ing")
    return forms


EN_REPORTING_VERBS = frozenset(form for base in _EN_REPORTING.split() for form in _inflect_en(base))
EN_LINKED_CUES = frozenset(form for base in _EN_LINKED.split() for form in _inflect_en(base))

# Spanish verbs of saying, by infinitive; inflected for the third person in
# the tenses news uses (present, preterite, imperfect, perfect, gerund).
_ES_REGULAR = """
afirmar señalar asegurar declarar explicar indicar añadir agregar expresar manifestar
comentar subrayar destacar insistir responder contestar preguntar admitir apuntar precisar
detallar aclarar anunciar denunciar criticar exclamar enfatizar recalcar puntualizar
publicar tuitear reiterar remarcar lamentar mencionar relatar narrar considerar opinar
estimar argumentar alegar acusar ironizar bromear cuestionar sentenciar zanjar aseverar
asentir acotar replicar resaltar rechazar advertir escribir prometer revelar reclamar
exigir cuestionar matizar agradecer celebrar sostener reconocer concluir pedir contar
recordar confesar mostrar gritar clamar susurrar murmurar reprochar
"""
_ES_IRREGULAR = {
    "decir": "dijo dice dicen dijeron decía decían dicho diciendo dirá",
    "sostener": "sostuvo sostiene sostienen sostuvieron sostenía sostenido sosteniendo",
    "advertir": "advirtió advierte advierten advirtieron advertía advertido advirtiendo",
    "reconocer": "reconoció reconoce reconocen reconocieron reconocía reconocido",
    "concluir": "concluyó concluye concluyen concluyeron concluía concluido",
    "pedir": "pidió pide piden pidieron pedía pedido pidiendo",
    "contar": "contó cuenta cuentan contaron contaba contado",
    "recordar": "recordó recuerda recuerdan recordaron recordaba recordado",
    "confesar": "confesó confiesa confiesan confesaron confesaba confesado",
    "mostrar": "mostró muestra",
    "escribir": "escribió escribe escriben escribieron escribía escrito",
    "asentir": "asintió asiente",
    "sugerir": "sugirió sugiere sugieren sugirieron sugería sugerido",
}


def _inflect_es(infinitive: str) -> set[str]:
    if infinitive in _ES_IRREGULAR:
        return set(_ES_IRREGULAR[infinitive].split())
    stem, ending = infinitive[:-2], infinitive[-2:]
    if ending == "ar":
        endings = ["ó", "a", "an", "aron", "aba", "aban", "ado", "ando"]
    else:
        endings = ["ió", "e", "en", "ieron", "ía", "ían", "ido", "iendo"]
    return {stem + e for e in endings}


ES_REPORTING_VERBS = frozenset(
    form for verb in {*_ES_REGULAR.split(), *_ES_IRREGULAR} for form in _inflect_es(verb)
)

# Titles and descriptors that precede a name but are not part of it.
TITLES = wordset("""
mr mr. mrs mrs. ms ms. miss dr dr. prof prof. sen sen. senator rep rep. representative del.
gov gov. governor president vice pres. pres secretary minister premier chancellor mayor
judge justice gen gen. general col col. lt lt. sgt sgt. capt capt. adm adm. cmdr
speaker chairman chairwoman chair chief director commissioner ambassador attorney
king queen prince princess pope rev rev. reverend father sister brother sir dame lord lady
former then-president candidate nominee leader sheriff officer detective coach
deputy assistant acting interim first prime foreign defense defence interior finance
state house senate u.s. us democratic republican gop democrat
sr sr. doña sra sra. sr. presidente presidenta secretario secretaria ministro ministra
gobernador gobernadora alcalde alcaldesa senador senadora diputado diputada canciller
jefe jefa general juez jueza fiscal el la los las expresidente expresidenta
""")

# Words that end a title run even when capitalised ("Mexican President ...").
DEMONYM_SUFFIXES = ("an", "ian", "ese", "ish", "ic", "i")

# Role nouns that a definite description can refer back through:
# "the president" -> the person earlier called "President X" or "X, the president".
EN_ROLES = wordset("""
president senator governor secretary minister mayor candidate nominee chairman
chairwoman chair spokesman spokeswoman spokesperson judge justice ambassador director
commissioner congressman congresswoman representative lawmaker leader speaker
sheriff chief attorney prosecutor premier chancellor king queen pope general
""")
ES_ROLES = wordset("""
presidente presidenta mandatario mandataria secretario secretaria ministro ministra
gobernador gobernadora alcalde alcaldesa senador senadora diputado diputada canciller
juez jueza fiscal vocero vocera portavoz dirigente líder jefe jefa director directora
""")

# Nouns for people: a capitalised run after one ("campaign manager Kellyanne
# Conway") or in apposition ("Conway, the campaign manager") names a person.
PERSON_NOUNS = (
    EN_ROLES
    | ES_ROLES
    | wordset("""
manager adviser advisor aide strategist spokesperson executive official analyst professor
lawyer economist researcher author writer host anchor reporter correspondent actor actress
singer rapper coach player wife husband son daughter mother father brother sister friend
supporter critic founder ceo officer detective activist organizer pastor survivor victim
resident neighbor candidate surrogate member owner partner colleague teacher student
doctor nurse chairman chairwoman director deputy mate
councilman councilwoman councilmember councillor alderman alderwoman assemblyman
assemblywoman assemblymember legislator lawmaker delegate trustee supervisor
superintendent treasurer comptroller auditor inspector commander sergeant lieutenant
captain colonel admiral marshal trooper warden clerk bishop archbishop cardinal rabbi
imam priest nun dean provost envoy diplomat negotiator farmer rancher fisherman teacher
worker organizer engineer driver pilot mechanic shopkeeper firefighter soldier veteran
retiree widow widower grandmother grandfather grandson granddaughter aunt uncle cousin
niece nephew fiancé fiancée girlfriend boyfriend spouse parent mom dad plaintiff
defendant witness juror lobbyist pollster operative staffer chef baker entrepreneur
filmmaker photographer editor publisher columnist commentator
abogado abogada analista experto experta investigador investigadora activista esposa
esposo hijo hija madre padre directora dirigente vocero vocera
""")
)

_AGENT_SUFFIXES = ("ist", "ists", "ian", "ians")  # economist, hydrologist, physician


def is_person_noun(word: str) -> bool:
    """A noun for a person: listed, or lower-case and formed like "economist" or
    "librarian" (not capitalised, so not "Christian" or "Indian")."""
    key = word.casefold()
    return key in PERSON_NOUNS or (
        word.islower() and len(word) > 5 and key.endswith(_AGENT_SUFFIXES)
    )


EN_MALE = wordset(
    "he him his himself mr mr. sir king prince father brother husband son "
    "spokesman chairman congressman businessman"
)
EN_FEMALE = wordset(
    "she her hers herself mrs mrs. ms ms. miss queen princess mother sister wife daughter "
    "spokeswoman chairwoman congresswoman businesswoman dame lady"
)
EN_PERSON_PRONOUNS = {"he": "m", "she": "f", "i": None, "we": None, "they": None}

# Heads of noun phrases that name an organisation rather than a person.
ORG_WORDS = wordset("""
house white pentagon department ministry party committee commission council agency
office administration government campaign court congress senate parliament police
army navy military company corporation corp inc ltd group university college school
association union federation bureau service network news times post journal press
television radio institute foundation center centre organization organisation
board bank fund agency authority coalition caucus embassy secretariat secretaría
society alliance council league network institute airline firm carrier automaker
retailer utility hospital district county city newspaper magazine insurer lender
manufacturer chain operator airport
gobierno partido ministerio secretaría comisión consejo instituto universidad
procuraduría fiscalía policía ejército marina senado cámara congreso suprema corte
casa blanca pentágono
""")

# Anonymous sources: a quote attributed to these has no name to show.
ANONYMOUS_HEADS = wordset("""
source sources official officials aide aides person people someone observer
observers analyst analysts expert experts witness witnesses resident residents
critic critics supporter supporters voter voters fuente fuentes funcionario
funcionarios
""")

WORD = re.compile(r"\w+(?:[.'’-]\w+)*\.?", re.UNICODE)

# Countries, US states and a few capitals and regions that make the news: a
# capitalised run that is one of these is a place (speaking for its government),
# not a person ("Japan branded North Korea ...", "Virginia", "Culiacán").
PLACES = wordset(
    """
afghanistan albania algeria andorra angola argentina armenia australia austria azerbaijan
bahamas bahrain bangladesh barbados belarus belgium belize benin bhutan bolivia bosnia
botswana brazil brunei bulgaria burundi cambodia cameroon canada chad chile china colombia
comoros congo croatia cuba cyprus czechia denmark djibouti dominica ecuador egypt eritrea
estonia eswatini ethiopia fiji finland france gabon gambia georgia germany ghana greece
grenada guatemala guinea guyana haiti honduras hungary iceland india indonesia iran iraq
ireland israel italy jamaica japan jordan kazakhstan kenya kiribati korea kosovo kuwait
kyrgyzstan laos latvia lebanon lesotho liberia libya liechtenstein lithuania luxembourg
madagascar malawi malaysia maldives mali malta mauritania mauritius mexico micronesia moldova
monaco mongolia montenegro morocco mozambique myanmar namibia nauru nepal netherlands
nicaragua niger nigeria norway oman pakistan palau palestine panama paraguay peru
philippines poland portugal qatar romania russia rwanda samoa senegal serbia seychelles
singapore slovakia slovenia somalia spain sudan suriname sweden switzerland syria taiwan
tajikistan tanzania thailand togo tonga tunisia turkey turkmenistan tuvalu uganda ukraine
uruguay uzbekistan vanuatu vatican venezuela vietnam yemen zambia zimbabwe britain england
scotland wales europe africa asia america americas alabama alaska arizona arkansas
california colorado connecticut delaware florida hawaii idaho illinois indiana iowa kansas
kentucky louisiana maine maryland massachusetts michigan minnesota mississippi missouri
montana nebraska nevada ohio oklahoma oregon pennsylvania tennessee texas utah vermont
virginia washington wisconsin wyoming beijing moscow kyiv kiev london paris berlin madrid
rome tokyo seoul pyongyang tehran baghdad kabul jerusalem gaza brussels ottawa havana
caracas bogotá bogota lima quito santiago tijuana culiacán culiacan sinaloa chihuahua
jalisco sonora michoacán michoacan guerrero oaxaca chiapas tamaulipas veracruz yucatán
yucatan monterrey guadalajara acapulco españa méxico perú brasil alemania francia rusia
japón canadá
"""
)
# Multi-word places: a first word from PLACE_PREFIXES and a last one from
# PLACES or PLACE_ENDINGS ("North Korea", "New York", "Estados Unidos").
PLACE_PREFIXES = wordset(
    """
new north south east west northern southern eastern western central united saudi sri hong
costa puerto el san santa los las baja nueva ciudad estados reino corea
"""
)
PLACE_ENDINGS = wordset(
    """
york jersey hampshire mexico carolina dakota zealand arabia lanka kong rica rico salvador
angeles francisco diego antonio domingo states kingdom unidos unido méxico juan luis
"""
)

# Common given names whose bearer is nearly always of one gender (English-,
# Spanish- and a few other-language news): "Hillary Clinton" -> f, so that
# "she said" does not go to the nearest man. A surname shared by people of
# both genders (Donald and Ivanka Trump) stays unknown. Names borne by both
# (Terry, Lee, Alex, Dana ...) are left out.
FEMALE_NAMES = wordset("""
abigail ada adriana agnes aisha alejandra alexandra alice alicia alison allison amanda
amber amelia amy ana angela angelica anita ann anna anne annie antonia april
ashley audrey barbara beatriz becky belinda beth betsy betty beverly bianca bonnie
brenda brittany brooke camila carla carmen carol carolina caroline carolyn catherine
cecilia charlotte cheryl chloe christina christine cindy claire clara claudia colleen
connie cristina crystal cynthia daisy danielle daphne deborah debbie debra denise
diana diane donna doris dorothy eileen elaine eleanor elena elisa elizabeth ella ellen
elsa emily emma erica erin esther eva evelyn fatima fernanda fiona frances gabriela
gabrielle gail gina gloria grace gretchen guadalupe gwen hannah harriet heather heidi
helen hillary holly ingrid irene iris isabel isabella ivanka jacqueline jane
janet janice jasmine jeanne jennifer jenny jessica jill joan joanna joanne jocelyn
josefina josephine joy joyce juana judith judy julia julie juliet june karen kate
katherine kathleen kathryn kathy katie kayla kimberly kristen laura lauren leah
leticia lillian linda lisa liz lorena loretta lori louise lucia lucy lupita lydia
madeleine maggie margaret margarita maria mariana marie marisol marjorie marsha martha
mary maureen maya megan melania melanie melinda melissa mercedes meredith mia michaela
michelle mildred miranda molly monica nadia nancy naomi natalia natalie nicole nina
nora norma olivia paola patricia paula pauline peggy penelope phyllis priscilla rachel
rebecca regina renee rita roberta rosa rosalind rose ruth sabrina sally samantha sandra
sara sarah sharon sheila shirley silvia sofia sonia sophia stephanie susan suzanne
sylvia tamara tammy tanya teresa theresa tiffany tina valentina valeria vanessa
veronica victoria virginia vivian wendy whitney yolanda yvonne zoe
""")
MALE_NAMES = wordset("""
aaron abraham adam adrian alan albert alberto alejandro alexander alfonso alfred
alfredo allen alvaro andre andres andrew andy anthony antonio arnold arthur
arturo barack barry ben benjamin bernard bernie bill billy bob bobby brad bradley brandon
brian bruce bryan carl carlos cesar charles charlie chris christian christopher chuck
clarence craig dan daniel danny darren dave david dennis derek diego dick don donald
douglas dwight earl ed eddie edgar eduardo edward eric ernest ernesto eugene evan felipe
fernando francis francisco frank fred gabriel gary george gerald gilbert glenn gordon
greg gregory guillermo gustavo harold harry hector henry herbert howard hugo ian isaac
ivan jack jacob jaime james jared jason javier jay jeff jeffrey jeremy jerry jesus
jim jimmy joe joel john johnny jon jonathan jorge jose joseph josh joshua juan julian
justin keith ken kenneth kevin kyle larry lawrence leo leonard leonardo louis luis
luke manuel marco marcus mario mark martin matt matthew michael miguel mike mitch mitt
muhammad nathan neil nicholas nick nicolas oliver omar oscar owen pablo patrick paul pedro
peter phil philip rafael ralph ramon randy raul ray raymond ricardo richard rick ricky
rob robert roberto rodrigo roger ron ronald roy russell ryan salvador samuel scott
sean sergio seth shawn stephen steve steven ted thomas tim timothy todd tom tommy
tony travis tyler victor vincent walter wayne william willie xavier zachary
""")
