"""A Sphinx extension: include each inline script once per page.

sphinx-thebe 0.3.1 adds its configuration as an inline script with no file
name (None). Sphinx 7.4 records it once under None and again under '' when
it prepares the pages, so every page declared `const THEBE_JS_URL` twice and
the browser reported "Identifier 'THEBE_JS_URL' has already been declared".
This drops the second copy of any script whose name and attributes repeat.
"""

__all__ = ["setup"]


def _drop_repeated_scripts(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts:
        return
    seen = set()
    unique = []
    for script in scripts:
        attributes = tuple(sorted(getattr(script, "attributes", {}).items()))
        key = (getattr(script, "filename", script) or "", attributes)
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


def setup(app):
    app.connect("html-page-context", _drop_repeated_scripts)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
