"""The reference list of communes: loaded in full, idempotent, and refused whole when a row is faulty."""

import pytest
from django.core.management import CommandError, call_command

from maisons.models import Commune
from maisons.services import COMMUNES_CSV, communes_load

HEADER = "code_insee,nom,departement,region,codes_postaux,population,epci_siren,epci_nom\n"


def test_the_shipped_file_loads_haute_marne_and_is_idempotent():
    report = communes_load(departements=["52"])
    assert report.errors == []
    assert report.created == 426
    langres = Commune.objects.get(code_insee="52269")
    assert (langres.name, langres.postal_codes, langres.epci_name) == ("Langres", ["52200"], "CC du Grand Langres")
    again = communes_load(departements=["52"])
    assert (again.created, again.updated) == (0, 426)
    assert Commune.objects.count() == 426


def test_the_shipped_file_covers_all_of_france():
    with COMMUNES_CSV.open(encoding="utf-8") as handle:
        assert sum(1 for _ in handle) - 1 == 34969


def test_every_faulty_row_is_reported_and_nothing_is_loaded(tmp_path):
    path = tmp_path / "communes.csv"
    path.write_text(
        HEADER
        + "52269,Langres,52,44,52200,7421,200072999,CC du Grand Langres\n"
        + "5226,Trop court,52,44,52200,10,,\n"
        + "52448,,52,44,52100,22858,,\n"
        + "52121,Chaumont,52,44,5200,20827,,\n"
        + "52001,Ageville,52,44,52340,beaucoup,,\n",
        encoding="utf-8",
    )
    report = communes_load(path=path)
    assert report.errors == [
        "Ligne 3, colonne code_insee : Le code INSEE compte cinq caractères (ex. 52269).",
        "Ligne 4, colonne nom : Ce champ ne peut pas être vide.",
        "Ligne 5, colonne codes_postaux : « 5200 » : cinq chiffres par code postal",
        "Ligne 6, colonne population : « beaucoup » n’est pas un nombre entier",
    ]
    assert not Commune.objects.exists()


def test_wrong_encoding_and_missing_columns_are_refused(tmp_path):
    latin = tmp_path / "latin1.csv"
    latin.write_bytes(
        (HEADER + "52332,Montier-en-Der,52,44,52220,2000,,\n52033,Bourbonne-les-Bains (é),52,44,52400,,,\n").encode(
            "latin-1"
        )
    )
    assert communes_load(path=latin).errors == ["Le fichier n’est pas encodé en UTF-8."]
    partial = tmp_path / "partial.csv"
    partial.write_text("code_insee,nom\n52269,Langres\n", encoding="utf-8")
    assert communes_load(path=partial).errors[0].startswith("Colonnes manquantes : codes_postaux, departement")
    assert not Commune.objects.exists()


def test_command_fails_clearly_on_errors(tmp_path):
    path = tmp_path / "vide.csv"
    path.write_text("", encoding="utf-8")
    with pytest.raises(CommandError, match="aucune commune n’a été chargée"):
        call_command("load_communes", "--file", str(path))
    with pytest.raises(CommandError, match="Fichier introuvable"):
        call_command("load_communes", "--file", str(tmp_path / "absent.csv"))
