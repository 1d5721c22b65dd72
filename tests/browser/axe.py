"""Run axe-core (shipped inside axe-playwright-python's wheel, no CDN) on a page and fail on any violation."""

from axe_playwright_python.sync_playwright import Axe

WCAG_21_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

_axe = Axe()


def axe_violations(page) -> list[dict]:
    results = _axe.run(
        page, options={"runOnly": {"type": "tag", "values": WCAG_21_A_AA}, "resultTypes": ["violations"]}
    )
    return results.response["violations"]


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} [{violation['helpUrl']}]")
        for node in violation["nodes"][:5]:
            lines.append(f"    {', '.join(node['target'])}: {node.get('failureSummary', '').splitlines()[-1:]}")
    return "\n".join(lines)


def assert_no_axe_violations(page) -> None:
    """Fail listing each WCAG 2.1 A/AA violation axe finds on the page as it is now."""
    violations = axe_violations(page)
    assert not violations, f"Violations d’accessibilité sur {page.url} :\n{format_violations(violations)}"
