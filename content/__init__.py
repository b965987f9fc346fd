"""User-facing content: gettext catalogs, rendering, next steps and support services."""
