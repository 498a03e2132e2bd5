"""The ENT administrator's password as a systemd credential: `Scripts/install --ent-password` into a trial root,
the drop-ins `systemd-analyze verify` reads, and the installed `guichet` taking $CREDENTIALS_DIRECTORY/
ent-admin-password before [ent] admin_password_file, against the fake ENT (Tests/ent/fake_ent.py).
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from conftest import ROOT
from test_install import INSTALL, install
from test_units import trial_root, verify  # noqa: F401 (trial_root is a fixture)

DROPINS = ["etc/systemd/system/guichet.service.d/ent-password.conf",
           "etc/systemd/system/guichet-ent-fetch.service.d/ent-password.conf"]


def set_password(root: Path, password: str) -> str:
    done = subprocess.run([str(INSTALL), "--root", str(root), "--ent-password"], input=password + "\n",
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr


def test_ent_password_writes_the_file_and_the_units_credential(tmp_path, guichet):
    root = tmp_path / "root"
    install(root, binary=guichet)
    out = set_password(root, "adml s3cret; with spaces")
    secret = root / "etc/guichet/ent-password"
    assert secret.read_text() == "adml s3cret; with spaces\n"
    assert stat.S_IMODE(secret.stat().st_mode) == 0o640
    for dropin in DROPINS:
        text = (root / dropin).read_text()
        assert "[Service]\nLoadCredential=ent-admin-password:/etc/guichet/ent-password\n" in text, text
    assert "adml s3cret" not in out
    assert "guichet ent check --retry" in out
    # Again with another password: the file changes, the drop-ins do not.
    out = set_password(root, "another")
    assert secret.read_text() == "another\n"
    assert out.count("unchanged  /etc/systemd/system/") == 2
    # --uninstall takes the drop-ins with the units (a unit left with LoadCredential= and no file would fail);
    # the password stays with the configuration until --purge.
    install(root, "--uninstall")
    assert not any((root / d).exists() for d in DROPINS)
    assert not (root / "etc/systemd/system/guichet.service.d").exists()
    assert secret.exists()
    install(root, "--uninstall", "--purge")
    assert not secret.exists()


def test_no_password_on_standard_input_is_refused(tmp_path, guichet):
    root = tmp_path / "root"
    install(root, binary=guichet)
    done = subprocess.run([str(INSTALL), "--root", str(root), "--ent-password"], input="",
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "no password read" in done.stderr
    assert not (root / "etc/guichet/ent-password").exists() and not (root / DROPINS[0]).exists()


def test_the_units_with_the_credential_verify(trial_root):  # noqa: F811
    set_password(trial_root, "adml-password")
    units = ["guichet.service", "guichet-ent-fetch.service"]
    done = verify(trial_root, units)
    assert done.returncode == 0 and done.stdout == "" and done.stderr == "", done.stdout + done.stderr
    # verify reads the drop-ins: a mistake in one is caught.
    dropin = trial_root / DROPINS[0]
    dropin.write_text(dropin.read_text().replace("LoadCredential=", "LoadCredentail="))
    done = verify(trial_root, units)
    assert "Unknown key 'LoadCredentail'" in done.stdout + done.stderr


def start_fake_ent() -> tuple[subprocess.Popen, str]:
    fake = subprocess.Popen([sys.executable, str(ROOT / "Tests/ent/fake_ent.py")], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    line = fake.stdout.readline()
    assert line.startswith("PORT "), line
    return fake, "http://127.0.0.1:%s" % line.split()[1]


def failed_sign_ins(url: str) -> int:
    log = subprocess.run(["curl", "-s", url + "/__fake/log"], capture_output=True, text=True).stdout
    return log.count('"outcome": "failed"')


def test_guichet_takes_the_credential_before_the_password_file(tmp_path, guichet):
    fake, url = start_fake_ent()
    try:
        wrong = tmp_path / "ent-password"
        wrong.write_text("not-the-password\n")
        wrong.chmod(0o600)
        config = tmp_path / "guichet.toml"
        config.write_text(f'[ent]\nurl = "{url}"\nadmin_login = "guichet.adml"\nadmin_password_file = "{wrong}"\n'
                          f'structure_ids = ["s-lycee"]\n[database]\npath = "{tmp_path / "g.sqlite3"}"\n')
        credentials = tmp_path / "credentials"
        credentials.mkdir()
        (credentials / "ent-admin-password").write_text("adml-password\n")
        (credentials / "ent-admin-password").chmod(0o400)
        environment = dict(os.environ, CREDENTIALS_DIRECTORY=str(credentials))
        done = subprocess.run([str(guichet), "ent", "check", "--config", str(config)], env=environment,
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "ok    sign-in: signed in as guichet.adml" in done.stdout
        assert "ok    xsrf: accepted" in done.stdout
        # Without the credential (a command run by hand), the file: refused once, remembered, reported.
        environment.pop("CREDENTIALS_DIRECTORY")
        for _ in range(2):
            done = subprocess.run([str(guichet), "ent", "check", "--config", str(config)], env=environment,
                                  capture_output=True, text=True, timeout=60)
            assert done.returncode == 1 and "FAIL  sign-in: the ENT refused the sign-in of guichet.adml" in done.stdout
        assert "guichet ent check --retry" in done.stdout
        assert failed_sign_ins(url) == 1
        # --retry: one more attempt (still the wrong password: refused, remembered again).
        done = subprocess.run([str(guichet), "ent", "check", "--retry", "--config", str(config)], env=environment,
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 1 and failed_sign_ins(url) == 2
        # The password fixed in the file: the refusal was for the old one, so it is tried at once.
        wrong.write_text("adml-password\n")
        done = subprocess.run([str(guichet), "ent", "check", "--config", str(config)], env=environment,
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0 and "ok    sign-in" in done.stdout, done.stdout
        assert not (tmp_path / "g.sqlite3.ent-sign-in-refused").exists()
    finally:
        fake.stdin.close()
        fake.wait(timeout=10)
