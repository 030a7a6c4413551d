"""The console adapter (like Hubot's shell): one terminal "channel" for trying newsbrief.

Lines typed on stdin are the same slash commands as on Discord and go to the
same command core; scheduled briefings print as they fire. Works with a pipe
or file as stdin (the tests drive it that way): EOF ends the session.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import shlex
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TextIO

from bot.console.render import render_briefing, render_live
from bot.core.commands import ChatContext, ChatCore, Reply
from bot.core.specs import BY_NAME, available
from bot.delivery import SendFailed
from feeds.briefs import Briefing
from feeds.delivery import Part
from feeds.errors import NewsbriefError
from feeds.live import LiveView
from feeds.parse.text import strip_controls

log = logging.getLogger(__name__)

PLATFORM = "console"
CHANNEL = "console"
GROUPS = ("topic", "feed")
QUIT = ("/quit", "/exit", "quit", "exit")


class ConsoleTransport:
    """Scheduled briefings and notices, printed."""

    platform = PLATFORM

    def __init__(self, out: TextIO):
        self.out = out
        self.sent = 0

    # No delivery markers here: they exist for finding interrupted sends in a channel's
    # history, and a terminal has none (see recent_texts), so they would only be noise.

    def render_briefing(self, briefing: Briefing, *, batch: str) -> list[Part]:
        return [Part(1, tuple(s.story_id for s in briefing.stories), render_briefing(briefing))]

    def render_notice(self, title: str, text: str, *, marker_text: str) -> str:
        return f"! {title}\n{text}"

    def render_live(self, view: LiveView, *, marker_text: str) -> str:
        return render_live(view)

    async def send(self, channel_id: str, payload: str) -> str:
        self._print(payload)
        self.sent += 1
        return f"console-{self.sent}"

    async def edit(self, channel_id: str, message_id: str, payload: str) -> None:
        # A terminal cannot change what it printed: the message is printed again, updated.
        self._print(f"(update) {payload}")

    def _print(self, text: str) -> None:
        try:
            self.out.write(f"\n{strip_controls(text)}\n")
            self.out.flush()
        except (OSError, ValueError) as error:  # closed or broken terminal/pipe
            raise SendFailed(f"cannot write to the console: {error}", retry=False) from error

    async def recent_texts(self, channel_id: str) -> None:
        # A terminal keeps no history we can read back: interrupted sends are sent again.
        return None


class ConsoleChat:
    def __init__(
        self,
        core: ChatCore,
        transport: ConsoleTransport,
        stdin: TextIO,
        *,
        channel_id: str = CHANNEL,
        user_id: str = "operator",
    ):
        self.core, self.transport, self.stdin = core, transport, stdin
        # The person at the terminal runs the bot, so they may manage "the channel".
        self.context = ChatContext(PLATFORM, channel_id, user_id, None, can_manage=True)
        self.handlers = self._handlers()

    async def run(self, stop: asyncio.Event | None = None) -> None:
        """Answer lines until EOF on stdin or `stop` is set."""
        stop = stop or asyncio.Event()
        lines = self._read_lines()
        self.say(
            "newsbrief console: type /help for the commands; /quit (or Ctrl-D) leaves. "
            "Scheduled briefings appear here."
        )
        prompt = "> " if _is_terminal(self.stdin) else ""
        while not stop.is_set():
            if prompt:
                self.transport.out.write(prompt)
                self.transport.out.flush()
            next_line = asyncio.ensure_future(lines.get())
            stopping = asyncio.ensure_future(stop.wait())
            await asyncio.wait({next_line, stopping}, return_when=asyncio.FIRST_COMPLETED)
            stopping.cancel()
            if not next_line.done():
                next_line.cancel()
                break
            line = next_line.result()
            if line is None or line.strip().lower() in QUIT:
                break
            if line.strip():
                await self.handle(line)

    def _read_lines(self) -> asyncio.Queue[str | None]:
        """Lines from stdin via a daemon thread (a blocked read must not hold up exit)."""
        queue: asyncio.Queue[str | None] = asyncio.Queue()
        loop = asyncio.get_running_loop()

        def reader() -> None:
            try:
                for line in self.stdin:
                    loop.call_soon_threadsafe(queue.put_nowait, line)
            except (OSError, ValueError):
                log.debug("stdin closed", exc_info=True)
            finally:
                with contextlib.suppress(RuntimeError):  # the loop is already closed
                    loop.call_soon_threadsafe(queue.put_nowait, None)

        threading.Thread(target=reader, name="console-stdin", daemon=True).start()
        return queue

    async def handle(self, line: str) -> None:
        try:
            reply = await self.dispatch(line)
        except NewsbriefError as error:
            reply = Reply(str(error), private=True)
        except Exception:
            log.exception("command failed: %s", line.strip())
            reply = Reply("Something went wrong; see the log.", private=True)
        self.show(reply)

    async def dispatch(self, line: str) -> Reply:
        name, args = parse_command(line)
        spec = BY_NAME.get(name)
        if spec is None:
            raise NewsbriefError(f"Unknown command {line.split()[0]!r}; /help lists them.")
        if spec not in available(self.core.capabilities):
            raise NewsbriefError(f"/{name} is not available in this build.")
        return await self.handlers[name](args)

    def show(self, reply: Reply) -> None:
        if reply.text:
            self.say(reply.text)
        if reply.briefing is not None:
            self.say(render_briefing(reply.briefing))

    def say(self, text: str) -> None:
        # Replies quote stored text (feed titles, headlines): no terminal escape sequences.
        self.transport.out.write(strip_controls(text) + "\n")
        self.transport.out.flush()

    def _handlers(self) -> dict[str, Callable[[list[str]], Awaitable[Reply]]]:
        core, ctx = self.core, self.context

        async def brief(args: list[str]) -> Reply:
            since, words = _take_option(args, "--since")
            return await core.brief(ctx, " ".join(words) or None, since)

        async def subscribe(args: list[str]) -> Reply:
            asked = split_subscription(args)
            return await core.subscribe(
                ctx, asked.topic, asked.time, asked.zone, mode=asked.mode, quiet=asked.quiet
            )

        def rest(method):
            async def handler(args: list[str]) -> Reply:
                return await method(ctx, _required(" ".join(args), "a name"))

            return handler

        def bare(method):
            async def handler(args: list[str]) -> Reply:
                return await method(ctx)

            return handler

        async def topic_create(args: list[str]) -> Reply:
            if len(args) < 2:
                raise NewsbriefError('Usage: /topic create "name" query words')
            return await core.topic_create(ctx, args[0], " ".join(args[1:]))

        return {
            "brief": brief,
            "subscribe": subscribe,
            "unsubscribe": rest(core.unsubscribe),
            "subscriptions": bare(core.subscriptions),
            "topic create": topic_create,
            "topic list": bare(core.topic_list),
            "topic preview": rest(core.topic_preview),
            "topic delete": rest(core.topic_delete),
            "feed add": rest(core.feed_add),
            "feed list": bare(core.feed_list),
            "feed remove": rest(core.feed_remove),
            "status": bare(core.status),
            "why": rest(core.why),
            "help": bare(core.help),
        }


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def parse_command(line: str) -> tuple[str, list[str]]:
    """'/topic create "Name" q' -> ('topic create', ['Name', 'q']); the slash is optional."""
    try:
        words = shlex.split(line.strip())
    except ValueError as error:
        raise NewsbriefError(f"Cannot read that line: {error}") from None
    if not words:
        return "", []
    name = words[0].removeprefix("/").lower()
    if name in GROUPS and len(words) > 1:
        return f"{name} {words[1].lower()}", words[2:]
    return name, words[1:]


@dataclass(frozen=True)
class SubscribeArgs:
    topic: str
    time: str | None = None
    zone: str | None = None
    mode: str | None = None  # "daily" or "live"
    quiet: str | None = None  # "23:00-07:00", or "off"


_QUIET = re.compile(r"^(quiet:)?(\d{1,2}:\d{2}-\d{1,2}:\d{2}|off)$", re.IGNORECASE)


def split_subscription(args: list[str]) -> SubscribeArgs:
    """The topic, then in any order at its end: a time (08:00), a zone (Europe/Madrid),
    a mode (daily, live) and quiet hours (23:00-07:00, quiet:off).

    'Mexico security 08:00 Europe/Madrid'  'Mexico security live 23:00-07:00'
    """
    words, found = list(args), {}
    while words:
        word = words[-1]
        quiet = _QUIET.match(word)
        if "zone" not in found and ("/" in word or word.upper() == "UTC"):
            found["zone"] = word
        elif "mode" not in found and word.lower() in ("daily", "live"):
            found["mode"] = word.lower()
        elif "quiet" not in found and quiet and (quiet.group(1) or quiet.group(2) != "off"):
            found["quiet"] = quiet.group(2)
        elif "time" not in found and ":" in word and word.replace(":", "").isdigit():
            found["time"] = word
        else:
            break
        words.pop()
    return SubscribeArgs(_required(" ".join(words), "a topic"), **found)


def _take_option(args: list[str], option: str) -> tuple[str | None, list[str]]:
    if option in args:
        index = args.index(option)
        if index + 1 >= len(args):
            raise NewsbriefError(f"{option} needs a value, e.g. {option} 3d")
        return args[index + 1], args[:index] + args[index + 2 :]
    return None, args


def _required(value: str, what: str) -> str:
    if not value.strip():
        raise NewsbriefError(f"That command needs {what}; /help shows how.")
    return value
