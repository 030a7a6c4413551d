"""Quality on real annotated news (PolNeAR dev), when ../shared is present.

Runs the shared scorer against the real `newsbrief quotes` command. Floors,
not timings: the figures and their command are in the README.
"""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SHARED

CORPUS = SHARED / "corpus" / "quotes" / "polnear-dev"
SCORER = SHARED / "tools" / "score_quotes.py"
NEWSBRIEF = Path(sys.executable).with_name("newsbrief")


@pytest.mark.corpus
@pytest.mark.skipif(not (CORPUS.is_dir() and SCORER.is_file()), reason="../shared corpus absent")
def test_polnear_dev_scores(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            str(SCORER),
            str(CORPUS),
            "--",
            str(NEWSBRIEF),
            "quotes",
            "--format",
            "jsonl",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    last = result.stdout.strip().splitlines()[-1]
    figures = dict(re.findall(r"(\w+)=([\d.]+)", last))
    assert '"articles_missing_from_output": 0' in result.stdout
    assert float(figures["quote_f1"]) >= 0.92, last
    assert float(figures["speaker_acc"]) >= 0.95, last
