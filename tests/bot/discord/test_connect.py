"""The real discord.py client against the fake Discord: connect, sync, answer."""

from tests.bot.discord.conftest import MANAGER


async def test_connects_syncs_and_answers(harness):
    fake = harness.fake
    assert fake.command_syncs == ["global"]
    names = sorted(c["name"] for c in fake.global_commands)
    assert "subscriptions" in names and "brief" in names
    reply = await fake.interact(harness.guild_id, harness.channel_id, "subscriptions")
    await reply.finished()
    assert "no daily briefings" in reply.shown()


async def test_topic_list(harness):
    harness.store.add_topic("Mexico security", "cartel")
    reply = await harness.fake.interact(
        harness.guild_id, harness.channel_id, "topic list", permissions=MANAGER
    )
    await reply.finished()
    assert "Mexico security" in reply.shown()
