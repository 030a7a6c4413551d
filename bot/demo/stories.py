"""The demo's sample news: four invented outlets, in the style of wire copy.

All text here is our own writing for the demo (the events are invented; public
figures appear only in made-up coverage). Several events are told by two or
three outlets in their own words, and some near-miss stories (football, a U.S.
school board, tourism) share words with "Mexico security" without being about
it. Feeds carry only teasers; the article pages hold the full text with its
quotations. `hours_ago` is turned into a date when the demo server answers, so
the last 24 hours are never empty.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Outlet:
    slug: str
    name: str
    kind: str  # "rss", "atom" or "json"
    language: str
    tagline: str


@dataclass(frozen=True)
class Story:
    outlet: str
    slug: str
    title: str
    teaser: str
    paragraphs: tuple[str, ...]
    hours_ago: float
    author: str
    section: str = "World"


OUTLETS = (
    Outlet("northern-wire", "Northern Wire", "rss", "en", "Fast, factual, first"),
    Outlet("continental-post", "The Continental Post", "atom", "en", "News of the Americas"),
    Outlet("border-report", "Border Report Daily", "json", "en", "Both sides of the line"),
    Outlet("diario-pacifico", "Diario del Pacífico", "rss", "es", "Noticias del noroeste"),
)

STORIES = (
    # Sheinbaum rejects U.S. troops (three outlets).
    Story(
        "northern-wire",
        "sheinbaum-rejects-us-troops",
        "Sheinbaum rejects U.S. troops against cartels, offers intelligence sharing",
        "Mexico's president turned down an offer of U.S. troops to fight drug cartels on "
        "Mexican soil, saying cooperation would stay limited to sharing information.",
        (
            "MEXICO CITY (Northern Wire) — Mexican President Claudia Sheinbaum on Thursday "
            "rejected an offer of U.S. military forces to fight drug cartels inside Mexico, "
            "saying cooperation between the two countries would remain limited to intelligence "
            "sharing and coordination along the border.",
            "“No, President Trump, our territory is inalienable, sovereignty is inalienable,” "
            "Sheinbaum stated at her regular morning news conference at the National Palace.",
            "The offer was raised during a phone call between the two leaders last week, "
            "according to two officials familiar with the conversation who were not authorized "
            "to speak publicly.",
            "“We can collaborate, we can work together, but we will never accept the presence "
            "of the United States military on our territory,” she added, to applause from "
            "members of her cabinet.",
            "A spokesperson for the U.S. State Department, Megan Hale, said Washington respected "
            "Mexico's decision. “We remain committed to working with our Mexican partners to "
            "stop the flow of fentanyl and weapons,” Hale said in a written statement.",
            "Security analysts said the exchange reflected growing pressure from Washington. "
            "“The message from the National Palace is firm but it leaves the door open,” said "
            "Carlos Medina, a security researcher at the Colegio de México.",
        ),
        3.5,
        "Ana Torres",
    ),
    Story(
        "continental-post",
        "mexico-president-no-us-military",
        "Mexico's president says no to U.S. military help: 'sovereignty is inalienable'",
        "Claudia Sheinbaum drew a firm line on Thursday against any deployment of American "
        "soldiers, while keeping security talks with Washington alive.",
        (
            "Mexican President Claudia Sheinbaum drew a firm line on Thursday against any "
            "deployment of American soldiers in Mexico, rejecting what she described as a "
            "proposal from Washington to send troops to confront criminal groups.",
            "“No, President Trump, our territory is inalienable, sovereignty is inalienable,” "
            "Sheinbaum said, reading from notes she said summarized the call.",
            "The president said the two governments would keep meeting every month through a "
            "high-level security group created this year. “Cooperation, yes; subordination, "
            "never,” Sheinbaum told reporters.",
            "Opposition lawmakers accused the government of doing too little against the "
            "cartels. “Saying no is easy; the question is what the plan is,” said Senator "
            "Ricardo Anaya of the National Action Party.",
            "Mexico has deployed thousands of National Guard members to its northern border "
            "since the start of the year as part of an agreement to avoid U.S. tariffs.",
        ),
        4.0,
        "James Whitaker",
    ),
    Story(
        "diario-pacifico",
        "sheinbaum-rechaza-tropas",
        "Sheinbaum rechaza el envío de tropas de EU: «la soberanía no se negocia»",
        "La presidenta descartó cualquier presencia militar estadounidense en territorio "
        "mexicano y ofreció mantener la cooperación en inteligencia.",
        (
            "CIUDAD DE MÉXICO.— La presidenta Claudia Sheinbaum rechazó este jueves la "
            "propuesta de Estados Unidos de enviar tropas para combatir a los cárteles en "
            "territorio mexicano.",
            "«La soberanía no se vende, no se negocia; se ama y se defiende», dijo la "
            "mandataria durante la conferencia matutina en Palacio Nacional.",
            "Sheinbaum afirmó que la cooperación con Washington seguirá en materia de "
            "inteligencia. «Podemos colaborar, pero nunca vamos a aceptar la presencia del "
            "ejército de Estados Unidos en nuestro país», afirmó.",
            "El senador Ricardo Anaya, del PAN, criticó la postura del gobierno. «Decir que no "
            "es fácil; lo difícil es presentar una estrategia que funcione», declaró.",
        ),
        3.0,
        "Redacción",
        "Nacional",
    ),
    # Fentanyl lab in Sinaloa (three outlets).
    Story(
        "northern-wire",
        "sinaloa-fentanyl-lab",
        "Mexican navy dismantles large fentanyl lab in Sinaloa mountains",
        "Marines seized precursor chemicals and pill presses at a clandestine laboratory "
        "near Cosalá, the navy said, calling it one of the largest found this year.",
        (
            "CULIACÁN, Mexico (Northern Wire) — Mexican marines dismantled a clandestine "
            "fentanyl laboratory in the mountains of Sinaloa state and seized more than a ton "
            "of precursor chemicals, the navy said on Thursday.",
            "The laboratory, hidden under tarps in a ravine near the town of Cosalá, had "
            "industrial pill presses and enough material to make millions of doses, according "
            "to a navy statement.",
            "“This is one of the largest laboratories we have found this year, and it was "
            "producing for export,” said Navy spokesman Captain Rodrigo Salas.",
            "No arrests were made. Salas said the workers fled before the marines arrived. “They "
            "had lookouts on the road; we found radios and fresh food,” he said.",
            "Security Secretary Omar García Harfuch wrote on social media that the raid was "
            "based on intelligence gathered over several months. “We will keep dismantling "
            "these networks, piece by piece,” García Harfuch said.",
        ),
        6.0,
        "Ana Torres",
    ),
    Story(
        "border-report",
        "navy-raid-sinaloa-lab",
        "Navy raid on Sinaloa lab takes a ton of fentanyl precursors off the market",
        "The seizure near Cosalá follows weeks of pressure from Washington to show results "
        "against synthetic drug production.",
        (
            "Mexican marines raided a fentanyl laboratory in the Sierra Madre foothills of "
            "Sinaloa, seizing more than a ton of precursor chemicals and four pill presses, "
            "officials said Thursday.",
            "The raid came as U.S. officials pressed Mexico for visible results. “Every lab "
            "taken down is a shipment that never reaches our streets,” said Daniel Ortiz, a "
            "former Drug Enforcement Administration agent who now teaches in El Paso.",
            "Navy spokesman Captain Rodrigo Salas said the site had been active for months. "
            "“The chemicals came from ports on the Pacific coast; we are following that "
            "trail,” Salas said.",
            "Residents of Cosalá told local reporters they heard helicopters before dawn. "
            "“Nobody here talks about what happens in the hills,” said one shopkeeper, who "
            "asked not to be named for fear of reprisals.",
        ),
        5.5,
        "Maria Delgado",
        "Security",
    ),
    Story(
        "diario-pacifico",
        "marina-laboratorio-cosala",
        "Marina desmantela narcolaboratorio de fentanilo en Cosalá",
        "Elementos de la Secretaría de Marina aseguraron más de una tonelada de precursores "
        "químicos en la sierra de Sinaloa.",
        (
            "CULIACÁN, Sin.— Elementos de la Secretaría de Marina desmantelaron un laboratorio "
            "clandestino de fentanilo en una zona serrana del municipio de Cosalá.",
            "«Es uno de los laboratorios más grandes que hemos encontrado este año», afirmó el "
            "capitán Rodrigo Salas, vocero de la Marina.",
            "De acuerdo con la dependencia, en el lugar había prensas para fabricar pastillas "
            "y bidones con sustancias químicas. No hubo detenidos.",
            "«Seguiremos desmantelando estas redes, pieza por pieza», dijo el secretario de "
            "Seguridad, Omar García Harfuch, en un mensaje en redes sociales.",
        ),
        5.0,
        "Redacción",
        "Sinaloa",
    ),
    # Extradition (two outlets).
    Story(
        "continental-post",
        "cartel-financier-extradited",
        "Mexico extradites alleged cartel financier to face U.S. money laundering charges",
        "Héctor Ramos Villa, accused of moving cartel cash through exchange houses, was flown "
        "to Texas on Wednesday night.",
        (
            "Mexico extradited an alleged financial operator of the Sinaloa cartel to the United "
            "States on Wednesday night, the Attorney General's Office said, in the third such "
            "transfer this month.",
            "Héctor Ramos Villa, 52, is accused of laundering drug proceeds through currency "
            "exchange houses in Sonora and Arizona. He was handed to U.S. marshals at Toluca "
            "airport and flown to Houston.",
            "“This extradition shows that the cooperation between our two countries produces "
            "results,” said Deputy Attorney General Patricia Luna in a statement.",
            "A lawyer for Ramos Villa, Jorge Estrada, said his client was innocent. “He is a "
            "businessman, and the accusations rest on the word of witnesses who are buying "
            "their own freedom,” Estrada told The Continental Post.",
        ),
        20.0,
        "James Whitaker",
    ),
    Story(
        "border-report",
        "ramos-villa-arrives-houston",
        "Alleged Sinaloa cartel money man arrives in Houston after extradition",
        "Héctor Ramos Villa made his first appearance before a federal judge, who ordered him "
        "held without bail.",
        (
            "HOUSTON — An alleged money launderer for the Sinaloa cartel appeared in federal "
            "court on Thursday, hours after Mexico extradited him to the United States.",
            "Héctor Ramos Villa, 52, pleaded not guilty to conspiracy and money laundering "
            "charges. Magistrate Judge Ellen Brooks ordered him held without bail.",
            "“The defendant moved hundreds of millions of dollars for people who poison our "
            "communities,” Assistant U.S. Attorney Kevin Marsh told the court.",
            "Outside the courthouse, defense attorney Jorge Estrada said the case was weak. “We "
            "look forward to testing this evidence in front of a jury,” Estrada said.",
        ),
        9.0,
        "Maria Delgado",
        "Courts",
    ),
    # National Guard deployment (two outlets).
    Story(
        "northern-wire",
        "guardia-nacional-culiacan",
        "Mexico sends 1,500 more National Guard troops to Culiacán after week of violence",
        "The deployment follows clashes between cartel factions that left dozens dead and "
        "schools closed in Sinaloa's capital.",
        (
            "CULIACÁN, Mexico (Northern Wire) — Mexico's government will send 1,500 more "
            "National Guard troops to Culiacán after a week of clashes between rival cartel "
            "factions, the Defense Ministry said on Wednesday.",
            "“The people of Culiacán deserve to take their children to school without fear,” "
            "Defense Secretary Ricardo Trevilla Trejo said at a news conference.",
            "Schools in several neighborhoods have closed and businesses shut early as gunmen "
            "blocked roads with burning vehicles. At least 31 people were killed over seven "
            "days, according to the state prosecutor's office.",
            "Sinaloa Governor Rubén Rocha Moya welcomed the reinforcements. “We asked for them "
            "and they are coming; this will not last forever,” Rocha Moya told reporters.",
        ),
        14.0,
        "Ana Torres",
    ),
    Story(
        "diario-pacifico",
        "llegan-elementos-guardia-nacional",
        "Llegan 1,500 elementos de la Guardia Nacional a Culiacán",
        "Los refuerzos patrullarán las colonias más afectadas por los enfrentamientos de la "
        "última semana.",
        (
            "CULIACÁN, Sin.— Un contingente de 1,500 elementos de la Guardia Nacional llegó a "
            "Culiacán para reforzar la seguridad tras una semana de enfrentamientos.",
            "«Las familias de Culiacán merecen llevar a sus hijos a la escuela sin miedo», dijo "
            "el secretario de la Defensa, Ricardo Trevilla Trejo.",
            "El gobernador Rubén Rocha Moya afirmó que los refuerzos fueron solicitados por el "
            "estado. «Esto no va a durar para siempre», aseguró.",
            "Comerciantes del centro reportaron ventas a la baja. «Cerramos a las cinco de la "
            "tarde; ya nadie sale», dijo Marisol Ochoa, dueña de una papelería.",
        ),
        12.0,
        "Redacción",
        "Sinaloa",
    ),
    # Homicide figures (two outlets).
    Story(
        "continental-post",
        "mexico-homicides-fall",
        "Mexico reports homicides down 25% since January; critics question the count",
        "The government says murders fell for the ninth straight month, while researchers "
        "point to a rise in disappearances.",
        (
            "Mexico's government said on Thursday that homicides fell 25 percent between January "
            "and October, the ninth consecutive monthly decline, crediting intelligence work "
            "and coordination between federal and state forces.",
            "“These are not our numbers; they come from the state prosecutors, and they show a "
            "clear trend,” Security Secretary Omar García Harfuch said at the presentation.",
            "Researchers cautioned that disappearances have risen in several states. “When "
            "murders go down and disappearances go up, you have to ask whether violence fell "
            "or simply moved out of sight,” said Lucía Fernández of the nonprofit México Evalúa.",
            "The daily average of intentional homicides stood at 59 in October, according to "
            "the official figures, down from 86 a year earlier.",
        ),
        7.0,
        "Sofía Ramírez",
    ),
    Story(
        "diario-pacifico",
        "bajan-homicidios",
        "Homicidios bajan 25% en el año, según el gobierno federal",
        "El gabinete de seguridad presentó su informe mensual; organizaciones civiles "
        "advierten sobre el aumento de desapariciones.",
        (
            "CIUDAD DE MÉXICO.— Los homicidios dolosos disminuyeron 25 por ciento entre enero y "
            "octubre, informó el gabinete de seguridad.",
            "«No son cifras nuestras, son de las fiscalías estatales, y muestran una tendencia "
            "clara», afirmó Omar García Harfuch, secretario de Seguridad.",
            "Lucía Fernández, de México Evalúa, pidió cautela. «Si bajan los homicidios pero "
            "suben las desapariciones, la violencia no necesariamente disminuyó», dijo.",
        ),
        6.5,
        "Redacción",
        "Nacional",
    ),
    # Arms trafficking (single outlets).
    Story(
        "northern-wire",
        "mexico-arms-trafficking-talks",
        "Mexico presses U.S. to stop gun smuggling as security talks resume",
        "Mexican officials brought seizure data to a meeting in Washington, arguing that "
        "most weapons used by cartels are bought in U.S. stores.",
        (
            "WASHINGTON (Northern Wire) — Mexican officials urged the United States on Tuesday "
            "to do more to stop the smuggling of firearms across the border, as a bilateral "
            "security group met for the first time in three months.",
            "“Seventy percent of the weapons we seize at crime scenes were sold in the United "
            "States,” Foreign Minister Juan Ramón de la Fuente told reporters after the meeting.",
            "U.S. officials said they had increased inspections of southbound traffic. “We hear "
            "our Mexican partners, and we are putting more agents on the southbound lanes,” said "
            "Megan Hale, a State Department spokesperson.",
        ),
        30.0,
        "Peter Lindqvist",
    ),
    Story(
        "border-report",
        "bridge-fentanyl-seizure",
        "Officers find 90 pounds of fentanyl in tractor-trailer at Laredo bridge",
        "It was the largest fentanyl seizure at the crossing this year, U.S. Customs and "
        "Border Protection said.",
        (
            "LAREDO, Texas — U.S. Customs and Border Protection officers found 90 pounds of "
            "fentanyl pills hidden in a shipment of frozen vegetables at the World Trade Bridge, "
            "the agency said on Wednesday.",
            "“Our officers used every tool they have, from X-ray scans to canine teams, to stop "
            "this load,” said Port Director Alberto Flores.",
            "The driver, a 34-year-old Mexican citizen, was arrested and turned over to Homeland "
            "Security Investigations. Officials did not release his name.",
            "Trucking groups warned that longer inspections would slow trade. “Every extra hour "
            "at the bridge costs our members money,” said Norma Villarreal of the Laredo "
            "Motor Carriers Association.",
        ),
        18.0,
        "Maria Delgado",
        "Border",
    ),
    Story(
        "continental-post",
        "journalists-protection-mechanism",
        "Mexican reporters demand protection after colleague is shot in Guerrero",
        "Press groups say the federal protection mechanism is underfunded as attacks "
        "on journalists continue.",
        (
            "Journalists in the southern state of Guerrero protested on Wednesday after a local "
            "radio reporter was shot and wounded outside his home in Chilpancingo.",
            "“We cover violence every day, and now the violence comes to our doors,” said "
            "Alejandra Vargas, who organized the protest in front of the state government palace.",
            "The federal Interior Ministry said the reporter had been enrolled in its protection "
            "program since last year. “We are reviewing what failed,” Deputy Interior Minister "
            "Arturo Medina said.",
        ),
        26.0,
        "Sofía Ramírez",
    ),
    Story(
        "border-report",
        "cartel-drones-michoacan",
        "Michoacán farmers say cartel drones drop explosives near lime orchards",
        "Growers in the Tierra Caliente region say attacks have forced them to abandon "
        "parts of the harvest.",
        (
            "APATZINGÁN, Mexico — Lime growers in Michoacán say criminal groups are using drones "
            "to drop small explosives near orchards, forcing workers to abandon parts of the "
            "harvest.",
            "“We hear the buzzing and everybody runs; nobody wants to pick limes like that,” "
            "said Esteban Pineda, who farms 40 hectares outside Apatzingán.",
            "State security officials said they had deployed anti-drone equipment. “We have "
            "already brought down eleven devices this month,” said Michoacán Public Security "
            "Secretary José Antonio Bernal.",
        ),
        16.0,
        "Maria Delgado",
        "Security",
    ),
    Story(
        "diario-pacifico",
        "emboscada-sierra",
        "Emboscan a policías estatales en la sierra de Badiraguato",
        "Dos agentes resultaron heridos; la Fiscalía abrió una carpeta de investigación.",
        (
            "BADIRAGUATO, Sin.— Dos policías estatales resultaron heridos durante una emboscada "
            "en un camino de terracería de la sierra de Badiraguato.",
            "«Los compañeros respondieron la agresión y fueron trasladados a un hospital», "
            "informó Gerardo Mérida Sánchez, secretario de Seguridad Pública estatal.",
            "La fiscal Claudia Zulema Sánchez dijo que ya se investiga a los responsables. "
            "«No habrá impunidad en este caso», aseguró.",
        ),
        10.0,
        "Redacción",
        "Sinaloa",
    ),
    Story(
        "northern-wire",
        "homicide-figures-october",
        "Mexico says murders fell again in October; Sinaloa bucks the trend",
        "Official data show a ninth monthly decline in homicides nationwide, but killings "
        "rose in Sinaloa amid a cartel feud.",
        (
            "MEXICO CITY (Northern Wire) — Homicides in Mexico fell for a ninth straight month "
            "in October, government figures showed on Thursday, although killings rose sharply "
            "in Sinaloa, where two cartel factions are at war.",
            "“The national trend is clear, and Sinaloa is our priority,” Security Secretary Omar "
            "García Harfuch said while presenting the monthly report.",
            "Independent analysts urged caution. “The official count leaves out many of the "
            "disappeared,” said Lucía Fernández, a researcher at México Evalúa.",
        ),
        6.8,
        "Peter Lindqvist",
    ),
    Story(
        "continental-post",
        "culiacan-reinforcements",
        "Troops pour into Culiacán as Mexico tries to contain cartel infighting",
        "The National Guard reinforcements are the largest deployment to Sinaloa's capital "
        "since the violence began.",
        (
            "Mexico began flying 1,500 National Guard members into Culiacán on Wednesday, the "
            "largest reinforcement of the city since fighting between cartel factions erupted.",
            "“The people of Culiacán deserve to take their children to school without fear,” "
            "Defense Secretary Ricardo Trevilla Trejo said, announcing the deployment.",
            "Residents were skeptical. “Soldiers came last year too, and the shooting never "
            "stopped,” said Marisol Ochoa, who runs a stationery shop downtown.",
        ),
        13.0,
        "James Whitaker",
    ),
    # Near misses: football, a U.S. school board, tourism.
    Story(
        "northern-wire",
        "liga-mx-final",
        "Cruz Azul beat América to reach Liga MX final in Mexico City derby",
        "A late header sent Cruz Azul through in front of 70,000 fans; security was tight "
        "around the stadium.",
        (
            "MEXICO CITY (Northern Wire) — Cruz Azul beat América 2-1 on Sunday to reach the "
            "Liga MX final, with a stoppage-time header in a tense Mexico City derby.",
            "“We knew the game would be decided at the end, and we kept believing,” Cruz Azul "
            "coach Vicente Sánchez said after the match.",
            "More than 3,000 police officers were deployed around the stadium. “It was a "
            "peaceful night, with only minor incidents,” said city police chief Pablo Vázquez.",
        ),
        8.0,
        "Luis Herrera",
        "Sports",
    ),
    Story(
        "diario-pacifico",
        "dorados-ascenso",
        "Dorados de Sinaloa vence y sueña con el ascenso",
        "El equipo culichi ganó 3-0 y se coloca en zona de liguilla.",
        (
            "CULIACÁN, Sin.— Dorados de Sinaloa goleó 3-0 a Mineros y se metió en la zona de "
            "liguilla de la Liga de Expansión.",
            "«El equipo jugó con el corazón, esta victoria es para la afición», dijo el "
            "director técnico Sebastián Abreu al terminar el partido.",
            "El delantero Mauro Lainez, autor de dos goles, pidió mantener la calma. «Todavía no "
            "hemos ganado nada, faltan tres partidos», afirmó.",
        ),
        15.0,
        "Deportes",
        "Deportes",
    ),
    Story(
        "border-report",
        "el-paso-school-board",
        "El Paso school board votes to expand bilingual program",
        "Trustees approved dual-language classes in six more elementary schools, despite "
        "concerns about the cost.",
        (
            "EL PASO, Texas — The El Paso Independent School District board voted 5-2 on "
            "Tuesday to expand its dual-language program to six more elementary schools.",
            "“Our students live on the border; speaking two languages is their strength,” said "
            "board president Daniel Ortega.",
            "Trustee Linda Carver voted against the plan. “I support bilingual education, but "
            "we have not found the money for it,” Carver said.",
        ),
        11.0,
        "Rachel Kim",
        "Education",
    ),
    Story(
        "continental-post",
        "mexico-tourism-record",
        "Mexico's Caribbean coast expects record winter season despite travel warnings",
        "Hotel occupancy in Cancún and Tulum is projected above 85% through January, the "
        "tourism ministry said.",
        (
            "Mexico expects a record winter tourist season on its Caribbean coast, the Tourism "
            "Ministry said on Wednesday, despite U.S. travel advisories for several states.",
            "“Quintana Roo is a safe destination, and the numbers show that visitors trust it,” "
            "Tourism Secretary Josefina Rodríguez Zamora said.",
            "Airlines have added flights from Chicago, Toronto and Madrid. “We are seeing demand "
            "we have not seen since before the pandemic,” said Rafael Soto, who manages a hotel "
            "in Tulum.",
        ),
        22.0,
        "Sofía Ramírez",
        "Travel",
    ),
    Story(
        "border-report",
        "ciudad-juarez-maquila-jobs",
        "Ciudad Juárez factories add jobs as companies move production from Asia",
        "Industrial parks report full occupancy; workers say wages still lag.",
        (
            "CIUDAD JUÁREZ, Mexico — Export factories in Ciudad Juárez added 8,000 jobs in the "
            "third quarter, the local maquiladora association said on Monday.",
            "“Every week a new company asks us for space,” said Thomas Reyes, who manages an "
            "industrial park south of the city.",
            "Workers say pay has not kept up. “We work more hours, but the money does not "
            "stretch,” said Rosa Elena Márquez, an assembly line worker.",
        ),
        28.0,
        "Rachel Kim",
        "Business",
    ),
)
