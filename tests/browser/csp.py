"""Content-Security-Policy violations seen by Chromium, collected so that a browser test fails on any.

Chromium reports each blocked inline script or style, `eval`, foreign image or font… twice: in the console ("Refused
to … because it violates the following Content Security Policy directive") and as a `securitypolicyviolation` DOM
event. The event is forwarded to the console by an init script (Playwright runs init scripts outside the page's
CSP), so both paths end up in `CSPWatcher.violations`.
"""

LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(
    `[CSP] ${event.effectiveDirective} a bloqué ${event.blockedURI || "du code en ligne"}` +
    ` (${event.sourceFile || document.location.href}:${event.lineNumber})`
  );
});
"""


def is_violation(text: str) -> bool:
    return text.startswith("[CSP]") or "Content Security Policy" in text


class CSPWatcher:
    """Attach to a Playwright page before it loads anything; `violations` lists what the browser refused."""

    def __init__(self, page):
        self.page = page
        self.violations: list[str] = []
        page.add_init_script(LISTENER)
        page.on("console", self._on_console)

    def _on_console(self, message) -> None:
        if is_violation(message.text):
            self.violations.append(f"{self.page.url} : {message.text}")

    def assert_none(self) -> None:
        assert not self.violations, "Violations de la politique de sécurité du contenu (CSP) :\n" + "\n".join(
            self.violations
        )
