"""Tests for Scripts/demo-export.py (run: `python3 -m pytest Tests/scripts`).

`check_export(path)` also checks a big file by hand: `python3 Tests/scripts/test_demo_export.py FILE`.
"""

from __future__ import annotations

import collections
import csv
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "Scripts" / "demo-export.py"

CURRENT_HEADER = ["Id", "Identifiant SIECLE", "Type", "Nom", "Prénom", "Identifiant", "Login personnalisé (Alias)",
                  "Code d'activation", "Fonctions", "Établissements", "Classes", "Enfants", "Parents",
                  "Dernière connexion", "Courriel", "Téléphone"]
LEGACY_HEADER = ["Id", "Id Siecle", "Type", "Nom", "Prénom", "Login", "Code d'activation", "Fonction(s)",
                 "Structure(s)", "Classe(s)", "Enfant(s)", "Parent(s)"]
PUBLIPOSTAGE_HEADER = ["Nom", "Prénom", "Profil", "Login", "Code d'activation", "Courriel", "Classe",
                       "Date de création"]
TYPES = {"Student", "Relative", "Teacher", "Personnel", "Guest"}
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z")
CODE = re.compile(r"[abcdefghjkmnprstvwxyz3456789]{8}\Z")
LAST_SEEN = re.compile(r"(0[1-9]|[12]\d|3[01])-(0[1-9]|1[0-2])-202[56] ([01]\d|2[0-3]):[0-5]\d\Z")
LOGIN = re.compile(r"[a-z0-9-]+\.[a-z0-9-]+\Z")
PHONE = re.compile(r"0[67]( \d\d){4}\Z")


def generate(tmp_path: Path, accounts: int, *options: str, name: str = "export.csv") -> Path:
    path = tmp_path / name
    subprocess.run([sys.executable, str(SCRIPT), "--accounts", str(accounts), "-o", str(path), *options],
                   check=True, capture_output=True)
    return path


def read_rows(path: Path, encoding: str = "utf-8-sig", separator: str = ";", newline: str = "\n"):
    """Check the ENT's quoting byte by byte, then parse with the csv module; returns (header, rows as dicts)."""
    raw = path.read_bytes()
    text = raw.decode(encoding)
    lines = text.split(newline)
    assert lines[-1] == "", "the file ends with a line end"
    between = f'"{separator}"'
    for line in lines[:-1]:
        assert "\r" not in line or newline == "\r\n"
        assert line.startswith('"') and line.endswith('"'), line
        assert '"' not in line[1:-1].replace(between, ""), f"a value holds a double quote: {line}"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    header = next(reader)
    rows = [dict(zip(header, values, strict=True)) for values in reader]
    return header, rows


def check_export(path: Path, accounts: int | None = None) -> dict:
    """Every invariant of a current-variant UTF-8 export; returns a few statistics."""
    assert path.read_bytes()[:3] == b"\xef\xbb\xbf", "UTF-8 BOM"
    header, rows = read_rows(path)
    assert header == CURRENT_HEADER
    if accounts is not None:
        assert len(rows) == accounts
    ids, logins, aliases = set(), set(), set()
    students = collections.defaultdict(list)
    relatives = collections.defaultdict(list)
    for row in rows:
        assert row["Type"] in TYPES
        assert UUID.match(row["Id"]) and row["Id"] not in ids
        ids.add(row["Id"])
        assert LOGIN.match(row["Identifiant"]), row["Identifiant"]
        assert row["Identifiant"] not in logins, row["Identifiant"]
        logins.add(row["Identifiant"])
        if row["Login personnalisé (Alias)"]:
            assert row["Login personnalisé (Alias)"] not in aliases
            aliases.add(row["Login personnalisé (Alias)"])
        code, seen = row["Code d'activation"], row["Dernière connexion"]
        assert (CODE.match(code) and not seen) or (not code and LAST_SEEN.match(seen)), row
        assert not row["Téléphone"] or PHONE.match(row["Téléphone"])
        assert row["Établissements"]
        if row["Type"] in ("Student", "Relative"):
            assert row["Identifiant SIECLE"].isdigit() and len(row["Identifiant SIECLE"]) == 7
            assert not row["Fonctions"]
        if row["Type"] == "Student":
            assert row["Classes"] and ", " not in row["Classes"] and not row["Enfants"]
            students[f"{row['Prénom']} {row['Nom']}"].append(row)
        elif row["Type"] == "Relative":
            assert row["Enfants"] and not row["Parents"]
            relatives[f"{row['Prénom']} {row['Nom']}"].append(row)
        else:
            assert not row["Enfants"] and not row["Parents"]
    assert not aliases & logins, "an alias equals a login"

    # Links, from both sides: every name on one side is a row on the other that names it back.
    for name, parents in relatives.items():
        for parent in parents:
            for child_name in parent["Enfants"].split(", "):
                assert any(name in child["Parents"].split(", ") for child in students.get(child_name, ())), \
                    f"{name} -> {child_name}"
    for name, children in students.items():
        for child in children:
            for parent_name in filter(None, child["Parents"].split(", ")):
                assert any(name in parent["Enfants"].split(", ") for parent in relatives.get(parent_name, ())), \
                    f"{name} -> {parent_name}"
    check_personas(rows)
    types = collections.Counter(row["Type"] for row in rows)
    surnames = collections.Counter(row["Nom"] for row in rows)
    return {
        "types": types,
        "activated": sum(not row["Code d'activation"] for row in rows) / len(rows),
        "parents_per_student": types["Relative"] / types["Student"],
        "distinct_surnames": len(surnames),
        "top_surnames": surnames.most_common(5),
        "schools": len({school for row in rows for school in row["Établissements"].split(", ")}),
    }


def check_personas(rows: list[dict]):
    """The fixed personas open the file, with the promised states and links."""
    top = {(row["Prénom"], row["Nom"], row["Type"]): row for row in rows[:14]}
    assert len(top) == 13  # the two Camille Martin share a key
    zoe = top[("Zoé", "Gérard", "Student")]
    assert (zoe["Classes"], zoe["Identifiant"]) == ("2NDE 3", "zoe.gerard")
    assert zoe["Parents"] == "Sophie Gérard, Marc Gérard"
    assert zoe["Code d'activation"] and zoe["Établissements"] == "Lycée Jean-Jaurès"
    ines = top[("Inès", "Gérard", "Student")]
    assert ines["Classes"] == "TLE G2" and not ines["Code d'activation"]
    sophie = top[("Sophie", "Gérard", "Relative")]
    assert sophie["Enfants"] == "Zoé Gérard, Inès Gérard" and sophie["Code d'activation"] and sophie["Courriel"]
    assert not top[("Marc", "Gérard", "Relative")]["Code d'activation"]
    nathanael = top[("Nathanaël", "N'Diaye", "Student")]
    assert nathanael["Classes"] == "1ERE G1" and nathanael["Code d'activation"]
    assert nathanael["Identifiant"] == "nathanael.ndiaye" and nathanael["Parents"] == "Aïssatou N'Diaye"
    aissatou = top[("Aïssatou", "N'Diaye", "Relative")]
    assert aissatou["Code d'activation"] and aissatou["Courriel"]
    camilles = [row for row in rows[:14] if (row["Prénom"], row["Nom"]) == ("Camille", "Martin")]
    assert len(camilles) == 2 and camilles[0]["Enfants"] != camilles[1]["Enfants"]
    for camille in camilles:
        child = next(row for row in rows[:14] if f"{row['Prénom']} {row['Nom']}" == camille["Enfants"])
        assert child["Parents"] == "Camille Martin"
    helene = top[("Hélène", "Lefèvre-Cœur", "Teacher")]
    assert helene["Courriel"].endswith("@ac-versailles.fr") and not helene["Code d'activation"]
    assert helene["Identifiant"] == "helene.lefevre-coeur"
    assert ("Léa", "Cœur", "Student") in top
    assert top[("Văn An", "Nguyễn", "Student")]["Parents"] == "Thị Lan Nguyễn"
    # Nobody else carries a persona's display name, except the deliberate "Camille Martin".
    names = collections.Counter(f"{row['Prénom']} {row['Nom']}" for row in rows)
    for prenom, nom, _ in top:
        assert names[f"{prenom} {nom}"] == (2 if nom == "Martin" and prenom == "Camille" else 1), (prenom, nom)


# ---------------------------------------------------------------------------------------------------------------------

def test_small_export_is_valid_and_one_school(tmp_path):
    stats = check_export(generate(tmp_path, 3000), 3000)
    assert stats["schools"] == 1
    assert 0.50 <= stats["activated"] <= 0.60
    assert 1.45 <= stats["parents_per_student"] <= 1.75
    types = stats["types"]
    assert 0.33 <= types["Student"] / 3000 <= 0.41 and 0.54 <= types["Relative"] / 3000 <= 0.62
    assert types["Guest"] >= 1


def test_large_export_spreads_over_schools(tmp_path):
    stats = check_export(generate(tmp_path, 30000), 30000)
    assert 3 <= stats["schools"] <= 6


def test_minimum_size_holds_the_personas(tmp_path):
    check_export(generate(tmp_path, 100), 100)


def test_same_seed_same_bytes_and_other_seed_other_bytes(tmp_path):
    first = generate(tmp_path, 1500, "--seed", "7", name="a.csv").read_bytes()
    again = generate(tmp_path, 1500, "--seed", "7", name="b.csv").read_bytes()
    other = generate(tmp_path, 1500, "--seed", "8", name="c.csv").read_bytes()
    assert first == again and first != other
    personas = lambda data: data.split(b"\n")[:15]  # header and personas are seed-independent
    assert personas(first) == personas(other)


def test_legacy_variant(tmp_path):
    header, rows = read_rows(generate(tmp_path, 500, "--variant", "legacy"))
    assert header == LEGACY_HEADER and len(rows) == 500


def test_publipostage_variant(tmp_path):
    header, rows = read_rows(generate(tmp_path, 500, "--variant", "publipostage"))
    assert header == PUBLIPOSTAGE_HEADER and len(rows) == 500
    assert {row["Profil"] for row in rows} == {"Élève", "Parent", "Enseignant", "Personnel", "Invité"}
    assert all(re.fullmatch(r"\d\d/\d\d/20\d\d", row["Date de création"]) for row in rows)


def test_spreadsheet_resave_cp1252_crlf_comma(tmp_path):
    path = generate(tmp_path, 800, "--encoding", "cp1252", "--crlf", "--separator", ",")
    assert not path.read_bytes().startswith(b"\xef\xbb\xbf")
    header, rows = read_rows(path, encoding="cp1252", separator=",", newline="\r\n")
    assert header == CURRENT_HEADER and len(rows) == 800
    names = {f"{row['Prénom']} {row['Nom']}" for row in rows}
    assert {"Van An Nguyen", "Hélène Lefèvre-Cœur", "Zoé Gérard"} <= names
    assert rows[12]["Parents"] == "Thi Lan Nguyen"


@pytest.mark.parametrize("accounts", ["99", "1000001", "0"])
def test_refuses_sizes_out_of_range(tmp_path, accounts):
    result = subprocess.run([sys.executable, str(SCRIPT), "--accounts", accounts, "-o", str(tmp_path / "x.csv")],
                            capture_output=True, text=True)
    assert result.returncode == 2 and "--accounts must be between" in result.stderr
    assert not (tmp_path / "x.csv").exists()


if __name__ == "__main__":
    print(check_export(Path(sys.argv[1])))
