"""Google's Video rules (checks/shapes/google_content.ttl, "Video"): a video that breaks
no rule, then one broken thing at a time, each with exactly the findings it must give
(rule, severity, node, line). Required properties missing are errors."""

import pytest
from google_findings import edited, family_findings

GOOD = """type: WebPage
id: "videos/stretches/#webpage"
url: "https://clinic.example/videos/stretches/"
video:
  type: VideoObject
  id: "videos/stretches/#video"
  name: "Three stretches for a stiff back"
  description: "A chiropractor shows three gentle stretches."
  thumbnailUrl: "https://clinic.example/img/stretches.jpg"
  uploadDate: "2026-03-05T08:00:00+01:00"
  duration: "PT1M54S"
  embedUrl: "https://www.youtube.com/embed/abcdefghijk"
"""
VIDEO = "videos/stretches/#video"


def findings(load, text: str) -> list[tuple]:
    return family_findings(load, {"page.yaml": text}, ("google/video-", "google/date-"))


def test_a_good_video_breaks_no_rule(load):
    assert findings(load, GOOD) == []


CASES = {
    "no name": (
        [('  name: "Three stretches for a stiff back"\n', "")],
        [("google/video-name-missing", "error", 5)],
    ),
    "no thumbnail": (
        [('  thumbnailUrl: "https://clinic.example/img/stretches.jpg"\n', "")],
        [("google/video-thumbnail-missing", "error", 5)],
    ),
    "no uploadDate": (
        [('  uploadDate: "2026-03-05T08:00:00+01:00"\n', "")],
        [("google/video-upload-date-missing", "error", 5)],
    ),
    "an upload time without zone": (
        [("08:00:00+01:00", "08:00:00")],
        [("google/date-time-zone-missing", "warning", 10)],
    ),
    "an upload date alone": ([("T08:00:00+01:00", "")], []),
    "no description": (
        [('  description: "A chiropractor shows three gentle stretches."\n', "")],
        [("google/video-description-missing", "warning", 5)],
    ),
    "no embedUrl nor contentUrl": (
        [('  embedUrl: "https://www.youtube.com/embed/abcdefghijk"\n', "")],
        [("google/video-url-missing", "warning", 5)],
    ),
    "a contentUrl instead": ([("  embedUrl:", "  contentUrl:")], []),
    "no duration": ([('  duration: "PT1M54S"\n', "")], [("google/video-duration-missing", "warning", 5)]),
    "a duration in minutes as text": (
        [('duration: "PT1M54S"', 'duration: "1:54"')],
        [("google/video-duration-invalid", "warning", 11)],
    ),
    "a duration with nothing in it": (
        [('duration: "PT1M54S"', 'duration: "PT"')],
        [("google/video-duration-invalid", "warning", 11)],
    ),
    "a duration ending in T": (
        [('duration: "PT1M54S"', 'duration: "P1DT"')],
        [("google/video-duration-invalid", "warning", 11)],
    ),
    "a duration in days and hours": ([('duration: "PT1M54S"', 'duration: "P1DT2H"')], []),
    "a duration with fractional seconds": ([('duration: "PT1M54S"', 'duration: "PT1M54.5S"')], []),
}


@pytest.mark.parametrize("case", CASES)
def test_each_broken_thing_gives_its_finding(load, case):
    edits, expected = CASES[case]
    assert findings(load, edited(GOOD, edits)) == [
        (rule, severity, VIDEO, line) for rule, severity, line in expected
    ]


def test_a_video_no_page_carries_is_no_candidate(load):
    """A game's trailer in a catalogue (schema.org's examples have several) is no video
    result on a page: its missing required properties give no error."""
    text = edited(
        GOOD, [("type: WebPage", "type: VideoGame"), ('  name: "Three stretches for a stiff back"\n', "")]
    )
    assert [rule for rule, severity, *_ in findings(load, text) if severity == "error"] == []
