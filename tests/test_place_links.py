"""A place's card links what counsellors open next: its website (title), its map position, its accessibility page."""

from __future__ import annotations

from bot.directory.schema import Place
from bot.handlers.annuaire import place_links


def test_website_map_and_accessibility_links() -> None:
    place = Place(local_id="1", nom="France services Marseille 2ème", commune="Marseille", code_postal="13002",
                  adresse="11 rue Caisserie", site_web=["www.sans-schema.fr", "https://fs-marseille.fr"],
                  latitude=43.29785, longitude=5.36713,
                  fiche_acces_libre="https://acceslibre.beta.gouv.fr/app/13-marseille/a/x/erp/fs/")
    site, links = place_links(place)
    assert site == "https://fs-marseille.fr"  # a link Mattermost can open: with its scheme
    assert [f.title for f in links] == ["Plan", "Accessibilité"]
    assert "openstreetmap.org/?mlat=43.29785&mlon=5.36713#map=18/43.29785/5.36713" in links[0].value
    assert links[1].value == "[Fiche Acceslibre](https://acceslibre.beta.gouv.fr/app/13-marseille/a/x/erp/fs/)"


def test_a_place_without_them_has_no_links() -> None:
    bare = Place(local_id="2", nom="Sans rien", commune="Vif", code_postal="38450", adresse="1 place")
    assert place_links(bare) == (None, [])
