"""LTI 1.3: Lightbox as a tool launched from a school's VLE (OIDC login, launch, deep linking, grades)."""
