"""Valid schema.org the rules once called wrong: each case is markup that
schema.org's documentation blesses, and gives no error -- only the schema.org
warnings listed, if any. Beside them, the mistakes the same rules must still see."""

import gc
import json
from pathlib import Path

import pytest

from clinicgraph import pipeline

SITE = "https://c.example/"
C = "https://schema.org"


def findings(tmp_path: Path, document, schemaorg: Path | None, name: str = "x.jsonld") -> list:
    """Every finding of a validation of one source, as (rule, severity, message)."""
    (tmp_path / "clinicgraph.toml").write_text(f'[site]\nurl = "{SITE}"\n')
    (tmp_path / name).write_text(document if isinstance(document, str) else json.dumps(document))
    project = pipeline.open_project(tmp_path, schemaorg=schemaorg)
    return [(d.rule, d.severity, d.message) for d in pipeline.validate(project, jobs=1)]


def schema_findings(found) -> list[tuple[str, str]]:
    """The errors and warnings, but those about properties left out (Google's and the
    health rules' recommendations: ``...-missing``)."""
    return sorted(
        (rule, severity)
        for rule, severity, _ in found
        if severity == "error" or (severity == "warning" and not rule.endswith("-missing"))
    )


# case: (document, the warnings it gives)
VALID = {
    # https://schema.org/Role: "a Role ... carries the same property again for the object".
    "member via OrganizationRole": (
        {
            "@context": C,
            "@type": "SportsTeam",
            "name": "San Francisco 49ers",
            "member": {
                "@type": "OrganizationRole",
                "startDate": "1979-01-01",
                "roleName": "Quarterback",
                "member": {"@type": "Person", "name": "Joe Montana"},
            },
        },
        [],
    ),
    "alumniOf via OrganizationRole": (
        {
            "@context": C,
            "@type": "Person",
            "name": "Delia Derbyshire",
            "alumniOf": {
                "@type": "OrganizationRole",
                "startDate": "1959-01-01",
                "alumniOf": {"@type": "CollegeOrUniversity", "name": "University of Cambridge"},
            },
        },
        [],
    ),
    "actor via PerformanceRole": (
        {
            "@context": C,
            "@type": "Movie",
            "name": "Rear Window",
            "actor": {
                "@type": "PerformanceRole",
                "characterName": "L. B. Jefferies",
                "actor": {"@type": "Person", "name": "James Stewart"},
            },
        },
        [],
    ),
    "creator via Role": (
        {
            "@context": C,
            "@type": "Dataset",
            "name": "d",
            "creator": [
                {
                    "@id": "https://c.example/role/1",
                    "@type": "Role",
                    "roleName": "PI",
                    "creator": {"@id": "https://c.example/p/1", "@type": "Person", "name": "U"},
                }
            ],
        },
        [],
    ),
    "target via LinkRole": (
        {
            "@context": C,
            "@type": "Restaurant",
            "name": "r",
            "potentialAction": {
                "@type": "ReserveAction",
                "target": [
                    "http://www.example.com/Reserve",
                    {
                        "@type": "LinkRole",
                        "target": "http://www.example.com/Reserve-JP",
                        "inLanguage": "ja",
                        "linkRelationship": "alternate",
                    },
                ],
            },
        },
        [],
    ),
    # https://schema.org/additionalType is "rdfs:subPropertyOf rdf:type": its schema.org
    # class counts as a type, written as text (as JSON-LD gives it) or as an IRI.
    "a property of the additionalType": (
        {
            "@context": C,
            "@type": "Place",
            "name": "Louvre",
            "additionalType": "https://schema.org/Museum",
            "openingHours": "Mo,We-Su 09:00-18:00",
        },
        [],
    ),
    "a property of the additionalType, as an IRI": (
        '@prefix schema: <http://schema.org/> .\n<https://c.example/#l> a schema:Place ; schema:name "L" ;\n'
        '  schema:additionalType <https://schema.org/Museum> ; schema:openingHours "Mo 09:00-18:00" .\n',
        [],
    ),
    "a value of the additionalType's class": (
        {
            "@context": C,
            "@type": "Physician",
            "name": "Dr A",
            "hospitalAffiliation": {
                "@type": "Place",
                "name": "General",
                "additionalType": "http://schema.org/Hospital",
            },
        },
        [],
    ),
    "an additionalType of another vocabulary": (
        {
            "@context": C,
            "@type": "Product",
            "name": "Bike",
            "additionalType": "http://www.productontology.org/id/Racing_bicycle",
        },
        [],
    ),
    # Enumeration members (https://schema.org/Enumeration) as IRIs, or as their URLs written
    # as text, as JSON-LD gives them where the context does not make the property an IRI.
    "a Boolean member as an IRI": (
        {
            "@context": C,
            "@type": "WebPage",
            "url": "https://c.example/p",
            "isAccessibleForFree": {"@id": "https://schema.org/False"},
        },
        [],
    ),
    "a Boolean member as text": (
        {
            "@context": C,
            "@type": "WebPage",
            "url": "https://c.example/p",
            "isAccessibleForFree": "https://schema.org/False",
        },
        [],
    ),
    "a Boolean member as http text": (
        {
            "@context": C,
            "@type": "WebPage",
            "url": "https://c.example/p",
            "isAccessibleForFree": "http://schema.org/True",
        },
        [],
    ),
    "days as text and as IRIs": (
        {
            "@context": C,
            "@type": "OpeningHoursSpecification",
            "opens": "09:00",
            "closes": "17:00",
            "dayOfWeek": [
                "https://schema.org/Monday",
                "http://schema.org/Tuesday",
                {"@id": "https://schema.org/Wednesday"},
                {"@id": "http://schema.org/PublicHolidays"},
            ],
        },
        [],
    ),
    "a member as text": (
        {
            "@context": C,
            "@type": "Certification",
            "name": "EPREL",
            "certificationStatus": "https://schema.org/CertificationActive",
        },
        [],
    ),
    # Text where a Thing or a URL is expected: schema.org's leniency, a warning. (Under
    # schema.org's context gameLocation's text is an IRI; @vocab keeps it text.)
    "text where a Place or a URL is expected": (
        {
            "@context": {"@vocab": "http://schema.org/"},
            "@type": "VideoGame",
            "name": "Fallout 3",
            "gameLocation": ["Big Town", "https://fallout.example/megaton"],
        },
        [("schema/text-for-thing", "warning")],
    ),
    # https://schema.org/docs/actions.html: "<property>-input" / "-output" annotate an
    # Action template's properties, as text or a PropertyValueSpecification.
    "an Action template's annotations": (
        {
            "@context": C,
            "@type": "WebSite",
            "url": "https://c.example/",
            "potentialAction": {
                "@type": "SearchAction",
                "query-input": "required name=q",
                "target": {"@type": "EntryPoint", "urlTemplate": "https://c.example/search?q={q}"},
                "result-output": {"@type": "PropertyValueSpecification", "valueName": "result"},
            },
        },
        [],
    ),
}

# case: (document, the findings it must give)
STILL_WRONG = {
    "an annotation of no property": (
        {"@context": C, "@type": "SearchAction", "querry-input": "required name=q"},
        [("schema/unknown-property", "error")],
    ),
    "an annotation that is neither text nor a specification": (
        {"@context": C, "@type": "SearchAction", "query-input": {"@type": "Person", "name": "q"}},
        [("schema/range", "error")],
    ),
    "a member of another enumeration as text": (
        {
            "@context": C,
            "@type": "WebPage",
            "url": "https://c.example/p",
            "isAccessibleForFree": "https://schema.org/Monday",
        },
        [("schema/range", "error")],
    ),
    "a day schema.org does not have, as text": (
        {
            "@context": C,
            "@type": "OpeningHoursSpecification",
            "opens": "09:00",
            "closes": "17:00",
            "dayOfWeek": "https://schema.org/Caturday",
        },
        [("google/opening-hours-day-invalid", "warning"), ("schema/text-for-thing", "warning")],
    ),
    "text that is no date": (
        {"@context": C, "@type": "Person", "name": "p", "birthDate": "1892/01/03"},
        [("schema/range", "error")],
    ),
    "a property of neither the type nor the additionalType": (
        {
            "@context": C,
            "@type": "Place",
            "name": "L",
            "additionalType": "https://schema.org/Museum",
            "jobTitle": "curator",
        },
        [("schema/property-domain", "error")],
    ),
    "an additionalType schema.org does not have": (
        {"@context": C, "@type": "Place", "name": "L", "additionalType": "https://schema.org/Musuem"},
        [("schema/unknown-type", "error")],
    ),
    # A Role as the value of a property it does not carry, carrying one that does not link to it.
    "a Role under another property": (
        {
            "@context": C,
            "@type": "Organization",
            "name": "o",
            "employee": {"@type": "OrganizationRole", "member": {"@type": "Person", "name": "p"}},
        },
        [("schema/property-domain", "error"), ("schema/range", "error")],
    ),
    # The Role's other end is judged as usual: a member is an Organization or a Person.
    "a Role whose object is of the wrong type": (
        {
            "@context": C,
            "@type": "Organization",
            "name": "o",
            "member": {"@type": "OrganizationRole", "member": {"@type": "Place", "name": "p"}},
        },
        [("schema/range", "error")],
    ),
}


@pytest.mark.parametrize("case", list(VALID))
@pytest.mark.parametrize("full", [True, False], ids=["full vocabulary", "built-in subset"])
def test_valid_markup_gives_no_error(case, full, tmp_path, schemaorg_dir):
    document, warnings = VALID[case]
    found = findings(
        tmp_path,
        document,
        schemaorg_dir if full else None,
        "x.jsonld" if isinstance(document, dict) else "x.ttl",
    )
    assert [f for f in schema_findings(found) if f[1] == "error"] == [], found
    if full:  # the built-in subset knows fewer ranges, so warns less
        assert schema_findings(found) == sorted(warnings), found


@pytest.mark.parametrize("case", list(STILL_WRONG))
def test_mistakes_are_still_found(case, tmp_path, schemaorg_dir):
    document, expected = STILL_WRONG[case]
    found = findings(tmp_path, document, schemaorg_dir)
    assert schema_findings(found) == sorted(expected), found


TTL = "@prefix schema: <http://schema.org/> .\n@base <https://c.example/> .\n"
FILES = {  # each end of a Role, and a node and its type, in files of their own
    "band.ttl": TTL + '<#band> a schema:MusicGroup ; schema:name "b" ; schema:member <#role> .\n',
    "role.ttl": TTL
    + '<#role> a schema:OrganizationRole ; schema:startDate "1977" ; schema:member <#person> .\n'
    '<#person> a schema:Person ; schema:name "p" .\n',
    "doctor.ttl": TTL
    + '<#doctor> a schema:Physician ; schema:name "d" ; schema:hospitalAffiliation <#general> .\n',
    "hospital.ttl": TTL
    + '<#general> a schema:Place ; schema:name "g" ; schema:additionalType schema:Hospital .\n',
}
EDITS = {  # (file, old, new, the rule a full validation finds then)
    "the link to a Role removed": (
        "band.ttl",
        "schema:member <#role>",
        "schema:knowsAbout <#role>",
        "schema/property-domain",
    ),
    "the Role's own member removed": (
        "role.ttl",
        "schema:member <#person>",
        'schema:roleName "drums"',
        "schema/range",
    ),
    "an additionalType removed": (
        "hospital.ttl",
        "schema:additionalType schema:Hospital",
        'schema:alternateName "h"',
        "schema/range",
    ),
}


@pytest.mark.parametrize("edit", list(EDITS))
def test_a_remembered_validation_judges_again_what_an_edit_elsewhere_decides(edit, tmp_path, schemaorg_dir):
    """A triple's judgement may hang on a triple in another file (the Role's other end, a
    value's additionalType): after an edit there, the store's remembered findings are a
    full validation's."""
    site, store = tmp_path / "site", tmp_path / "store"
    site.mkdir()
    (site / "clinicgraph.toml").write_text(f'[site]\nurl = "{SITE}"\n')
    for name, text in FILES.items():
        (site / name).write_text(text)

    def validate(**options):
        project = pipeline.open_project(site, schemaorg=schemaorg_dir, **options)
        try:
            return pipeline.validate(project, remember="store" in options, jobs=1)
        finally:
            del project
            gc.collect()  # the on-disk store closes

    assert validate(store=store, changes_only=True) == validate()
    assert not schema_findings([(d.rule, d.severity, d.message) for d in validate()])
    relpath, old, new, rule = EDITS[edit]
    (site / relpath).write_text((site / relpath).read_text().replace(old, new))
    remembered, full = validate(store=store, changes_only=True), validate()
    assert rule in {d.rule for d in full}
    assert remembered == full
