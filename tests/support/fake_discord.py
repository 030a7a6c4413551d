"""A loopback fake of Discord (REST + JSON gateway) that the real discord.py client talks to.

Point discord.py at it with `discord.http.Route.BASE = fake.api_base` and
`discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(fake.gateway_url)`
(the bot does this from `[discord] api_base` / `gateway_url`).

It behaves like Discord where the bot can get it wrong:
- responses carry `Content-Type: application/json` exactly, and a 429 carries
  a `Via` header (discord.py treats a 429 without one as a Cloudflare ban);
- message payloads are validated against Discord's limits (content 2000;
  10 embeds; title 256, description 4096, 25 fields, field name 256 and
  value 1024, footer 2048, author 256; 6000 characters per message), and
  refused with 400 / 50035 "Invalid Form Body" like Discord does;
- an interaction must get its first response within 3 seconds (else 10062
  Unknown interaction), followups work for 15 minutes (else 50027);
- the bot's permissions are checked per channel (View, Send, Embed Links,
  Read Message History), and mentions are resolved with allowed_mentions so
  that a test can see what would have pinged: only in content, a role only
  if it exists in the guild and is mentionable (or the bot may Mention
  Everyone), never by an edit; allowed_mentions that Discord refuses (a
  `parse` type together with a list of ids of that type, more than 100 ids,
  an unknown type) get 400 / 50035;
- the bot edits its messages (PATCH: content and embeds are replaced only when
  given) and a deleted message answers 404 / 10008 Unknown Message.

Tests inject interactions (slash commands with options and member
permissions, autocomplete, role options with their resolved role), make a
channel answer 403/404, return a 429 once, hold a post's or an edit's
response (to kill the bot between send and record), delete a message as a
moderator would, and inspect everything that was posted and edited.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import secrets
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiohttp import WSMsgType, web

API_PREFIX = "/api/v10"
DISCORD_EPOCH_MS = 1420070400000

# Permission bits.
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
EMBED_LINKS = 1 << 14
READ_MESSAGE_HISTORY = 1 << 16
MANAGE_CHANNELS = 1 << 4
MENTION_EVERYONE = 1 << 17
ADMINISTRATOR = 1 << 3
BOT_DEFAULT = VIEW_CHANNEL | SEND_MESSAGES | EMBED_LINKS | READ_MESSAGE_HISTORY
MEMBER_DEFAULT = VIEW_CHANNEL | SEND_MESSAGES | READ_MESSAGE_HISTORY

EPHEMERAL = 1 << 6
FIRST_RESPONSE_SECONDS = 3.0
FOLLOWUP_SECONDS = 15 * 60

LIMITS = {
    "content": 2000,
    "embeds": 10,
    "title": 256,
    "description": 4096,
    "fields": 25,
    "field_name": 256,
    "field_value": 1024,
    "footer": 2048,
    "author": 256,
    "total": 6000,
}
_MENTION = re.compile(r"@(everyone|here)|<@!?(\d{17,20})>|<@&(\d{17,20})>")


def units(text: str | None) -> int:
    """Discord's character count (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2 if text else 0


def validate_message(payload: dict) -> dict:
    """Discord-style error tree for a message payload; empty when it is acceptable."""
    errors: dict[str, Any] = {}
    content = payload.get("content") or ""
    embeds = payload.get("embeds") or []
    if units(content) > LIMITS["content"]:
        errors["content"] = _error("BASE_TYPE_MAX_LENGTH", "Must be 2000 or fewer in length.")
    if len(embeds) > LIMITS["embeds"]:
        errors["embeds"] = _error("BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length.")
    total = 0
    for index, embed in enumerate(embeds):
        problems = {}
        for key, limit in (("title", "title"), ("description", "description")):
            if units(embed.get(key)) > LIMITS[limit]:
                problems[key] = _error("BASE_TYPE_MAX_LENGTH", f"Must be {LIMITS[limit]} or fewer.")
        footer = (embed.get("footer") or {}).get("text")
        author = (embed.get("author") or {}).get("name")
        if units(footer) > LIMITS["footer"]:
            problems["footer"] = _error("BASE_TYPE_MAX_LENGTH", "Must be 2048 or fewer.")
        if units(author) > LIMITS["author"]:
            problems["author"] = _error("BASE_TYPE_MAX_LENGTH", "Must be 256 or fewer.")
        fields_ = embed.get("fields") or []
        if len(fields_) > LIMITS["fields"]:
            problems["fields"] = _error("BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
        for f in fields_:
            if not f.get("name") or not f.get("value"):
                problems["fields"] = _error("BASE_TYPE_REQUIRED", "This field is required")
            if units(f.get("name")) > LIMITS["field_name"]:
                problems["fields"] = _error("BASE_TYPE_MAX_LENGTH", "Must be 256 or fewer.")
            if units(f.get("value")) > LIMITS["field_value"]:
                problems["fields"] = _error("BASE_TYPE_MAX_LENGTH", "Must be 1024 or fewer.")
        url = embed.get("url")
        if url is not None and not re.match(r"^https?://[^\s/]+", url):
            problems["url"] = _error("URL_TYPE_INVALID_URL", "Not a well formed URL.")
        total += units(embed.get("title")) + units(embed.get("description"))
        total += units(footer) + units(author)
        total += sum(units(f.get("name")) + units(f.get("value")) for f in fields_)
        if problems:
            errors.setdefault("embeds", {})[str(index)] = problems
    if total > LIMITS["total"]:
        errors["embeds"] = _error(
            "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000"
        )
    errors.update(_allowed_mentions_errors(payload.get("allowed_mentions")))
    if not content and not embeds and not errors:
        errors["_empty"] = True
    return errors


def _allowed_mentions_errors(allowed: dict | None) -> dict:
    """Discord refuses a `parse` type together with a list of ids of that type."""
    if allowed is None:
        return {}
    parse = allowed.get("parse") or []
    problems = {}
    unknown = [p for p in parse if p not in ("roles", "users", "everyone")]
    if unknown:
        problems["parse"] = _error(
            "BASE_TYPE_CHOICES", "Value must be one of roles, users, everyone"
        )
    for kind in ("roles", "users"):
        ids = allowed.get(kind) or []
        if kind in parse and ids:
            problems[kind] = _error(
                "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
                f'parse:["{kind}"] and {kind}: [ids] are mutually exclusive.',
            )
        elif len(ids) > 100:
            problems[kind] = _error("BASE_TYPE_MAX_LENGTH", "Must be 100 or fewer in length.")
    return {"allowed_mentions": problems} if problems else {}


def _error(code: str, message: str) -> dict:
    return {"_errors": [{"code": code, "message": message}]}


def json_response(data: Any, status: int = 200, headers: dict | None = None) -> web.Response:
    # Exactly "application/json": discord.py compares the header verbatim.
    return web.Response(
        body=json.dumps(data).encode(),
        status=status,
        headers={"Content-Type": "application/json", **(headers or {})},
    )


def discord_error(status: int, code: int, message: str, errors: dict | None = None) -> web.Response:
    body: dict[str, Any] = {"code": code, "message": message}
    if errors:
        body["errors"] = errors
    return json_response(body, status)


@dataclass
class Channel:
    id: int
    guild_id: int
    name: str
    bot_permissions: int = BOT_DEFAULT
    messages: list[dict] = field(default_factory=list)
    fail_status: int | None = None  # every request about this channel gets this status

    def payload(self) -> dict:
        return {
            "id": str(self.id),
            "type": 0,
            "guild_id": str(self.guild_id),
            "name": self.name,
            "position": 0,
            "permission_overwrites": [],
            "nsfw": False,
            "parent_id": None,
            "topic": None,
            "last_message_id": None,
            "rate_limit_per_user": 0,
        }


@dataclass
class Guild:
    id: int
    name: str
    channels: dict[int, Channel] = field(default_factory=dict)
    commands: list[dict] = field(default_factory=list)
    roles: dict[int, dict] = field(default_factory=dict)  # besides @everyone


@dataclass
class Interaction:
    id: int
    token: str
    guild_id: int
    channel_id: int
    payload: dict
    created: float
    responses: list[dict] = field(default_factory=list)  # callback bodies, in order
    original: dict | None = None  # the message the response shows (after a defer: its edit)
    followups: list[dict] = field(default_factory=list)
    deferred: bool = False
    deferred_ephemeral: bool = False
    choices: list[dict] | None = None  # autocomplete answer
    errors: list[int] = field(default_factory=list)  # Discord error codes returned
    done: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def messages(self) -> list[dict]:
        """Every message shown for this interaction: the response, then the followups."""
        return ([self.original] if self.original else []) + self.followups

    def texts(self) -> str:
        return "\n".join(message_text(m) for m in self.messages)

    def shown(self) -> str:
        """The text as a Discord client displays it (escapes resolved)."""
        return displayed(self.texts())

    @property
    def ephemeral(self) -> bool:
        return bool(self.messages) and all(m["flags"] & EPHEMERAL for m in self.messages)

    async def finished(self, timeout: float = 10.0) -> Interaction:
        await asyncio.wait_for(self.done.wait(), timeout)
        return self


def displayed(text: str) -> str:
    """Markdown escapes resolved and zero-width spaces dropped, as a reader sees the text."""
    return re.sub(r"\\([^\w\s])", r"\1", text).replace("\u200b", "")


def message_text(message: dict) -> str:
    """All the text of a message: content, then each embed's title, description, fields, footer."""
    parts = [message.get("content") or ""]
    for embed in message.get("embeds") or []:
        parts += [embed.get("title") or "", embed.get("description") or ""]
        parts += [f"{f.get('name')}\n{f.get('value')}" for f in embed.get("fields") or []]
        parts.append((embed.get("footer") or {}).get("text") or "")
    return "\n".join(p for p in parts if p)


@dataclass
class Hold:
    """Holds the response to the next post in a channel (the message is stored first)."""

    skip: int = 0  # posts to let through first
    arrived: asyncio.Event = field(default_factory=asyncio.Event)
    released: asyncio.Event = field(default_factory=asyncio.Event)
    message: dict | None = None

    def release(self) -> None:
        self.released.set()


@dataclass
class Gateway:
    ws: web.WebSocketResponse
    shard: tuple[int, int] = (0, 1)
    seq: int = 0
    session_id: str = ""
    identified: asyncio.Event = field(default_factory=asyncio.Event)

    def handles(self, guild_id: int) -> bool:
        shard_id, count = self.shard
        return (guild_id >> 22) % count == shard_id

    async def dispatch(self, event: str, data: dict) -> None:
        self.seq += 1
        await self.ws.send_str(json.dumps({"op": 0, "t": event, "s": self.seq, "d": data}))


class FakeDiscord:
    def __init__(self, *, token: str = "fake-token", shards: int = 1):
        self.token = token
        self.recommended_shards = shards
        self._ids = itertools.count(1)
        self.application_id = self.snowflake()
        self.bot_user = {
            "id": str(self.application_id),
            "username": "newsbrief",
            "discriminator": "0",
            "global_name": None,
            "avatar": None,
            "bot": True,
            "flags": 0,
        }
        self.guilds: dict[int, Guild] = {}
        self.global_commands: list[dict] = []
        self.command_syncs: list[str] = []  # "global" or a guild id, per PUT
        self.interactions: dict[int, Interaction] = {}
        self.gateways: list[Gateway] = []
        self.rejections: list[tuple[str, dict]] = []  # 400s: (route, errors)
        self.unhandled: list[str] = []
        self.requests: list[str] = []
        self.clock_offset = 0.0  # seconds added to the fake's clock (simulated waiting)
        self._rate_limits: dict[str, list[tuple[float, bool]]] = {}
        self._holds: dict[int, list[Hold]] = {}
        self._edit_holds: dict[int, list[Hold]] = {}
        self.edits: list[dict] = []  # every accepted PATCH: channel_id, message_id, payload
        self.deleted: list[str] = []  # ids of messages deleted (by the bot or a test)
        self._posted = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.port = 0

    # Setup.

    def snowflake(self) -> int:
        ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
        return (ms << 22) | (next(self._ids) & 0x3FFFFF)

    def add_guild(self, name: str = "Newsroom", *, shard: tuple[int, int] | None = None) -> int:
        """A guild; with shard=(id, count), one whose id that shard handles."""
        guild_id = self.snowflake()
        if shard is not None:
            shard_id, count = shard
            base = (guild_id >> 22) - (guild_id >> 22) % count + shard_id
            guild_id = (base << 22) | (guild_id & 0x3FFFFF)
        guild = Guild(guild_id, name)
        self.guilds[guild.id] = guild
        return guild.id

    def add_channel(
        self, guild_id: int, name: str = "news", *, bot_permissions: int = BOT_DEFAULT
    ) -> int:
        channel = Channel(self.snowflake(), guild_id, name, bot_permissions)
        self.guilds[guild_id].channels[channel.id] = channel
        return channel.id

    def add_role(self, guild_id: int, name: str = "news", *, mentionable: bool = True) -> int:
        """A role of the guild (e.g. for /subscribe mention:); returns its id."""
        role_id = self.snowflake()
        self.guilds[guild_id].roles[role_id] = {
            "id": str(role_id),
            "name": name,
            "permissions": "0",
            "position": len(self.guilds[guild_id].roles) + 1,
            "color": 0,
            "hoist": False,
            "managed": False,
            "mentionable": mentionable,
            "flags": 0,
        }
        return role_id

    def channel(self, channel_id: int | str) -> Channel:
        for guild in self.guilds.values():
            if int(channel_id) in guild.channels:
                return guild.channels[int(channel_id)]
        raise KeyError(channel_id)

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}{API_PREFIX}"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    async def start(self) -> FakeDiscord:
        app = web.Application()
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", API_PREFIX + "/{path:.*}", self._api)
        self._runner = web.AppRunner(app, handle_signals=False, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        for holds in [*self._holds.values(), *self._edit_holds.values()]:
            for hold in holds:
                hold.release()
        for gateway in self.gateways:
            await gateway.ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    # Test controls.

    def fail_channel(self, channel_id: int, status: int | None) -> None:
        """Answer every request about this channel with 403 or 404 (None: back to normal)."""
        self.channel(channel_id).fail_status = status

    def rate_limit_next(self, route: str, *, retry_after: float = 0.05, via: bool = True) -> None:
        """The next request to `route` ("POST /channels/{id}/messages") gets a 429."""
        self._rate_limits.setdefault(route, []).append((retry_after, via))

    def hold_next_post(self, channel_id: int, *, skip: int = 0) -> Hold:
        """Hold the response to the next post in the channel (after `skip` others)."""
        hold = Hold(skip=skip)
        self._holds.setdefault(int(channel_id), []).append(hold)
        return hold

    def hold_next_edit(self, channel_id: int) -> Hold:
        """Hold the response to the next edit in the channel (the edit is applied first)."""
        hold = Hold()
        self._edit_holds.setdefault(int(channel_id), []).append(hold)
        return hold

    def delete_message(self, channel_id: int, message_id: str) -> None:
        """A moderator deletes a message."""
        channel = self.channel(channel_id)
        channel.messages = [m for m in channel.messages if m["id"] != str(message_id)]
        self.deleted.append(str(message_id))

    def edits_of(self, message_id: str) -> list[dict]:
        """The PATCH payloads a message received, in order."""
        return [e["payload"] for e in self.edits if e["message_id"] == str(message_id)]

    def advance(self, seconds: float) -> None:
        """Let simulated time pass for the interaction deadlines."""
        self.clock_offset += seconds

    def now(self) -> float:
        return time.monotonic() + self.clock_offset

    def posts(self, channel_id: int) -> list[dict]:
        """The visible messages of a channel, oldest first (ephemeral ones are not)."""
        return list(self.channel(channel_id).messages)

    async def wait_for_posts(
        self, channel_id: int, count: int, timeout: float = 10.0
    ) -> list[dict]:
        async with self._posted:
            await asyncio.wait_for(
                self._posted.wait_for(lambda: len(self.posts(channel_id)) >= count), timeout
            )
        return self.posts(channel_id)

    async def wait_for_gateway(self, count: int = 1, timeout: float = 10.0) -> None:
        async def identified():
            while sum(g.identified.is_set() for g in self.gateways) < count:
                await asyncio.sleep(0.02)

        await asyncio.wait_for(identified(), timeout)

    def registered(self, name: str, guild_id: int | None = None) -> dict | None:
        commands = self.guilds[guild_id].commands if guild_id else []
        for command in [*commands, *self.global_commands]:
            if command["name"] == name:
                return command
        return None

    async def interact(
        self,
        guild_id: int,
        channel_id: int,
        command: str,
        *,
        permissions: int = MEMBER_DEFAULT,
        user_id: int | None = None,
        focused: str | None = None,
        age: float = 0.0,
        **options: Any,
    ) -> Interaction:
        """A member runs a slash command ("topic create" for a subcommand).

        With `focused`, it is an autocomplete request for that option instead;
        `age` makes the interaction that many seconds old when it reaches the bot.
        The command must have been registered (synced) by the bot.
        """
        top, _, sub = command.partition(" ")
        schema = self.registered(top, guild_id)
        if schema is None:
            raise AssertionError(f"/{top} is not registered with the fake Discord")
        option_list = self._options(schema, sub, options, focused)
        channel = self.channel(channel_id)
        resolved = self._resolved(guild_id, option_list)
        interaction_id = self.snowflake()
        token = secrets.token_urlsafe(24)
        user = {
            "id": str(user_id or self.snowflake()),
            "username": "member",
            "discriminator": "0",
            "global_name": "Member",
            "avatar": None,
        }
        payload = {
            "id": str(interaction_id),
            "application_id": str(self.application_id),
            "type": 4 if focused else 2,
            "data": {
                "id": schema["id"],
                "name": top,
                "type": 1,
                "options": option_list,
                **({"resolved": resolved} if resolved else {}),
            },
            "guild_id": str(guild_id),
            "channel_id": str(channel_id),
            "channel": channel.payload(),
            "member": {
                "user": user,
                "roles": [],
                "joined_at": _iso(datetime.now(UTC)),
                "deaf": False,
                "mute": False,
                "flags": 0,
                "pending": False,
                "nick": None,
                "avatar": None,
                "permissions": str(permissions),
            },
            "token": token,
            "version": 1,
            "app_permissions": str(channel.bot_permissions),
            "locale": "en-US",
            "guild_locale": "en-US",
            "entitlements": [],
            "authorizing_integration_owners": {"0": str(guild_id)},
            "context": 0,
            "attachment_size_limit": 10 * 1024 * 1024,
        }
        created = self.now() - age
        interaction = Interaction(interaction_id, token, guild_id, channel_id, payload, created)
        self.interactions[interaction_id] = interaction
        gateway = next((g for g in self.gateways if g.handles(guild_id) and not g.ws.closed), None)
        if gateway is None:
            raise AssertionError("no gateway connection handles that guild")
        await gateway.dispatch("INTERACTION_CREATE", payload)
        return interaction

    def _resolved(self, guild_id: int, options: list[dict]) -> dict:
        """Discord sends the objects that role options name along with the command."""
        roles = {}
        for option in options:
            if option["type"] == 1:
                roles.update(self._resolved(guild_id, option.get("options") or []).get("roles", {}))
            elif option["type"] == 8 and not option.get("focused"):
                everyone = self._guild_payload(self.guilds[guild_id])["roles"][0]
                role = self.guilds[guild_id].roles.get(int(option["value"]))
                if int(option["value"]) == guild_id:  # the @everyone role has the guild's id
                    role = everyone
                if role is None:
                    raise AssertionError(f"no role {option['value']} in guild {guild_id}")
                roles[str(option["value"])] = role
        return {"roles": roles} if roles else {}

    def _options(self, schema: dict, sub: str, values: dict, focused: str | None) -> list[dict]:
        declared = schema.get("options") or []
        if sub:
            group = next((o for o in declared if o["name"] == sub and o["type"] == 1), None)
            if group is None:
                raise AssertionError(f"/{schema['name']} has no subcommand {sub!r}")
            return [{"type": 1, "name": sub, "options": self._options(group, "", values, focused)}]
        by_name = {o["name"]: o for o in declared}
        result = []
        for name, value in values.items():
            if name not in by_name:
                raise AssertionError(f"/{schema['name']} has no option {name!r}")
            kind = by_name[name]["type"]
            option = {"name": name, "type": kind, "value": str(value) if kind == 8 else value}
            if name == focused:
                option["focused"] = True
            result.append(option)
        missing = [o["name"] for o in declared if o.get("required") and o["name"] not in values]
        if missing and not focused:
            raise AssertionError(f"Discord would not send /{schema['name']} without {missing}")
        return result

    # The gateway.

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(heartbeat=None)
        await ws.prepare(request)
        gateway = Gateway(ws)
        self.gateways.append(gateway)
        await ws.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": 41250}}))
        async for message in ws:
            if message.type is not WSMsgType.TEXT:
                break
            packet = json.loads(message.data)
            op, data = packet.get("op"), packet.get("d")
            if op == 1:
                await ws.send_str(json.dumps({"op": 11}))
            elif op == 2:
                if data.get("token") != self.token:
                    await ws.close(code=4004, message=b"Authentication failed.")
                    break
                await self._identify(gateway, data)
            elif op == 6:  # resume: not kept, ask for a fresh identify
                await ws.send_str(json.dumps({"op": 9, "d": False}))
        return ws

    async def _identify(self, gateway: Gateway, data: dict) -> None:
        gateway.shard = tuple(data.get("shard") or (0, 1))
        gateway.session_id = secrets.token_hex(16)
        guilds = [g for g in self.guilds.values() if gateway.handles(g.id)]
        ready = {
            "v": 10,
            "user": self.bot_user,
            "guilds": [{"id": str(g.id), "unavailable": True} for g in guilds],
            "session_id": gateway.session_id,
            "resume_gateway_url": self.gateway_url,
            "application": {"id": str(self.application_id), "flags": 0},
            "shard": list(gateway.shard),
            "private_channels": [],
            "relationships": [],
        }
        await gateway.dispatch("READY", ready)
        for guild in guilds:
            await gateway.dispatch("GUILD_CREATE", self._guild_payload(guild))
        gateway.identified.set()

    def _guild_payload(self, guild: Guild) -> dict:
        return {
            "id": str(guild.id),
            "name": guild.name,
            "owner_id": str(self.snowflake()),
            "unavailable": False,
            "member_count": 2,
            "large": False,
            "roles": [
                {
                    "id": str(guild.id),  # @everyone
                    "name": "@everyone",
                    "permissions": str(MEMBER_DEFAULT),
                    "position": 0,
                    "color": 0,
                    "hoist": False,
                    "managed": False,
                    "mentionable": False,
                    "flags": 0,
                },
                *guild.roles.values(),
            ],
            "channels": [c.payload() for c in guild.channels.values()],
            "members": [
                {
                    "user": self.bot_user,
                    "roles": [],
                    "joined_at": _iso(datetime.now(UTC)),
                    "deaf": False,
                    "mute": False,
                    "flags": 0,
                }
            ],
            "threads": [],
            "emojis": [],
            "stickers": [],
            "features": [],
            "voice_states": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "joined_at": _iso(datetime.now(UTC)),
            "preferred_locale": "en-US",
            "premium_tier": 0,
            "system_channel_flags": 0,
        }

    # REST.

    async def _api(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["path"]
        route = f"{request.method} {path}"
        self.requests.append(route)
        limited = self._rate_limits.get(route)
        if limited:
            retry_after, via = limited.pop(0)
            headers = {"Retry-After": str(retry_after), "X-RateLimit-Scope": "user"}
            if via:
                headers["Via"] = "1.1 google"
            body = {
                "message": "You are being rate limited.",
                "retry_after": retry_after,
                "global": False,
            }
            return json_response(body, 429, headers)
        for pattern, handler, auth in self._routes():
            match = re.fullmatch(pattern, f"{request.method} {path}")
            if match is None:
                continue
            if auth and request.headers.get("Authorization") != f"Bot {self.token}":
                return discord_error(401, 0, "401: Unauthorized")
            return await handler(request, *match.groups())
        self.unhandled.append(route)
        return discord_error(404, 0, "404: Not Found")

    def _routes(self):
        return [
            (r"GET /users/@me", self._me, True),
            (r"GET /oauth2/applications/@me", self._application, True),
            (r"GET /gateway", self._gateway_info, False),
            (r"GET /gateway/bot", self._gateway_info, True),
            (r"(GET|PUT) /applications/(\d+)/commands", self._global_commands, True),
            (r"(GET|PUT) /applications/(\d+)/guilds/(\d+)/commands", self._guild_commands, True),
            (r"GET /channels/(\d+)", self._get_channel, True),
            (r"POST /channels/(\d+)/messages", self._post_message, True),
            (r"GET /channels/(\d+)/messages", self._history, True),
            (r"(PATCH|DELETE) /channels/(\d+)/messages/(\d+)", self._own_message, True),
            (r"POST /interactions/(\d+)/([^/]+)/callback", self._callback, False),
            (r"POST /webhooks/(\d+)/([^/]+)", self._followup, False),
            (
                r"(GET|PATCH|DELETE) /webhooks/(\d+)/([^/]+)/messages/([^/]+)",
                self._webhook_message,
                False,
            ),
        ]

    async def _me(self, request):
        return json_response(self.bot_user)

    async def _application(self, request):
        return json_response(
            {
                "id": str(self.application_id),
                "name": "newsbrief",
                "icon": None,
                "description": "",
                "bot_public": True,
                "bot_require_code_grant": False,
                "owner": {**self.bot_user, "id": str(self.snowflake()), "bot": False},
                "verify_key": "0" * 64,
                "flags": 0,
                "team": None,
                "summary": "",
                "interactions_endpoint_url": None,
            }
        )

    async def _gateway_info(self, request):
        return json_response(
            {
                "url": self.gateway_url,
                "shards": self.recommended_shards,
                "session_start_limit": {
                    "total": 1000,
                    "remaining": 999,
                    "reset_after": 0,
                    "max_concurrency": 1,
                },
            }
        )

    async def _global_commands(self, request, method, application_id):
        if method == "PUT":
            self.global_commands = self._register(await request.json())
            self.command_syncs.append("global")
        return json_response(self.global_commands)

    async def _guild_commands(self, request, method, application_id, guild_id):
        guild = self.guilds[int(guild_id)]
        if method == "PUT":
            guild.commands = self._register(await request.json(), guild_id)
            self.command_syncs.append(guild_id)
        return json_response(guild.commands)

    def _register(self, commands: list[dict], guild_id: str | None = None) -> list[dict]:
        if len(commands) > 100:
            raise web.HTTPBadRequest(text="too many commands")
        registered = []
        for command in commands:
            problems = [c for c in (command.get("description") or "x",) if len(c) > 100]
            if not re.fullmatch(r"[-_\w]{1,32}", command["name"]) or problems:
                raise web.HTTPBadRequest(text=f"invalid command {command['name']!r}")
            permissions = command.get("default_member_permissions")
            registered.append(
                {
                    **command,
                    # Discord answers with the bit set as a string.
                    "default_member_permissions": None if permissions is None else str(permissions),
                    "id": str(self.snowflake()),
                    "application_id": str(self.application_id),
                    "guild_id": guild_id,
                    "version": str(self.snowflake()),
                }
            )
        return registered

    def _channel_or_error(self, channel_id: str, needed: int) -> Channel | web.Response:
        try:
            channel = self.channel(channel_id)
        except KeyError:
            return discord_error(404, 10003, "Unknown Channel")
        if channel.fail_status == 404:
            return discord_error(404, 10003, "Unknown Channel")
        if channel.fail_status == 403 or not channel.bot_permissions & VIEW_CHANNEL:
            return discord_error(403, 50001, "Missing Access")
        if needed and channel.bot_permissions & needed != needed:
            return discord_error(403, 50013, "Missing Permissions")
        return channel

    async def _get_channel(self, request, channel_id):
        channel = self._channel_or_error(channel_id, 0)
        return channel if isinstance(channel, web.Response) else json_response(channel.payload())

    async def _post_message(self, request, channel_id):
        payload = await request.json()
        needed = SEND_MESSAGES | (EMBED_LINKS if payload.get("embeds") else 0)
        channel = self._channel_or_error(channel_id, needed)
        if isinstance(channel, web.Response):
            return channel
        invalid = self._invalid(f"POST /channels/{channel_id}/messages", payload)
        if invalid is not None:
            return invalid
        message = self._message(channel, payload)
        await self._publish(channel, message)
        await self._held(self._holds.get(channel.id), message)
        return json_response(message)

    @staticmethod
    async def _held(holds: list[Hold] | None, message: dict) -> None:
        """Keep the response until the test releases the first hold (after its skips)."""
        if holds and holds[0].skip:
            holds[0].skip -= 1
        elif holds:
            hold = holds.pop(0)
            hold.message = message
            hold.arrived.set()
            await hold.released.wait()

    async def _own_message(self, request, method, channel_id, message_id):
        """The bot edits (PATCH) or deletes one of its messages."""
        channel = self._channel_or_error(channel_id, 0)
        if isinstance(channel, web.Response):
            return channel
        message = next((m for m in channel.messages if m["id"] == message_id), None)
        if message is None or message["author"]["id"] != self.bot_user["id"]:
            return discord_error(404, 10008, "Unknown Message")
        if method == "DELETE":
            self.delete_message(channel.id, message_id)
            return web.Response(status=204)
        payload = await request.json()
        merged = {
            "content": (payload["content"] or "") if "content" in payload else message["content"],
            "embeds": (payload["embeds"] or []) if "embeds" in payload else message["embeds"],
            "allowed_mentions": payload.get("allowed_mentions"),
        }
        if merged["embeds"] and not channel.bot_permissions & EMBED_LINKS:
            return discord_error(403, 50013, "Missing Permissions")
        invalid = self._invalid(f"PATCH /channels/{channel_id}/messages", merged)
        if invalid is not None:
            return invalid
        # An edit notifies nobody: what the message pinged stays what its post pinged.
        message.update(
            content=merged["content"],
            embeds=merged["embeds"],
            edited_timestamp=_iso(datetime.now(UTC)),
        )
        self.edits.append({"channel_id": channel_id, "message_id": message_id, "payload": payload})
        await self._held(self._edit_holds.get(channel.id), message)
        return json_response(message)

    async def _history(self, request, channel_id):
        channel = self._channel_or_error(channel_id, 0)
        if isinstance(channel, web.Response):
            return channel
        if not channel.bot_permissions & READ_MESSAGE_HISTORY:
            return json_response([])
        limit = min(int(request.query.get("limit", 50)), 100)
        messages = list(reversed(channel.messages))
        if "before" in request.query:
            messages = [m for m in messages if int(m["id"]) < int(request.query["before"])]
        return json_response(messages[:limit])

    def _invalid(self, route: str, payload: dict) -> web.Response | None:
        errors = validate_message(payload)
        if not errors:
            return None
        self.rejections.append((route, errors))
        if errors.pop("_empty", False):
            return discord_error(400, 50006, "Cannot send an empty message")
        return discord_error(400, 50035, "Invalid Form Body", errors)

    def _message(
        self, channel: Channel, payload: dict, *, interaction: Interaction | None = None
    ) -> dict:
        content = payload.get("content") or ""
        allowed = payload.get("allowed_mentions")
        pings = self._pings(channel, content, allowed)
        message = {
            "id": str(self.snowflake()),
            "channel_id": str(channel.id),
            "guild_id": str(channel.guild_id),
            "author": self.bot_user,
            "content": content,
            "timestamp": _iso(datetime.now(UTC)),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": "everyone" in pings,
            "mentions": [],
            "mention_roles": sorted(
                p.removeprefix("role:") for p in pings if p.startswith("role:")
            ),
            "attachments": [],
            "embeds": payload.get("embeds") or [],
            "pinned": False,
            "type": 20 if interaction else 0,
            "flags": int(payload.get("flags") or 0),
            "components": [],
            "nonce": payload.get("nonce"),
            # Not Discord's: what this message would have pinged, for the tests.
            "pinged": sorted(pings),
        }
        return message

    def _pings(self, channel: Channel, content: str, allowed: dict | None) -> set[str]:
        """What a message's content pings under allowed_mentions (embeds never ping).

        Stricter than Discord where that catches more mistakes: @everyone and ids that
        are no known role or member count as pings whenever allowed_mentions lets
        them. A role of the guild that is not mentionable pings only if the bot may
        Mention Everyone in the channel.
        """
        found = set()
        roles = self.guilds[channel.guild_id].roles
        may_mention_all = bool(channel.bot_permissions & MENTION_EVERYONE)
        for match in _MENTION.finditer(content):
            if match.group(1):
                found.add("everyone")
            elif match.group(2):
                found.add(f"user:{match.group(2)}")
            else:
                role = roles.get(int(match.group(3)))
                if role is None or role["mentionable"] or may_mention_all:
                    found.add(f"role:{match.group(3)}")
        if allowed is None:
            return found
        parse = set(allowed.get("parse") or [])
        users = {f"user:{u}" for u in allowed.get("users") or []}
        roles = {f"role:{r}" for r in allowed.get("roles") or []}
        return {
            p
            for p in found
            if (p == "everyone" and "everyone" in parse)
            or (p.startswith("user:") and ("users" in parse or p in users))
            or (p.startswith("role:") and ("roles" in parse or p in roles))
        }

    async def _publish(self, channel: Channel, message: dict) -> None:
        if message["flags"] & EPHEMERAL:
            return
        async with self._posted:
            channel.messages.append(message)
            self._posted.notify_all()

    # Interactions.

    def _interaction(self, interaction_id: str | None, token: str) -> Interaction | None:
        for interaction in self.interactions.values():
            if interaction.token == token and (
                interaction_id is None or interaction.id == int(interaction_id)
            ):
                return interaction
        return None

    async def _callback(self, request, interaction_id, token):
        interaction = self._interaction(interaction_id, token)
        body = await request.json()
        if interaction is None:
            return discord_error(404, 10062, "Unknown interaction")
        if interaction.responses:
            interaction.errors.append(40060)
            return discord_error(400, 40060, "Interaction has already been acknowledged.")
        if self.now() - interaction.created > FIRST_RESPONSE_SECONDS:
            interaction.errors.append(10062)
            interaction.done.set()
            return discord_error(404, 10062, "Unknown interaction")
        kind, data = body.get("type"), body.get("data") or {}
        channel = self.channel(interaction.channel_id)
        resource: dict[str, Any] = {"type": kind}
        if kind == 4:
            invalid = self._invalid(f"callback {interaction_id}", data)
            if invalid is not None:
                interaction.done.set()
                return invalid
            interaction.original = self._message(channel, data, interaction=interaction)
            await self._publish(channel, interaction.original)
            resource["message"] = interaction.original
            interaction.done.set()
        elif kind == 5:
            interaction.deferred = True
            interaction.deferred_ephemeral = bool(int(data.get("flags") or 0) & EPHEMERAL)
        elif kind == 8:
            choices = data.get("choices") or []
            if len(choices) > 25 or any(len(c["name"]) > 100 for c in choices):
                self.rejections.append((f"autocomplete {interaction_id}", {"choices": choices}))
                return discord_error(400, 50035, "Invalid Form Body")
            interaction.choices = choices
            interaction.done.set()
        else:
            return discord_error(400, 50035, f"unsupported response type {kind}")
        interaction.responses.append(body)
        callback = {
            "interaction": {
                "id": str(interaction.id),
                "type": interaction.payload["type"],
                "response_message_id": (interaction.original or {}).get("id"),
                "response_message_loading": kind == 5,
                "response_message_ephemeral": interaction.deferred_ephemeral,
            },
            "resource": resource,
        }
        return json_response(callback)

    async def _followup(self, request, application_id, token):
        interaction = self._interaction(None, token)
        if interaction is None or not interaction.responses:
            return discord_error(404, 10015, "Unknown Webhook")
        if self.now() - interaction.created > FOLLOWUP_SECONDS:
            interaction.errors.append(50027)
            interaction.done.set()
            return discord_error(401, 50027, "Invalid Webhook Token")
        payload = await request.json()
        invalid = self._invalid(f"followup {interaction.id}", payload)
        if invalid is not None:
            interaction.done.set()
            return invalid
        channel = self.channel(interaction.channel_id)
        if interaction.deferred and interaction.original is None:
            # The first followup after a defer replaces the "thinking…" message,
            # and keeps the defer's visibility.
            flags = EPHEMERAL if interaction.deferred_ephemeral else 0
            message = self._message(channel, {**payload, "flags": flags}, interaction=interaction)
            interaction.original = message
        else:
            message = self._message(channel, payload, interaction=interaction)
            interaction.followups.append(message)
        await self._publish(channel, message)
        interaction.done.set()
        return json_response(message)

    async def _webhook_message(self, request, method, application_id, token, message_id):
        interaction = self._interaction(None, token)
        if interaction is None or not interaction.responses:
            return discord_error(404, 10015, "Unknown Webhook")
        if self.now() - interaction.created > FOLLOWUP_SECONDS:
            return discord_error(401, 50027, "Invalid Webhook Token")
        if message_id != "@original":
            return discord_error(404, 10008, "Unknown Message")
        channel = self.channel(interaction.channel_id)
        if method == "GET":
            if interaction.original is None:
                return discord_error(404, 10008, "Unknown Message")
            return json_response(interaction.original)
        if method == "DELETE":
            if interaction.original in channel.messages:
                channel.messages.remove(interaction.original)
            interaction.original = None
            interaction.deferred = False
            return web.Response(status=204)
        payload = await request.json()
        invalid = self._invalid(f"edit {interaction.id}", payload)
        if invalid is not None:
            return invalid
        flags = EPHEMERAL if interaction.deferred_ephemeral else 0
        message = self._message(channel, {**payload, "flags": flags}, interaction=interaction)
        if interaction.original is not None:
            message["id"] = interaction.original["id"]
            if interaction.original in channel.messages:
                channel.messages.remove(interaction.original)
        interaction.original = message
        await self._publish(channel, message)
        interaction.done.set()
        return json_response(message)


def _iso(moment: datetime) -> str:
    return moment.isoformat()
