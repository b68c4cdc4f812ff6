"""What the site's header shows a logged-in visitor: only what they may open."""

from django.utils.functional import SimpleLazyObject

from members.permissions import workspace_organisations


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"works_in_workspace": False}
    if getattr(request, "half_logged_in", False):
        # The second step of the login: nothing to open yet but logging out.
        return {"works_in_workspace": False, "half_logged_in": True}
    # Lazy: asked only by pages that show the header's menu, and not at all where the
    # view has found it out already (request.works_in_workspace).
    known = getattr(request, "works_in_workspace", None)
    if known is not None:
        return {"works_in_workspace": known}
    return {"works_in_workspace": SimpleLazyObject(lambda: workspace_organisations(user).exists())}
