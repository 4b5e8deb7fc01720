"""Browser test helpers."""

import json
from pathlib import Path

AXE = Path(__file__).with_name("vendor") / "axe-core" / "axe.min.js"


def axe_violations(page, *, impacts: tuple[str, ...] = ("serious", "critical")) -> list[dict]:
    """axe-core's violations of WCAG 2 A/AA rules on the page, of the given impacts."""
    # Evaluated through the DevTools protocol: an inline <script> tag would be refused by the pages' CSP.
    page.evaluate(f"() => {{ {AXE.read_text()}\n; window.axe = window.axe || axe; }}")
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']}})"
    )
    found = [violation for violation in result["violations"] if violation["impact"] in impacts]
    for violation in found:  # readable in a failure message
        violation["nodes"] = [json.dumps(node["target"]) for node in violation["nodes"][:5]]
    return found
