from accueil.models import Motif
from accueil.motif_themes import directory_url, themes_for
from accueil.reference import REASONS, reasons_sync
from partenaires.models import Theme
from partenaires.themes import themes_sync


def test_every_theme_code_of_the_reference_list_exists_in_the_directorys_list():
    themes_sync()
    known = set(Theme.objects.values_list("code", flat=True))
    for _, label, code in REASONS:
        assert not code or code in known, label


def test_the_reference_list_links_its_reasons_to_their_themes():
    reasons_sync()
    logement = Motif.objects.get(label="Logement")
    assert logement.theme.code == "logement-hebergement"
    assert Motif.objects.get(label="Autre").is_other
    assert reasons_sync() == 0  # Idempotent.


def test_a_reason_leads_to_the_directory_filtered_on_its_theme():
    reasons_sync()
    logement = Motif.objects.get(label="Logement")
    codes = [theme.code for theme in themes_for(logement)]
    assert codes[0] == "logement-hebergement" and "logement-hebergement--louer-un-logement" in codes
    assert directory_url(logement) == "/partenaires/?theme=logement-hebergement"
    assert directory_url(Motif.objects.get(label="Autre")) is None
    assert not themes_for(Motif.objects.get(label="Autre")).exists()
