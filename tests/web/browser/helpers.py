"""Browser test helpers."""

import functools
import json
from pathlib import Path

AXE = Path(__file__).with_name("vendor") / "axe-core" / "axe.min.js"


@functools.cache
def _axe_source() -> str:
    return AXE.read_text()


def axe_violations(page, *, impacts: tuple[str, ...] = ("serious", "critical")) -> list[dict]:
    """axe-core's violations of WCAG 2 A/AA rules on the page, of the given impacts."""
    # Evaluated through the DevTools protocol: an inline <script> tag would be refused by the pages' CSP. Once per
    # document: a page checked again (say at another size) keeps it.
    if not page.evaluate("() => 'axe' in window"):
        page.evaluate(f"() => {{ {_axe_source()}\n; window.axe = window.axe || axe; }}")
    # resultTypes: only the violations' nodes are collected in full, which is what takes axe its time.
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']},"
        " resultTypes: ['violations']})"
    )
    found = [violation for violation in result["violations"] if violation["impact"] in impacts]
    for violation in found:  # readable in a failure message
        violation["nodes"] = [json.dumps(node["target"]) for node in violation["nodes"][:5]]
    return found
