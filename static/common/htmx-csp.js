// htmx under the portal's Content Security Policy (no inline style or script): htmx must not inject its
// indicator styles (portal.css has them), evaluate script text, or copy a `style` attribute from the old
// content onto the new while settling (a markup style attribute is an inline style). Runs after htmx and
// before htmx reads the page's own <meta name="htmx-config">, which may add settings of its own.
htmx.config.includeIndicatorStyles = false;
htmx.config.allowEval = false;
htmx.config.allowScriptTags = false;
htmx.config.attributesToSettle = ["class", "width", "height"];
