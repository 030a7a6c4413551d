"""The polling engine is wired into the bot's capabilities with the [polling] settings."""

from bot.config import load_settings
from bot.core.capabilities import wired


def test_polling_capabilities_are_wired(tmp_path):
    (tmp_path / "c.toml").write_text("[polling]\nparse_workers = 1\ntimeout = '7s'\n")
    capabilities = wired(load_settings(tmp_path / "c.toml", environ={}))
    assert capabilities.has("add_feed") and capabilities.has("poll_cycle")
    service = capabilities.poll_cycle.__self__
    assert (service.options.parse_workers, service.options.timeout) == (1, 7.0)
    assert service.options.allow_private_hosts is False
    assert wired().has("poll_cycle")  # built-in defaults when no settings are given
