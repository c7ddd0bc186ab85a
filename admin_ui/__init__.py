"""The Lightbox web UI: plain HTML, CSS and JavaScript modules served by api.ui at /ui (no build step).

index.html loads app.js (routes, navigation per role, error display). Shared modules: gql.js (the
GraphQL client and a capability check by introspection), auth.js (token per tab, media cookie),
router.js, dom.js (element helpers, safe <mark> snippets), ops.js (the contract's operations),
curriculum.js, combobox.js, pickers.js, viewer.js (stack viewer), charts.js (SVG). One module per
page: page_login, page_home, page_search, page_case (+ case_images, case_history, quarantine),
page_edit (+ case_fields, merge), page_upload, page_review, page_worklists, page_worklist,
page_assignments, page_reporting (+ report_form), page_progress, page_admin, page_quarantine (+ quarantine).
"""
