"""Every cue pattern keeps the literal fast path (issue 15, warm5): a reading branch that adds an alternative the
rewrite cannot follow (an inline flag, a back-reference, an alternative that may match empty, one group too many)
makes `literals.split_alternatives` give None and the rule silently falls back to a plain scan of every block, which
costs the draft milliseconds no test notices. This test names such a rule unless it is on the allow-list below, each
entry with the reason it is acceptable. Fix the pattern (see literals.split_alternatives' docstring for what it
follows) or, if the plain scan is truly fine, add the rule to the list with a comment."""

from __future__ import annotations

import re

from openimr.extract import cues as C
from openimr.extract import literals as L

# name -> why the plain scan is acceptable for it (a short pattern behind a literal prefilter costs ~nothing)
ALLOWED = {
    # one short pattern with no top-level alternation ("nothing to gain"); its prefilter ("goal") skips most blocks
    "CUE:functional_goal",
    # scanned on the block as written with IGNORECASE (which the split refuses); its folded prefilter literals
    # ("mbb", " block", ...) skip the blocks that name no block, which is nearly all of them
    "BLOCK",
}


def _scanned() -> dict[str, object]:
    """Every pattern the cue stage scans a block with (cues.mark_cue_spans), by a readable name."""
    out: dict[str, object] = {f"CUE:{name}": rules[0] for name, rules in C._RULES}
    out["BLOCK"] = C._BLOCK
    for k, (name, _present, rx, _negatable) in enumerate(C._FINDING_CUES):
        if isinstance(rx, re.Pattern):  # the lower-cased form is what ASCII blocks are scanned with
            out[f"FC:{k}:{name}"] = C._FC_LOWERED[k] if C._FC_LOWERED[k] is not None else rx
        else:  # a cue object (activity gain, index fall) scans its own lower-cased patterns
            for j, low in enumerate(getattr(rx, "_LOWERED", ())):
                out[f"FC:{k}:{name}:{j}"] = low
    return out


def test_every_cue_pattern_keeps_the_split_scan():
    scanned = _scanned()
    assert len(scanned) > 50  # the rules are all seen (53 cue rules, the block cue, the finding cues)
    lost = sorted(name for name, rx in scanned.items()
                  if name not in ALLOWED and (rx is None or L.split_alternatives(rx) is None))
    assert not lost, f"cue patterns without the literal fast path (split_alternatives is None): {lost}"


def test_the_allow_list_is_current():
    """An allowed rule still exists, still needs its place on the list, and still has a literal prefilter."""
    scanned = _scanned()
    for name in ALLOWED:
        assert name in scanned, f"{name}: on the allow-list but no longer a cue pattern"
        assert L.split_alternatives(scanned[name]) is None, f"{name}: takes the split scan now; drop it from the list"
    assert C._PREFILTERS["functional_goal"].literals
    assert C._BLOCK_PREFILTER.literals


def test_the_check_can_fail():
    """What a reading branch might write: an inline flag or an alternative that may match empty loses the split."""
    assert L.split_alternatives(re.compile(r"\bneck pain\b|\bback pain\b")) is not None
    assert L.split_alternatives(re.compile(r"(?i)\bneck pain\b|\bback pain\b")) is None
    assert L.split_alternatives(re.compile(r"\bneck pain\b|\bback pain\b|(?:x)?")) is None
