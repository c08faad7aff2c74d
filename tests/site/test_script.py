"""Script-safe snippets: whatever text the graph holds, the script element stays whole."""

import json
from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from clinicgraph.exporters.jsonld import dumps
from clinicgraph.site.script import script_tag

HOSTILE = [
    "</script><script>window.pwned=1</script>",
    "<!--",
    "-->",
    "</SCRIPT >",
    "\u2028\u2029",
    "&lt;",
    '"quotes"',
    "emoji \U0001f600",
    "<script>",
]


class ScriptReader(HTMLParser):
    """Collects the text of every script element, as a browser's tokenizer splits it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.scripts, self._inside = [], False

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self._inside = True
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._inside = False

    def handle_data(self, data):
        if self._inside:
            self.scripts[-1] += data


def read_scripts(html: str) -> list:
    reader = ScriptReader()
    reader.feed(html)
    reader.close()
    return reader.scripts


def round_trip(text: str):
    document = {"@context": "https://schema.org", "@graph": [{"@type": "Review", "reviewBody": text}]}
    html = script_tag(dumps(document)).decode("utf-8")
    return document, html


def test_hostile_text_stays_inside_the_script():
    for text in HOSTILE:
        document, html = round_trip(text)
        body = html.split(">", 1)[1].rsplit("</script>", 1)[0]
        assert "</" not in body.lower() and "<!--" not in body and "\u2028" not in body
        (script,) = read_scripts("<head>" + html + "</head>")
        assert json.loads(script) == document


@settings(max_examples=500)
@given(st.text())
def test_any_text_round_trips_through_html(text):
    document, html = round_trip(text)
    scripts = read_scripts("<!doctype html><head>" + html + "</head><body></body>")
    assert len(scripts) == 1
    assert json.loads(scripts[0]) == document
    assert "<" not in scripts[0] and ">" not in scripts[0] and "&" not in scripts[0]
