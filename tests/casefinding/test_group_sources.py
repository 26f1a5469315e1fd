"""The gap groups cite the same sources as the rules: a second copy of a citation drifted (a wrong DOI for Bennett et
al. 2024, found by a conformance check)."""

from core.casefinding.groups import GROUPS
from core.rules.sources import SOURCES


def test_every_group_source_on_a_rules_source_site_is_a_rules_source():
    known = {s.url for s in SOURCES.values()}
    cited = [(g.id, s.url) for g in GROUPS for s in g.sources if "biomedcentral.com" in s.url]
    assert cited
    for group_id, url in cited:
        assert url in known, (group_id, url)
