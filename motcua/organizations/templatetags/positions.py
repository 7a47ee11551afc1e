"""Template filters for the organisation vocabulary (kept here: the core tags may not import organizations)."""

from django import template

from motcua.organizations.models import position_label

register = template.Library()


@register.filter
def chuc_vu(code: str | None) -> str:
    """Show a position code (cong_chuc_mot_cua) by its name (Công chức một cửa)."""
    return position_label(code or "")
