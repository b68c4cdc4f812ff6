from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from minutes_site.outbox import sending
from minutes_site.outbox.models import Mail


@admin.register(Mail)
class MailAdmin(admin.ModelAdmin):
    """The outbox as the operators see it: read only (a mail is what was sent), with
    "try again" for those that failed."""

    list_display = ("created", "kind", "to", "subject", "status", "attempts", "sent_at", "answer")
    list_filter = ("status", "kind")
    search_fields = ("subject", "to")
    date_hierarchy = "created"
    actions = ["try_again"]
    exclude = ("body",)  # a secret link is not for the operators' eyes either

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Try again"))
    def try_again(self, request, queryset):
        again = sum(sending.retry(m) for m in queryset)
        self.message_user(
            request,
            ngettext("%(count)d mail is sent again.", "%(count)d mails are sent again.", again)
            % {"count": again},
            messages.SUCCESS,
        )
