"""`systemd-analyze verify` on the units of Kiosk/deploy/systemd, as Scripts/install lays them out.

They are verified inside a trial root (Scripts/install --root) holding a copy of the machine's own system units
(verify needs sysinit.target and the like), so every ExecStart= is checked to exist where the unit says. cage and
chromium, which a real install takes from Debian, are stand-ins there. Any warning fails the test: verify exits
0 on an unknown key, and only says so.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT
from test_install import UNITS, install

ANALYZE = shutil.which("systemd-analyze")
SYSTEM_UNITS = Path("/usr/lib/systemd/system")


@pytest.fixture()
def trial_root(tmp_path, guichet) -> Path:
    if ANALYZE is None:
        pytest.skip("systemd-analyze is not installed (Debian package: systemd)")
    if not (SYSTEM_UNITS / "sysinit.target").exists():
        pytest.skip(f"{SYSTEM_UNITS} has no sysinit.target to verify the units against")
    root = tmp_path / "root"
    install(root, binary=guichet)
    shutil.copytree(SYSTEM_UNITS, root / "usr/lib/systemd/system", symlinks=True)
    for program in ["usr/bin/cage", "usr/bin/chromium"]:
        (root / program).parent.mkdir(parents=True, exist_ok=True)
        (root / program).write_text("#!/bin/sh\n")
        (root / program).chmod(0o755)
    probe = root / "etc/systemd/system/guichet-probe.service"
    probe.write_text("[Service]\nExecStart=/usr/local/bin/guichet --help\n")
    done = verify(root, ["guichet-probe.service"])
    probe.unlink()
    if done.returncode != 0 or done.stdout or done.stderr:
        pytest.skip(f"systemd-analyze verify cannot run in this container: {done.stdout}{done.stderr}")
    return root


def verify(root: Path, units: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run([ANALYZE, "verify", "--man=no", f"--root={root}",
                           *[f"/etc/systemd/system/{u}" for u in units]],
                          capture_output=True, text=True, timeout=120)


def test_every_unit_verifies_without_a_warning(trial_root):
    done = verify(trial_root, UNITS)
    assert done.returncode == 0 and done.stdout == "" and done.stderr == "", done.stdout + done.stderr


def test_the_check_would_catch_a_mistake(trial_root):
    unit = trial_root / "etc/systemd/system/guichet.service"
    unit.write_text(unit.read_text().replace("ProtectSystem=strict", "ProtectSytem=strict"))
    done = verify(trial_root, ["guichet.service"])
    assert "Unknown key 'ProtectSytem'" in done.stdout + done.stderr


def test_the_service_is_hardened_as_the_design_asks():
    unit = (ROOT / "Kiosk/deploy/systemd/guichet.service").read_text()
    for line in ["User=guichet", "StateDirectoryMode=0700", "ProtectSystem=strict", "ProtectHome=yes",
                 "NoNewPrivileges=yes", "PrivateTmp=yes", "ReadWritePaths=/var/lib/guichet", "CapabilityBoundingSet=\n",
                 "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6", "SystemCallFilter=@system-service",
                 "ExecStart=/usr/local/bin/guichet serve --config /etc/guichet/guichet.toml"]:
        assert line in unit, line
    kiosk = (ROOT / "Kiosk/deploy/systemd/guichet-kiosk.service").read_text()
    assert "--kiosk --kiosk-printing" in kiosk and "Restart=always" in kiosk and "User=kiosk" in kiosk
