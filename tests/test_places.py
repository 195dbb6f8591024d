"""Places: the offline gazetteer, resolution in context, the seed's places, export and eval."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from dateline.geo.gazetteer import Gazetteer, distance_km
from dateline.geo.names import loose_keys, plain_key
from dateline.geo.resolve import PlaceResolver, Toponym
from dateline.geo.toponyms import ToponymForms
from dateline.resources import load_language

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
GEOPARSING = SHARED_DATA / "geoparsing_en" / "docs.jsonl"


@pytest.fixture(scope="module")
def resolver():
    return PlaceResolver(Gazetteer())


def resolve_one(resolver, names, language="en", which=0, entity_type=None):
    toponyms = [Toponym(name, entity_type) for name in names]
    return resolver.resolve(toponyms, language)[which].place


# Name keys and toponym forms (no index needed).


def test_keys_ignore_case_accents_and_hyphens():
    assert plain_key("Komsomolsk-sur-l’Amour") == plain_key("komsomolsk sur l'amour")
    assert plain_key("Île-de-France") == "ile de france"


def test_loose_keys_fold_transliterations_and_abbreviations():
    loose = loose_keys()
    assert loose("artyom") == loose("artiom") == loose("artjom")
    assert loose("primorye") == loose("primorie")
    assert loose("st petersburg") == loose("saint petersburg")


def test_french_forms_reduce_to_the_core_name_with_its_kind():
    forms = ToponymForms(load_language("fr"))
    assert ("russky", "island") in {(f.name, f.kind) for f in forms("l'île Russky")}
    assert ("komsomolsk sur amour", "city") in {
        (f.name, f.kind) for f in forms("la ville de Komsomolsk-sur-Amour")
    }
    assert forms("les nord-coréens")[0].country == "KP"


def test_english_forms_expand_short_forms_and_demonyms():
    forms = ToponymForms(load_language("en"))
    assert forms("W.Va.")[0].name == "west virginia"
    assert forms("the U.S.")[0].name == "united states"
    assert forms("Russians")[0].country == "RU"
    assert ("russky", "island") in {(f.name, f.kind) for f in forms("Russky Island")}


# Resolution against the real index (built by `make setup`, or on first use).


@pytest.mark.slow
def test_a_country_resolves_to_the_country_not_a_town_of_that_name(resolver):
    place = resolve_one(resolver, ["Vietnam"], "fr")
    assert (place.kind, place.country, place.geonames_id) == ("country", "VN", 1562822)


@pytest.mark.slow
def test_the_capital_wins_over_the_region_named_after_it(resolver):
    place = resolve_one(resolver, ["Pyongyang"])
    assert (place.kind, place.country) == ("city", "KP")


@pytest.mark.slow
def test_context_chooses_among_namesakes(resolver):
    alone = resolve_one(resolver, ["Alexandria"])
    assert alone.country == "EG"
    local = resolve_one(resolver, ["Alexandria", "Rapides Parish"])
    assert (local.country, local.admin1) == ("US", "Louisiana")
    georgia_us = resolve_one(resolver, ["Georgia", "Atlanta", "Savannah"])
    assert (georgia_us.kind, georgia_us.country) == ("region", "US")
    georgia = resolve_one(resolver, ["Georgia", "Tbilisi", "Abkhazia"])
    assert (georgia.kind, georgia.country) == ("country", "GE")


@pytest.mark.slow
def test_french_exonyms_and_transliterations(resolver):
    london = resolve_one(resolver, ["Londres"], "fr")
    assert (london.country, london.geonames_id) == ("GB", 2643743)
    artyom = resolve_one(resolver, ["Artiom", "Vladivostok"], "fr")
    assert artyom.geonames_id == 2027456


@pytest.mark.slow
def test_a_facility_resolves_only_to_a_facility(resolver):
    cosmodrome = resolve_one(resolver, ["cosmodrome Vostochny"], "fr", entity_type="FACILITY")
    assert cosmodrome.kind == "facility" and cosmodrome.country == "RU"
    station = resolve_one(resolver, ["gare d'Artyom"], "fr", entity_type="FACILITY")
    assert station is None


@pytest.mark.slow
def test_an_unknown_place_stays_unresolved(resolver):
    (resolution,) = resolver.resolve([Toponym("Zqxwvtown")], "en")
    assert resolution.place is None and resolution.candidates == 0


# The seed article, end to end.

# Truth: coordinates of each place (city centres; the regions' and island's own entries).
SEED_PLACES = {
    "Pyongyang": ("city", "KP", 39.03, 125.75),
    "Vladivostok": ("city", "RU", 43.12, 131.89),
    "Artyom": ("city", "RU", 43.36, 132.19),
    "Komsomolsk-sur-Amour": ("city", "RU", 50.55, 137.01),
    "Londres": ("city", "GB", 51.51, -0.13),
    "Moscou": ("city", "RU", 55.76, 37.62),
    "Primorye": ("region", "RU", None, None),
    "île Russky": ("island", "RU", 43.02, 131.85),
    "Extrême-Orient russe": ("region", "RU", None, None),
    "Vietnam": ("country", "VN", None, None),
    "Russie": ("country", "RU", None, None),
    "Corée du Nord": ("country", "KP", None, None),
    "États-Unis": ("country", "US", None, None),
    "Ukraine": ("country", "UA", None, None),
}


@pytest.fixture(scope="module")
def seed_places(pipeline, seed_path):
    from dateline.read import ReadOptions, read_paths

    (document,) = read_paths([seed_path], pipeline.settings, ReadOptions())
    (record,) = pipeline.analyse([document])
    entities = {entity.id: entity for entity in record.entities}
    return record, {entities[place.entity].name: place for place in record.places}


@pytest.mark.slow
@pytest.mark.parametrize("name", SEED_PLACES)
def test_every_seed_place_is_resolved_within_30_km_with_its_country(seed_places, name):
    _, places = seed_places
    kind, country, lat, lon = SEED_PLACES[name]
    place = places[name]
    assert place.resolved and (place.kind, place.country) == (kind, country)
    if lat is not None:
        assert distance_km(lat, lon, place.lat, place.lon) < 30


@pytest.mark.slow
def test_moscow_standing_for_the_government_is_still_a_mention_of_moscow(seed_places):
    record, places = seed_places
    moscow = places["Moscou"]
    entity = next(e for e in record.entities if e.id == moscow.entity)
    said = [m for m in entity.mentions if "Moscou" in record.text[m.start - 40 : m.end + 40]]
    assert len(said) >= 2 and moscow.geonames_id == 524901


@pytest.mark.slow
def test_an_unresolved_place_says_so(seed_places):
    record, _ = seed_places
    unresolved = [place for place in record.places if not place.resolved]
    assert all(p.lat is None and p.kind is None and p.geonames_id is None for p in unresolved)
    names = {p.name for p in unresolved}
    assert "Université fédérale d’Extrême-Orient" in names  # a university: not in the gazetteer


# Export and evaluation.


@pytest.mark.slow
def test_geojson_export_lists_each_place_once_with_its_documents(tmp_path, examples_dir):
    from typer.testing import CliRunner

    from dateline.cli import app

    db = tmp_path / "places.duckdb"
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(examples_dir), "--db", str(db)]).exit_code == 0
    out = tmp_path / "places.geojson"
    result = runner.invoke(app, ["export", "--db", str(db), "--format", "geojson", "-o", str(out)])
    assert result.exit_code == 0, result.output
    collection = json.loads(out.read_text())
    assert collection["type"] == "FeatureCollection"
    places = [f for f in collection["features"] if f["properties"]["feature"] == "place"]
    by_name = {f["properties"]["name"]: f for f in places}
    ids = [f["properties"]["geonames_id"] for f in places]
    assert len(ids) == len(set(ids))  # one feature per place of the world
    lisbon = by_name["Lisbon"]
    lon, lat = lisbon["geometry"]["coordinates"]
    assert distance_km(38.72, -9.14, lat, lon) < 30
    assert lisbon["properties"]["documents"] and "Lisbonne" in lisbon["properties"]["names"]


@pytest.mark.slow
def test_given_gold_toponyms_accuracy_stays_above_its_floor(resolver):
    if not GEOPARSING.exists():
        pytest.skip("../shared/data is not beside the checkout")
    from dateline.evaluation.places import evaluate_given_toponyms

    report = evaluate_given_toponyms(GEOPARSING, resolver)
    lgl, geovirus = report.by_dataset["LGL"], report.by_dataset["GeoVirus"]
    assert lgl.total == 4462 and geovirus.total == 2167
    # Floors a little under the README's figures, to catch regressions.
    assert lgl.exact_rate >= 0.78 and lgl.near_rate >= 0.82
    assert geovirus.near_rate >= 0.72
    assert math.isfinite(lgl.median_km) and lgl.median_km < 5
