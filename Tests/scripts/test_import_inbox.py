"""Kiosk/deploy/import-inbox, the nightly import of guichet-import.service, against a real debug guichet."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

from conftest import ROOT

SCRIPT = ROOT / "Kiosk/deploy/import-inbox"


def run_inbox(tmp_path: Path, guichet: Path) -> subprocess.CompletedProcess:
    config = tmp_path / "guichet.toml"
    config.write_text(f'[database]\npath = "{tmp_path / "g.sqlite3"}"\n')
    env = dict(os.environ, GUICHET=str(guichet), GUICHET_IMPORT_STABLE_SECONDS="0")
    env.pop("GUICHET_DB", None)
    return subprocess.run([str(SCRIPT), str(tmp_path / "inbox"), str(config)], capture_output=True, text=True,
                          env=env, timeout=120)


def demo_export(path: Path) -> None:
    subprocess.run(["python3", str(ROOT / "Scripts/demo-export.py"), "--accounts", "100", "-o", str(path)],
                   check=True, capture_output=True)


def test_a_good_export_is_imported_and_moved_to_done(tmp_path, guichet):
    (tmp_path / "inbox").mkdir()
    demo_export(tmp_path / "inbox/export.csv")
    done = run_inbox(tmp_path, guichet)
    assert done.returncode == 0, done.stderr
    assert "guichet-import: imported export.csv: Imported" in done.stderr
    assert list((tmp_path / "inbox").glob("*.csv")) == []
    moved = list((tmp_path / "inbox/done").iterdir())
    assert len(moved) == 1 and moved[0].name.endswith("-export.csv")
    with sqlite3.connect(tmp_path / "g.sqlite3") as db:
        assert db.execute("SELECT count(*) FROM account").fetchone()[0] == 100
        assert db.execute("SELECT staff, action FROM journal ORDER BY seq DESC LIMIT 1").fetchone() == ("import-inbox", "import")


def test_a_bad_export_is_refused_moved_to_rejected_and_changes_nothing(tmp_path, guichet):
    (tmp_path / "inbox").mkdir()
    demo_export(tmp_path / "inbox/a-good.csv")
    os.utime(tmp_path / "inbox/a-good.csv", (1, 1))  # the oldest: imported first
    (tmp_path / "inbox/b-bad.csv").write_text('"Id";"Nom\n"1";"x"\n')
    done = run_inbox(tmp_path, guichet)
    assert done.returncode == 1
    assert "REFUSED b-bad.csv (the database is unchanged)" in done.stderr
    rejected = [p.name for p in (tmp_path / "inbox/rejected").iterdir()]
    assert len(rejected) == 1 and rejected[0].endswith("Z-b-bad.csv")
    assert len(list((tmp_path / "inbox/done").iterdir())) == 1
    with sqlite3.connect(tmp_path / "g.sqlite3") as db:
        assert db.execute("SELECT count(*) FROM import_run").fetchone()[0] == 1


def test_an_empty_inbox_is_nothing_to_do(tmp_path, guichet):
    (tmp_path / "inbox").mkdir()
    done = run_inbox(tmp_path, guichet)
    assert done.returncode == 0 and done.stderr == ""
