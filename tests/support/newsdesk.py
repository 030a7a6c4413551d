"""Invented news served by the loopback FeedServer: feeds with teasers, pages with the quotes.

All text is our own writing for the tests. `serve(server, "/wire.xml", REPORTS)`
publishes an RSS feed whose items link to article pages on the same server,
so polling fetches the full text, and quote analysis finds the speakers;
`loopback_ingest()` runs the ingest cycle on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html import escape

from feeds.pipeline import Ingest
from feeds.polling.engine import PollOptions
from tests.support.feedserver import FeedServer, rss

# Polling the loopback FeedServer: private hosts allowed, one parser process.
LOOPBACK = PollOptions(allow_private_hosts=True, parse_workers=1, timeout=5, connect_timeout=5)


def loopback_ingest() -> Ingest:
    """An ingest cycle for the loopback FeedServer (close() it when done)."""
    return Ingest(LOOPBACK)


TROOPS_HEADLINE = "Sheinbaum rejects U.S. troops against cartels, offers intelligence sharing"
TROOPS_QUOTE = "No, President Trump, our territory is inalienable, sovereignty is inalienable"
TROOPS_SPEAKER = "Claudia Sheinbaum"


@dataclass(frozen=True)
class Report:
    slug: str
    title: str
    teaser: str
    paragraphs: tuple[str, ...]
    hours_ago: float = 2.0


TROOPS = Report(
    "sheinbaum-troops",
    TROOPS_HEADLINE,
    "Mexico's president turned down an offer of U.S. troops to fight drug cartels.",
    (
        "MEXICO CITY — Mexican President Claudia Sheinbaum on Thursday rejected an offer of U.S. "
        "military forces to fight drug cartels inside Mexico, saying cooperation would remain "
        "limited to intelligence sharing.",
        "“No, President Trump, our territory is inalienable, sovereignty is inalienable,” "
        "Sheinbaum stated at her morning news conference at the National Palace.",
        "The offer was made during a phone call between the two leaders last week, according "
        "to officials who were not authorized to speak publicly.",
        "“We can work together, but we will never accept foreign soldiers on our soil,” she "
        "added, to applause from her cabinet.",
    ),
    hours_ago=3,
)

GUARD = Report(
    "guard-culiacan",
    "National Guard sends 800 troops to Culiacán after a week of cartel shootings",
    "Federal forces arrived in the Sinaloa capital as rival cartel factions kept fighting.",
    (
        "CULIACÁN — Eight hundred members of Mexico's National Guard arrived in Culiacán on "
        "Wednesday after a week of shootings between rival factions of the Sinaloa cartel left "
        "at least fourteen people dead.",
        "“We will stay as long as it takes to restore calm to every neighbourhood,” said "
        "Security Secretary Omar García Harfuch at the airport.",
        "Schools in the south of the city stayed closed for a third day, and many shops "
        "lowered their shutters by mid-afternoon.",
        "“Parents are afraid to send their children out of the house,” said Lucía Beltrán, "
        "who runs a bakery near the cathedral.",
    ),
    hours_ago=5,
)

FOOTBALL = Report(
    "mexico-ecuador",
    "Mexico beat Ecuador 2-0 in a friendly in Guadalajara",
    "Two second-half goals gave the national team a comfortable win.",
    (
        "GUADALAJARA — Mexico beat Ecuador 2-0 in a friendly on Tuesday night, with both goals "
        "coming after the break in front of a full stadium.",
        "“The team showed character in the second half,” said coach Javier Aguirre after the "
        "match, adding that he would test more young players before the World Cup.",
    ),
    hours_ago=4,
)

REPORTS = (TROOPS, GUARD, FOOTBALL)

# Six unrelated security stories (different places, people, numbers and words), each with
# two long quotes, so that a briefing of all of them needs more than one Discord message.
EVENTS = (
    Report(
        "tijuana-tunnel",
        "Soldiers find a 300-metre smuggling tunnel under a Tijuana warehouse",
        "The passage, lined with rails and lights, ran from an industrial park toward San Diego.",
        (
            "TIJUANA — Mexican soldiers discovered a 300-metre tunnel with rails, ventilation "
            "and electric lighting beneath a warehouse in an industrial park near the border "
            "crossing of Otay Mesa, the Defence Ministry said on Monday.",
            "“This tunnel was built by engineers, not by amateurs, and it was built to move tons "
            "of cocaine and methamphetamine every month under the noses of both countries,” "
            "General Arturo Lozano told reporters at the site, standing next to the shaft.",
            "Investigators believe the passage had been in use for at least half a year.",
            "“Whoever rented this building will have to explain to a judge why a crew of "
            "diggers worked here every night while the sign outside said furniture imports,” "
            "Lozano said.",
        ),
        hours_ago=1,
    ),
    Report(
        "zacatecas-ambush",
        "Seven state police officers killed in a highway ambush in Zacatecas",
        "Gunmen blocked the road with burning trucks before opening fire on a patrol.",
        (
            "ZACATECAS — Seven state police officers were killed on Tuesday when gunmen blocked "
            "a highway near Fresnillo with burning trucks and opened fire on their patrol, the "
            "state prosecutor's office said.",
            "“Our officers were murdered by cowards who hide behind roadblocks and fire, and I "
            "promise their families that every one of the attackers will be found, arrested and "
            "brought before a court,” Governor David Monreal said in a recorded message.",
            "The attack was the deadliest against police in the state this year.",
            "“We asked for reinforcements months ago; we patrol with old vehicles and rifles "
            "that jam,” said Rosalba Cárdenas, who leads an association of police widows in "
            "the state capital.",
        ),
        hours_ago=1.5,
    ),
    Report(
        "uruapan-drones",
        "Avocado growers in Uruapan say drones dropped explosives on their orchards",
        "Farmers in Michoacán blame a criminal group demanding a fee for every box of fruit.",
        (
            "URUAPAN — Avocado growers in Michoacán said on Wednesday that drones carrying "
            "explosives had struck three orchards outside Uruapan in a week, after they refused "
            "to pay a fee for every box of fruit they ship.",
            "“They want a cut of every avocado that leaves these hills, and when we said no "
            "they sent machines that fly over the trees at night and drop bombs on our "
            "workers,” said Ernesto Villaseñor, who heads the local growers' association.",
            "Nobody was hurt, but pickers have refused to go back to two of the orchards.",
            "“We are tracking the operators of these drones with the army, and we already "
            "know where they launch them from,” Mayor Carlos Manzo said in a statement.",
        ),
        hours_ago=2,
    ),
    Report(
        "reynosa-kidnappers",
        "Nine arrested in Reynosa for kidnapping migrants waiting to cross",
        "Marines freed twenty-three people held in a safe house, officials in Tamaulipas said.",
        (
            "REYNOSA — Marines arrested nine people and freed twenty-three migrants held for "
            "ransom in a safe house in Reynosa, the Tamaulipas attorney general's office said "
            "on Thursday.",
            "“These people were held in two rooms without water for almost a week while their "
            "relatives in Honduras and Guatemala were called and told to pay or never see them "
            "again,” said state attorney general Irving Barrios.",
            "The victims included four children, according to the office.",
            "“The criminal groups see every migrant who arrives in this city as merchandise, "
            "and that is what has to stop,” Barrios said.",
        ),
        hours_ago=2.5,
    ),
    Report(
        "celaya-fuel-theft",
        "Pemex pipeline taps found under a Celaya car wash, prosecutors say",
        "Guanajuato prosecutors say fuel thieves sold stolen gasoline at half price.",
        (
            "CELAYA — Prosecutors in Guanajuato said on Friday they had found four illegal taps "
            "on a Pemex pipeline beneath a car wash in Celaya, used to siphon gasoline that was "
            "then sold along the highway at half the official price.",
            "“This is not petty theft: it is a business that poisons the soil, puts whole "
            "neighbourhoods at risk of explosions and pays for the guns that kill our police,” "
            "state prosecutor Carlos Zamarripa said.",
            "Fuel theft has fallen nationally but remains common in the Bajío region.",
            "“Everybody knew the car wash never washed any cars, but nobody dared to say it "
            "out loud,” said Martha Ledesma, who sells food across the street.",
        ),
        hours_ago=3,
    ),
    Report(
        "acapulco-extortion",
        "Acapulco bus drivers strike after two colleagues are shot over extortion",
        "Public transport stopped in the Guerrero port as drivers demanded protection.",
        (
            "ACAPULCO — Bus and taxi drivers in Acapulco stopped work on Saturday after two "
            "drivers were shot dead, in what their union said was punishment for refusing to "
            "pay weekly extortion to a local gang.",
            "“We pay the gangs every week to be allowed to work, and still they kill us; no "
            "driver will go out on the road again until the government guarantees that we "
            "come home alive,” union leader Fermín Salgado said at a rally on the Costera.",
            "Schools and shops reported absences as workers could not reach them.",
            "“The federal and state forces are on the routes from today, and we will escort "
            "the buses for as long as necessary,” Guerrero's security spokesman Roberto "
            "Álvarez said.",
        ),
        hours_ago=3.5,
    ),
)


def page(report: Report) -> bytes:
    """An article page with the usual furniture (menu, byline, footer) around the text."""
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in report.paragraphs)
    return (
        f"<!DOCTYPE html><html><head><title>{escape(report.title)}</title></head><body>"
        "<nav><a href='/'>Home</a> · <a href='/world'>World</a></nav><main><article>"
        f"<h1>{escape(report.title)}</h1><p class='byline'>By Test Wire staff</p>"
        f"<div class='article-body'>{paragraphs}</div></article></main>"
        "<footer>© Test Wire. All rights reserved.</footer></body></html>"
    ).encode()


def serve(server: FeedServer, path: str, reports: list[Report] | tuple[Report, ...], **feed) -> str:
    """Publish `reports` as an RSS feed at `path` (and their pages); returns the feed URL."""
    now = datetime.now(UTC)
    items = []
    for report in reports:
        page_path = f"/news/{report.slug}.html"
        server.set(page_path, page(report), content_type="text/html; charset=utf-8")
        items.append(
            {
                "title": escape(report.title),
                "link": server.url(page_path) + "?utm_source=rss",
                "guid": report.slug,
                "date": now - timedelta(hours=report.hours_ago),
                "summary": f"<p>{escape(report.teaser)}</p>",
            }
        )
    server.set(path, rss(items, **feed))
    return server.url(path)


# One event told by three outlets, each in its own words and at its own time (for live
# stories: a post, then edits as the second and third outlet report it).
SALVATIERRA = (
    Report(
        "salvatierra-party-wire",
        "Gunmen kill nine at a birthday party in Salvatierra, Guanajuato",
        "Attackers opened fire on guests at a family celebration on Saturday night.",
        (
            "SALVATIERRA — Gunmen killed nine people and wounded five at a birthday party in "
            "Salvatierra, in the central state of Guanajuato, late on Saturday, the state "
            "prosecutor's office said.",
            "“They arrived in two pickup trucks and started shooting at everyone who was "
            "dancing in the courtyard,” said Rosa Elena Torres, a neighbour who hid in her "
            "kitchen.",
            "Prosecutors said they had found more than eighty shell casings at the house.",
        ),
        hours_ago=0.5,
    ),
    Report(
        "salvatierra-party-daily",
        "Nine killed as gunmen open fire on a family party in Salvatierra",
        "Guanajuato prosecutors said five more people were wounded in the attack.",
        (
            "Nine people were killed when gunmen burst into a birthday celebration in "
            "Salvatierra, Guanajuato, on Saturday night, prosecutors in the state said on "
            "Sunday.",
            "“We will find those responsible for this massacre and they will answer for "
            "every one of these lives,” Guanajuato Governor Libia Dennise García said in a "
            "video message.",
            "The attack was the deadliest in the state so far this year.",
        ),
        hours_ago=0.4,
    ),
    Report(
        "salvatierra-party-post",
        "Salvatierra party attack: gunmen kill nine people in Guanajuato",
        "Relatives gathered outside the morgue as the victims were identified.",
        (
            "SALVATIERRA, Guanajuato — Relatives waited outside the morgue on Sunday as "
            "officials identified the nine people shot dead by gunmen at a birthday party in "
            "Salvatierra on Saturday night.",
            "“My brother only went to the party to play music, he had nothing to do with "
            "anyone,” said Javier Mendoza, who travelled from León.",
            "Five wounded guests remained in hospital, two of them in serious condition.",
        ),
        hours_ago=0.3,
    ),
)
SALVATIERRA_MAYOR = "Libia Dennise García"
