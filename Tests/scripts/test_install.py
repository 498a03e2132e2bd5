"""Scripts/install into a throwaway root (`--root DIR`): the files, their modes, idempotence, --uninstall.

Nothing here touches the machine: --root creates no user, changes no owner and calls neither apt nor systemctl.
The installed executable, configuration and kiosk page are then run together from the trial root.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import subprocess
import time
import urllib.request
from pathlib import Path

from conftest import ROOT

INSTALL = ROOT / "Scripts" / "install"
UNITS = ["guichet.service", "guichet-import.path", "guichet-import.service", "guichet-backup.service",
         "guichet-backup.timer", "guichet-kiosk.service", "guichet-ent-fetch.service", "guichet-ent-fetch.timer"]


def install(root: Path, *args: str, binary: Path | None = None) -> str:
    command = [str(INSTALL), "--root", str(root), *args]
    if binary is not None:
        command += ["--binary", str(binary)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr


def tree(root: Path) -> dict[str, tuple[str, str]]:
    """Every path under root: (octal mode, sha256 of a file's content or 'dir')."""
    listing = {}
    for path in sorted(root.rglob("*")):
        mode = oct(stat.S_IMODE(path.lstat().st_mode))
        content = "dir" if path.is_dir() else hashlib.sha256(path.read_bytes()).hexdigest()
        listing["/" + str(path.relative_to(root))] = (mode, content)
    return listing


def mode(root: Path, path: str) -> int:
    return stat.S_IMODE((root / path.lstrip("/")).stat().st_mode)


def test_install_lays_out_every_file_with_its_mode(tmp_path, guichet):
    root = tmp_path / "root"
    out = install(root, binary=guichet)
    assert mode(root, "/usr/local/bin/guichet") == 0o755
    assert (root / "usr/local/bin/guichet").read_bytes() == guichet.read_bytes()
    assert mode(root, "/usr/local/lib/guichet/import-inbox") == 0o755
    for unit in UNITS:
        assert (root / "etc/systemd/system" / unit).read_bytes() == (ROOT / "Kiosk/deploy/systemd" / unit).read_bytes()
        assert mode(root, f"/etc/systemd/system/{unit}") == 0o644
    assert mode(root, "/etc/pam.d/guichet-kiosk") == 0o644
    web = sorted(p.relative_to(ROOT / "Kiosk/web") for p in (ROOT / "Kiosk/web").rglob("*") if p.is_file())
    installed = sorted(p.relative_to(root / "usr/share/guichet/web") for p in (root / "usr/share/guichet/web").rglob("*") if p.is_file())
    assert web == installed and "index.html" in map(str, web)
    assert all(mode(root, f"/usr/share/guichet/web/{p}") == 0o644 for p in web)
    config = root / "etc/guichet/guichet.toml"
    assert config.read_bytes() == (ROOT / "Kiosk/deploy/guichet.toml.example").read_bytes()
    assert mode(root, "/etc/guichet/guichet.toml") == 0o640
    for folder in ["/var/lib/guichet", "/var/lib/guichet/inbox", "/var/lib/guichet/inbox/done",
                   "/var/lib/guichet/inbox/rejected", "/var/lib/guichet/backups"]:
        assert mode(root, folder) == 0o700, folder
    # It says what it did, and what it did not do in a trial root.
    assert "installed  /usr/local/bin/guichet (0755)" in out
    assert "created    /etc/guichet/guichet.toml from the example" in out
    assert "(--root: skipped) users guichet and kiosk" in out
    assert "(--root: skipped) systemctl" in out


def test_install_is_idempotent_and_keeps_the_configuration(tmp_path, guichet):
    root = tmp_path / "root"
    install(root, binary=guichet)
    config = root / "etc/guichet/guichet.toml"
    config.write_text(config.read_text().replace('name = "Lycée Jean-Jaurès"', 'name = "Lycée Condorcet"'))
    before = tree(root)
    out = install(root, binary=guichet)
    assert tree(root) == before
    assert "nothing changed" in out
    assert not re.search(r"^\s+(installed|updated|created|removed)\s", out, re.M), out
    assert "kept       /etc/guichet/guichet.toml" in out
    # A file the new version no longer ships is removed; a changed one is updated; a wrong mode is fixed.
    (root / "usr/share/guichet/web/old.js").write_text("// gone")
    (root / "usr/local/lib/guichet/import-inbox").write_text("#!/bin/sh\n")
    os.chmod(root / "etc/systemd/system/guichet.service", 0o666)
    out = install(root, binary=guichet)
    assert "removed    /usr/share/guichet/web/old.js" in out
    assert "updated    /usr/local/lib/guichet/import-inbox (0755)" in out
    assert "mode 0644 /etc/systemd/system/guichet.service" in out
    assert tree(root) == before


def test_uninstall_removes_the_files_and_keeps_the_data_unless_purged(tmp_path, guichet):
    root = tmp_path / "root"
    install(root, binary=guichet)
    (root / "var/lib/guichet/guichet.sqlite3").write_bytes(b"data")
    out = install(root, "--uninstall")
    for gone in ["usr/local/bin/guichet", "usr/local/lib/guichet", "usr/share/guichet", "etc/pam.d/guichet-kiosk",
                 *[f"etc/systemd/system/{u}" for u in UNITS]]:
        assert not (root / gone).exists(), gone
    assert (root / "etc/guichet/guichet.toml").exists()
    assert (root / "var/lib/guichet/guichet.sqlite3").read_bytes() == b"data"
    assert "kept       /etc/guichet and /var/lib/guichet" in out
    out = install(root, "--uninstall")
    assert "absent     /usr/local/bin/guichet" in out
    install(root, "--uninstall", "--purge")
    assert not (root / "etc/guichet").exists() and not (root / "var/lib/guichet").exists()


def test_the_installed_binary_configuration_and_page_serve_together(tmp_path, guichet):
    root = tmp_path / "root"
    install(root, binary=guichet)
    # The installed example points at /usr/share/guichet/web and /var/lib/guichet: in the trial root, flags
    # point at the same files there (flags override the file).
    db = root / "var/lib/guichet/guichet.sqlite3"
    server = subprocess.Popen(
        [str(root / "usr/local/bin/guichet"), "serve", "--config", str(root / "etc/guichet/guichet.toml"),
         "--db", str(db), "--kiosk", str(root / "usr/share/guichet/web"), "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = server.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert match, line + server.stderr.read()
        port = match.group(1)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as page:
            assert b"<html" in page.read().lower()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/config", timeout=10) as config:
            assert b'"schoolName":"Lyc' in config.read()
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert db.exists() and (root / "var/lib/guichet/guichet.sqlite3.key").exists()


def test_the_unit_bounds_memory_tasks_and_files_and_the_kiosk_browser_is_locked_down(tmp_path, guichet):
    # Issue 18, item 7: limits in the unit; Chromium's policy disables DevTools and allows only the service.
    root = tmp_path / "root"
    install(root, binary=guichet)
    unit = (root / "etc/systemd/system/guichet.service").read_text()
    for line in ["MemoryMax=512M", "TasksMax=64", "LimitNOFILE=2048"]:
        assert re.search(rf"^{line}$", unit, re.M), line
    import json
    policy = json.loads((root / "etc/chromium/policies/managed/guichet-kiosk.json").read_text())
    assert policy["DeveloperToolsAvailability"] == 2 and policy["URLBlocklist"] == ["*"]
    assert "http://127.0.0.1:8080" in policy["URLAllowlist"]
    assert mode(root, "/etc/chromium/policies/managed/guichet-kiosk.json") == 0o644
    install(root, "--uninstall")
    assert not (root / "etc/chromium/policies/managed/guichet-kiosk.json").exists()


def test_install_never_builds_as_root_in_a_checkout_others_can_write(tmp_path):
    # Issue 18, item 7: Package.swift runs at build time; whoever can write the checkout would run code as root.
    checkout = tmp_path / "checkout"
    (checkout / "Scripts").mkdir(parents=True)
    for name in ["install", "lib.sh"]:
        target = checkout / "Scripts" / name
        target.write_bytes((ROOT / "Scripts" / name).read_bytes())
        target.chmod(0o755)
    (checkout / "Package.swift").write_text("// planted\n")
    (checkout / "Package.swift").chmod(0o666)
    done = subprocess.run([str(checkout / "Scripts/install"), "--root", str(tmp_path / "root")],
                          capture_output=True, text=True, timeout=120)
    if os.geteuid() == 0:
        assert done.returncode != 0
        assert "will not build as root" in done.stderr and "Package.swift can be written by others" in done.stderr
        assert not (checkout / ".build-install").exists()
