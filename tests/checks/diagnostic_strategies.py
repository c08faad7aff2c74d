"""Hypothesis strategies for findings: any text where text may go, file names of every
shape a report must survive (empty, spaces, non-ASCII, backslashes, a drive, a %)."""

from hypothesis import strategies as st

from clinicgraph.checks.diagnostic import SEVERITIES, Diagnostic

texts = st.text(max_size=30)
diagnostics = st.lists(
    st.builds(
        Diagnostic,
        file=st.none()
        | st.sampled_from(
            [
                "",
                "content/clinic.yaml",
                "content/a b/ü.yaml",
                "./x.ttl",
                "dir\\win.yaml",
                "/abs/page.yaml",
                "C:x.yaml",
                "100%.yaml",
            ]
        )
        | texts,
        line=st.none() | st.integers(min_value=-2, max_value=10**6),
        rule=st.from_regex(r"[a-z]{1,8}/[a-z-]{1,20}", fullmatch=True) | st.text(min_size=1, max_size=20),
        severity=st.sampled_from(SEVERITIES),
        message=texts,
        hint=st.none() | texts,
        node=st.none() | texts,
        property=st.none() | texts,
        value=st.none() | texts,
    ),
    max_size=12,
)
