"""collectstatic with the production settings: hashed names and pre-compressed copies.

WhiteNoise serves them with far-future cache headers and gzip, so a deployment needs no
separate web server for static files.
"""

import gzip
import json
import re

from tests.processes import PROJECT_DIR

SOURCE_CSS = PROJECT_DIR / "static" / "css" / "site.css"


def test_collectstatic_writes_a_manifest_of_hashed_names(collected_static):
    manifest = json.loads((collected_static / "staticfiles.json").read_text())

    hashed = manifest["paths"]["css/site.css"]
    assert re.fullmatch(r"css/site\.[0-9a-f]{12}\.css", hashed)
    assert (collected_static / hashed).read_bytes() == SOURCE_CSS.read_bytes()


def test_collectstatic_writes_a_gzipped_copy_of_each_text_file(collected_static):
    manifest = json.loads((collected_static / "staticfiles.json").read_text())
    hashed = manifest["paths"]["css/site.css"]

    compressed = (collected_static / f"{hashed}.gz").read_bytes()

    assert gzip.decompress(compressed) == SOURCE_CSS.read_bytes()
