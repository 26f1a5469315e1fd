from django import template
from django.urls import reverse

from ..guidance import page_for_prompt

register = template.Library()


@register.filter
def guidance_for(prompt_id: str) -> dict | None:
    """{"url", "title"} of the guidance page a prompt links to, or None (templates/assessments/_prompt.html)."""
    page = page_for_prompt(prompt_id)
    if page is None:
        return None
    return {"url": reverse(f"resources:guidance-{page.slug}"), "title": page.title}
