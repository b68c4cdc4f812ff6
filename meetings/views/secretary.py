"""The secretary's workspace: plan the meeting, send the kallelse, draft the protocol.

Every view finds its meeting through `meeting_for_secretary`, so a meeting of an
organisation the user does not work for is a 404 everywhere. GET never changes
anything; a POST that succeeds redirects.
"""

import datetime
import json
import mimetypes
import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, DateField, Exists, OuterRef, Prefetch, Subquery, Value
from django.forms.models import ModelChoiceIteratorValue
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from meetings import states
from meetings.actions import (
    background,
    followup,
    justering,
    kallelse,
    matters,
    publication,
    rattelse,
    services,
)
from meetings.documents import archival, public_version, utdrag
from meetings.documents.document import document
from meetings.documents.history import paragraph_history
from meetings.documents.pdf import protocol_draft_pdf
from meetings.forms import (
    AttendanceForm,
    BilagaEditForm,
    BilagaForm,
    DecisionFormSet,
    ItemForm,
    JusteringForm,
    MeetingForm,
    ParagraphForm,
    ParticipantForm,
    posted_id,
    posted_text,
)
from meetings.models import (
    Approval,
    ArchivedProtocol,
    Attendance,
    Bilaga,
    Comment,
    CoSecretary,
    Decision,
    FollowUp,
    Jav,
    Meeting,
    NotNow,
    Paragraph,
    ProtocolFrozen,
    PublicProtocol,
    QueuedWork,
    Reservation,
    Uppdrag,
    unchangeable_reason,
)
from meetings.rules import anslag, attendance_rules, frozen, numbering
from meetings.rules.masking import as_words
from meetings.rules.permissions import meeting_for_secretary, paragraph_of, workspace_meetings
from meetings.rules.queries import kallelse_recipients
from members.accounts import invite
from members.models import Body, Person, account_names
from members.permissions import (
    administered_organisations,
    workspace_bodies,
    workspace_organisations,
)
from members.two_factor import private, unsent_post
from minutes_site.outbox import sending


def _meeting(request: HttpRequest, pk: int) -> Meeting:
    """The meeting, if the visitor works for its organisation (else 403 or 404)."""
    meeting = meeting_for_secretary(request.user, pk)
    request.works_in_workspace = True  # the menu need not ask again (members.context)
    return meeting


def _require_workspace(request: HttpRequest) -> None:
    if not workspace_organisations(request.user).exists():
        raise PermissionDenied(_("You are not a secretary of any organisation."))
    request.works_in_workspace = True  # the menu need not ask again (members.context)


def _stored_file(field, *, filename: str = "", as_attachment: bool = False) -> FileResponse:
    """A file from storage, as stored (never re-rendered)."""
    name = filename or field.name.rsplit("/", 1)[-1]
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return FileResponse(
        field.open("rb"), as_attachment=as_attachment, filename=name, content_type=content_type
    )


def _pdf_response(data: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


ACTIVE_LIMIT = 200


@private
def dashboard(request: HttpRequest) -> HttpResponse:
    _require_workspace(request)
    today = timezone.localdate()
    meetings = workspace_meetings(request.user).annotate(items=Count("paragraphs"))
    S = Meeting.Status
    # The meetings still at work are few at any time: one query, sorted out here.
    active = list(
        meetings.filter(status__in=[S.PLANERAT, S.KALLAT, S.GENOMFORT, S.UNDER_JUSTERING]).order_by(
            "date", "start_time"
        )[:ACTIVE_LIMIT]
    )
    planned = [m for m in active if m.status in (S.PLANERAT, S.KALLAT)]
    return render(
        request,
        "meetings/workspace/dashboard.html",
        {
            "today": today,
            "upcoming": [m for m in planned if m.date >= today][:20],
            "drafting": [m for m in reversed(active) if m.status == S.GENOMFORT][:20],
            "justering": [m for m in active if m.status == S.UNDER_JUSTERING][:20],
            "justerat": meetings.filter(frozen.is_frozen()).order_by("-date")[:20],
            "overdue_planned": [m for m in planned if m.date < today][:20],
            # Cancelled ones stay in sight for a month, so that "where did it go?" has
            # an answer.
            "cancelled": meetings.filter(
                status=S.INSTALLT, date__gte=today - datetime.timedelta(days=31)
            ).order_by("date")[:20],
            "administered": administered_organisations(request.user).order_by("name"),
        },
    )


@private
def meeting_create(request: HttpRequest) -> HttpResponse:
    _require_workspace(request)
    bodies = workspace_bodies(request.user)
    form = MeetingForm(request.POST if request.method == "POST" else None, bodies=bodies)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        meeting = services.plan_meeting(data.pop("body"), by=request.user, **data)
        messages.success(request, _("The meeting is planned with the standard agenda."))
        return redirect("workspace:meeting", pk=meeting.pk)
    return render(request, "meetings/workspace/meeting_form.html", {"form": form})


def _refuse_unless_editable(meeting: Meeting) -> None:
    """A page that changes the protocol is not even shown once it cannot change."""
    if reason := unchangeable_reason(meeting.justerat_at, meeting.status):
        raise ProtocolFrozen(reason)


@private
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    _refuse_unless_editable(meeting)
    bodies = workspace_bodies(request.user).filter(pk=meeting.body_id)
    form = MeetingForm(
        request.POST if request.method == "POST" else None, instance=meeting, bodies=bodies
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_meeting(meeting, by=request.user, **form.cleaned_data)
        except numbering.NumberingError as e:
            form.add_error("date", str(e))
        else:
            messages.success(request, _("The meeting is saved."))
            return redirect("workspace:meeting", pk=meeting.pk)
    return render(
        request, "meetings/workspace/meeting_form.html", {"form": form, "meeting": meeting}
    )


@private
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The agenda builder and the protocol's table of contents."""
    meeting = _meeting(request, pk)
    paragraphs = list(
        meeting.paragraphs.select_related("responds_to__meeting__body").prefetch_related(
            Prefetch("decisions", queryset=Decision.objects.only("id", "paragraph_id", "kind")),
            "bilagor",
        )
    )
    facts = Meeting.objects.filter(
        pk=meeting.pk
    ).values(  # two facts, one query
        attendance_count=Subquery(
            Attendance.objects.filter(meeting=OuterRef("pk"))
            .values("meeting")
            .annotate(n=Count("pk"))
            .values("n")
        ),
        answered=Exists(Approval.objects.filter(meeting=OuterRef("pk"))),
        # Work a worker has not finished (or failed): its rows are read only then.
        unfinished=Exists(
            QueuedWork.objects.filter(meeting=OuterRef("pk")).exclude(state=QueuedWork.State.DONE)
        ),
        commented=Exists(Comment.objects.filter(meeting=OuterRef("pk"))),
        co_secretary=Subquery(
            CoSecretary.objects.filter(meeting=OuterRef("pk"))
            .order_by("order")
            .values("person__name")[:1]
        ),
    )[0]
    can = states.controls(meeting)
    kallelser = list(meeting.kallelser.order_by("-sent_at")[:5])  # the last sent first
    deliveries = kallelse.deliveries(kallelser[0]) if kallelser else []
    # Who must approve and by when: from the moment it is sent (issue 29, 7); back
    # with the secretary, while anyone's answer stands.
    justering_state = (
        justering.approval_state(meeting)
        if meeting.is_out_for_justering
        or (meeting.status == Meeting.Status.GENOMFORT and facts["answered"])
        else []
    )
    return render(
        request,
        "meetings/workspace/meeting_detail.html",
        {
            "meeting": meeting,
            "paragraphs": paragraphs,
            "item_form": ItemForm(initial={"section": Paragraph.Section.BESLUT}),
            "proposals": services.pending_proposals(meeting.body, by_day=meeting.date)[:20],
            "kallelser": kallelser,
            # The day each kallelse announced (a meeting moved after one went out).
            "kallelser_announced": [
                (k, public_version.called_head(k.public_agenda, meeting)) for k in kallelser
            ],
            "attendance_count": facts["attendance_count"] or 0,
            "minuted_by": [
                n
                for n in (meeting.secretary and meeting.secretary.name, facts["co_secretary"])
                if n
            ],
            "justering_state": justering_state,
            "comments": justering.comments_beside(meeting, justering_state)
            if facts["commented"]
            else (),
            "archive": getattr(meeting, "archive", None) if meeting.is_frozen else None,
            "rattelser": rattelse.with_objections(meeting) if meeting.is_frozen else (),
            "can": can,
            "kallelse_refusal": kallelse.why_not_send(meeting) if can.send_kallelse else "",
            "justering_refusal": (
                justering.why_not_send(meeting) if can.send_for_justering else ""
            ),
            "kallelse_sent": kallelser[0] if kallelser else None,
            "kallelse_deliveries": deliveries,
            "kallelse_to_retry": sum(
                1 for r in deliveries if r["mail"] and r["mail"].may_try_again
            ),
            "queued_work": background.to_show(meeting) if facts["unfinished"] else (),
            "kallelse_changes": (
                kallelse.changes(meeting, kallelser[0] if kallelser else None)
                if can.send_kallelse
                else ()
            ),
            "today": timezone.localdate(),
            "in_future": meeting.date > timezone.localdate(),
        },
    )


@private
def item_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    _refuse_unless_editable(meeting)
    form = ItemForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_item(meeting, by=request.user, **form.cleaned_data)
        except numbering.NumberingError as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, _("The item is added."))
            return redirect("workspace:meeting", pk=meeting.pk)
    return render(request, "meetings/workspace/item_form.html", {"form": form, "meeting": meeting})


@private
def item_move(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    """Up or down within the section; at its edge, ask whether to change section."""
    meeting = _meeting(request, pk)
    _refuse_unless_editable(meeting)
    paragraph = paragraph_of(meeting, item)
    direction = request.POST.get("direction") or request.GET.get("direction")
    step = -1 if direction == "up" else 1
    boundary = services.section_boundary(paragraph, step)
    if request.method == "GET" or (boundary and "change_section" not in request.POST):
        if boundary is None:
            return redirect(f"{_meeting_url(meeting)}#item-{paragraph.pk}")
        return render(
            request,
            "meetings/workspace/item_move.html",
            {
                "meeting": meeting,
                "paragraph": paragraph,
                "direction": direction,
                "section": boundary.get_section_display(),
            },
        )
    services.move_item(paragraph, step, by=request.user, change_section=bool(boundary))
    return redirect(f"{_meeting_url(meeting)}#item-{paragraph.pk}")


@private
def item_remove(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    """Ask first; then remove an item not yet numbered, or strike a numbered one."""
    meeting = _meeting(request, pk)
    _refuse_unless_editable(meeting)
    paragraph = paragraph_of(meeting, item)
    if request.method == "GET":
        return render(
            request,
            "meetings/workspace/item_remove.html",
            {"meeting": meeting, "paragraph": paragraph},
        )
    try:
        services.remove_item(paragraph, by=request.user)
    except numbering.NumberingError as e:
        messages.error(request, str(e))
    else:
        if paragraph.number is None:
            messages.success(request, _("The item is removed."))
        else:
            messages.success(
                request, _("%(sign)s is struck; its number stays.") % {"sign": paragraph.sign}
            )
    return redirect("workspace:meeting", pk=meeting.pk)


@private
@require_POST
def proposal_take_up(request: HttpRequest, pk: int, decision: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    proposals = services.pending_proposals(meeting.body, by_day=meeting.date)
    proposal = proposals.filter(pk=decision).first()
    if proposal is None:
        raise Http404
    try:
        services.take_up_proposal(meeting, proposal, by=request.user)
    except numbering.NumberingError as e:
        messages.error(request, str(e))
    else:
        messages.success(request, _("The proposal is on the agenda."))
    return redirect("workspace:meeting", pk=meeting.pk)


@private
@require_POST
def protocol_start(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    raw = request.POST.get("held_on", "")
    try:
        held_on = datetime.date.fromisoformat(raw) if raw else None
    except ValueError:
        messages.error(request, _("Write the day as YYYY-MM-DD."))
        return redirect("workspace:meeting", pk=meeting.pk)
    try:
        done = services.start_protocol(meeting, by=request.user, held_on=held_on)
    except (numbering.NumberingError, services.MeetingRuleError) as e:
        messages.error(request, str(e))
    else:
        if done == "started":
            messages.success(
                request, _("The items have their § numbers and the attendance is filled in.")
            )
        elif done == "renumbered":
            messages.success(request, _("The § numbers follow the agenda's order again."))
        else:
            messages.info(request, _("Every item already had its § number in the agenda's order."))
    return redirect("workspace:meeting", pk=meeting.pk)


def _meeting_url(meeting: Meeting) -> str:
    return reverse("workspace:meeting", args=[meeting.pk])


_TICKED = re.compile(r"^decisions-\d+-reserves_(\d+)$")
_JAV = re.compile(r"^decisions-\d+-jav$")


def _decision_choices(
    meeting: Meeting, paragraph: Paragraph, stored: list[Decision], posted=None
) -> dict:
    """The editor's lists. Reservations and jäv are ticked among those voting at this
    § (attendance_rules.voting_at), and among anyone a stored decision or the form
    as `posted` names (the attendance may have changed since the page was opened),
    so that a tick the attendance no longer allows is shown and refused on saving
    with the reason, never dropped unseen."""
    organisation_id = meeting.body.organisation_id
    participants = [a.person for a in attendance_rules.voting_at(paragraph)]
    named = {
        who for d in stored for who, _text, _due in (*d.details["reservation"], *d.details["jav"])
    }
    if posted is not None:
        named |= {int(m.group(1)) for key in posted if (m := _TICKED.match(key))}
        named |= {
            int(v)
            for key in posted
            if _JAV.match(key)
            for v in posted.getlist(key)
            if v.isdigit() and len(v) < 10
        }
    named -= {p.pk for p in participants}
    if named:
        participants += list(
            Person.objects.filter(pk__in=named, organisation_id=organisation_id).order_by("name")
        )
    return {
        "bodies": Body.objects.filter(organisation_id=organisation_id).exclude(pk=meeting.body_id),
        "people": Person.objects.filter(organisation_id=organisation_id),
        "participants": participants,
        "choices_cache": {},
    }


def _stored_decisions(paragraph: Paragraph) -> list[Decision]:
    """The paragraph's decisions, each with `details`: its uppdrag, reservations and
    jäv as plain values, read for all of them in one query (a union of the three)."""
    decisions = list(paragraph.decisions.all())
    if not decisions:
        return decisions
    ids = [d.pk for d in decisions]
    empty_date = Value(None, output_field=DateField())
    rows = (
        # Unordered parts (SQLite refuses ORDER BY inside a UNION); sorted below.
        Uppdrag.objects.filter(decision_id__in=ids)
        .order_by()
        .values_list(
            "pk", "decision_id", Value("uppdrag"), "assignee_id", "description", "due_date"
        )
        .union(
            Reservation.objects.filter(decision_id__in=ids)
            .order_by()
            .values_list(
                "pk", "decision_id", Value("reservation"), "person_id", "motivation", empty_date
            ),
            Jav.objects.filter(decision_id__in=ids)
            .order_by()
            .values_list("pk", "decision_id", Value("jav"), "person_id", Value(""), empty_date),
            all=True,
        )
    )
    details = {d.pk: {"uppdrag": [], "reservation": [], "jav": []} for d in decisions}
    for _pk, decision_id, kind, person_id, text, due in sorted(rows, key=lambda r: (r[2], r[0])):
        details[decision_id][kind].append((person_id, text, due))
    for d in decisions:
        d.details = details[d.pk]
    return decisions


def _decision_initial(stored: list[Decision]) -> list[dict]:
    initial = []
    for d in stored:
        task = d.details["uppdrag"][0] if d.details["uppdrag"] else None
        initial.append(
            {
                "kind": d.kind,
                "text": d.text,
                "proposed_to": d.proposed_to_id,
                "votes_for": d.votes_for,
                "votes_against": d.votes_against,
                "votes_abstaining": d.votes_abstaining,
                "vote_result": d.vote_result,
                "uppdrag": task[1] if task else "",
                "uppdrag_assignee": task[0] if task else None,
                "uppdrag_due": task[2] if task else None,
                "reservations": [(who, why) for who, why, _ in d.details["reservation"]],
                "jav": [who for who, _, _ in d.details["jav"]],
            }
        )
    return initial


def _decision_data(cleaned: dict, stored=None) -> services.DecisionData:
    """The editor's decision; `stored`, the decision it edits, keeps any further
    uppdrag the editor does not show (an imported protocol may have several)."""
    task = cleaned.get("uppdrag", "").strip()
    tasks = [services.TaskData(task, cleaned.get("uppdrag_assignee"), cleaned.get("uppdrag_due"))]
    kept = (
        services.decision_data(stored).uppdrag[1:]
        if stored is not None and len(stored.details["uppdrag"]) > 1
        else ()
    )
    return services.DecisionData(
        kind=cleaned["kind"],
        text=cleaned["text"].strip(),
        proposed_to=cleaned.get("proposed_to"),
        votes_for=cleaned.get("votes_for"),
        votes_against=cleaned.get("votes_against"),
        votes_abstaining=cleaned.get("votes_abstaining"),
        vote_result=cleaned.get("vote_result", ""),
        uppdrag=(*(tasks if task else ()), *kept),
        reservations=tuple(cleaned.get("reservations") or ()),
        jav=tuple(cleaned.get("jav") or ()),
    )


def _paragraph_and_next(meeting: Meeting, item: int) -> tuple[Paragraph, Paragraph | None]:
    """The meeting's paragraph `item` and the one after it on the agenda, in one
    query (404 for a paragraph of any other meeting)."""
    position = Paragraph.objects.filter(pk=item, meeting=meeting).values("position")
    found = list(
        meeting.paragraphs.select_related("responds_to")
        .filter(position__gte=Subquery(position))
        .annotate(commented=Exists(Comment.objects.filter(paragraph=OuterRef("pk"))))
        .order_by("position")[:2]
    )
    if not found or found[0].pk != item:
        raise Http404
    return found[0], (found[1] if len(found) > 1 else None)


@private
def paragraph_edit(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    """Write a paragraph and its decisions (as many as it needs, on this page). A save
    based on an older revision than the stored one is a conflict: nothing is
    overwritten, both versions are shown, and what was typed stays in the form.
    "Spara och nästa" goes on to the next item of the agenda."""
    meeting = _meeting(request, pk)
    refusal = unchangeable_reason(meeting.justerat_at, meeting.status)
    if refusal and request.method != "POST":
        raise NotNow(refusal)
    paragraph, following = _paragraph_and_next(meeting, item)
    stored = _stored_decisions(paragraph)
    choices = _decision_choices(
        meeting, paragraph, stored, request.POST if request.method == "POST" else None
    )
    conflict = None
    status = 200
    restored = unsent_post(request) if request.method == "GET" else None
    data = request.POST if request.method == "POST" else restored
    if data is not None:
        form = ParagraphForm(data, instance=paragraph)
        decisions = DecisionFormSet(data, prefix="decisions", form_kwargs=choices)
    else:
        form = ParagraphForm(instance=paragraph, initial={"revision": paragraph.revision})
        decisions = DecisionFormSet(
            prefix="decisions", initial=_decision_initial(stored), form_kwargs=choices
        )
    if restored is not None:
        messages.warning(
            request,
            _(
                "You were logged out while writing. What you typed is back in the form below: "
                "save it again."
            ),
        )
    elif request.method == "POST" and refusal:
        # Justerat (or cancelled) while this was being written: nothing is saved, the
        # text stays in the form so that it can go into a rättelse.
        form.add_error(None, refusal)
        status = 403
    elif request.method == "POST" and form.is_valid() and decisions.is_valid():
        # The decisions written, in order (a refusal names one by its place here).
        written_forms = [
            (i, f)
            for i, f in enumerate(decisions.forms)
            if f.cleaned_data.get("kind") and not f.cleaned_data.get("DELETE")
        ]
        written = [
            _decision_data(f.cleaned_data, stored[i] if i < len(stored) else None)
            for i, f in written_forms
        ]
        try:
            services.save_paragraph(
                paragraph,
                revision=form.cleaned_data["revision"],
                fields=form.cleaned_data,
                decisions=written,
                by=request.user,
            )
        except services.EditConflict as e:
            conflict = e.current
            # Who saved it: often the writer themselves, in another tab (issue 29, 16).
            last = conflict.history.select_related("history_user").order_by("-history_date")
            saver = getattr(last.first(), "history_user", None)
            conflict.by_you = saver is not None and saver.pk == request.user.pk
            conflict.by = account_names([saver], meeting.body.organisation).get(
                getattr(saver, "pk", None), ""
            )
            # The next save is a deliberate choice to replace the stored version.
            form.data = form.data.copy()
            form.data["revision"] = conflict.revision
        except ProtocolFrozen as e:
            # Justerat while this was being written: nothing is saved, the text
            # stays in the form so that it can go into a rättelse.
            form.add_error(None, str(e))
            status = 403
        except services.DecisionRefused as refused:
            # Nothing was saved; everything typed stays in the form, the error at the
            # decision and field the attendance refuses.
            _i, refused_form = written_forms[refused.order]
            for field, message in refused.errors.items():
                refused_form.add_error(field if field in refused_form.fields else None, message)
            # Said at the top too: the decision's fields may be far down the page.
            messages.error(
                request,
                _("%(sign)s is not saved: see decision %(n)s below.")
                % {"sign": paragraph.sign, "n": refused.order + 1},
            )
        else:
            # An item without a number yet is named by its title, not "§ –".
            name = paragraph.sign if paragraph.number else f"”{as_words(paragraph.title)}”"
            messages.success(request, _("%(sign)s is saved.") % {"sign": name})
            if report_links(request, paragraph):
                url = reverse(
                    "workspace:paragraph", kwargs={"pk": meeting.pk, "item": paragraph.pk}
                )
                return redirect(f"{url}#aterrapportering")
            if "next" in request.POST and following is not None:
                return redirect("workspace:paragraph", pk=meeting.pk, item=following.pk)
            if "stay" in request.POST:
                return redirect("workspace:paragraph", pk=meeting.pk, item=paragraph.pk)
            return redirect(f"{_meeting_url(meeting)}#item-{paragraph.pk}")
    return render(
        request,
        "meetings/workspace/paragraph_form.html",
        {
            "meeting": meeting,
            "paragraph": paragraph,
            "form": form,
            "decisions": decisions,
            "participants": choices["participants"],
            "has_next": following is not None,
            "conflict": conflict,
            "conflict_decisions": conflict.decisions.all() if conflict else (),
            "comments": paragraph.comments.select_related("person") if paragraph.commented else (),
            # Ärendets gång and återrapportering, beside the form.
            "matter_path": matters.path_of(paragraph, request.user),
            "reported_here": followup.reported_here(paragraph),
            "reportable": followup.reportable(paragraph)[: followup.REPORTABLE_SHOWN],
        },
        status=409 if conflict else status,
    )


@private
def paragraph_changes(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    """The paragraph's audit trail: every saved change, who made it, when, what."""
    meeting = _meeting(request, pk)
    paragraph = paragraph_of(meeting, item)
    return render(
        request,
        "meetings/workspace/paragraph_history.html",
        {
            "meeting": meeting,
            "paragraph": paragraph,
            "history": paragraph_history(paragraph),
        },
    )


@private
def attendance_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole attendance in one form: every row and a new participant are saved
    together, or, when a rule is broken, kept on the page with the reason."""
    meeting = _meeting(request, pk)
    _refuse_unless_editable(meeting)
    rows = list(
        meeting.attendances.select_related(
            "person", "party", "substitutes_for", "present_from", "present_until"
        )
    )
    numbered = list(meeting.paragraphs.filter(number__isnull=False).order_by("position"))
    choices = {
        "meeting": meeting,
        "people": services.serving_for_choices(meeting),
        "paragraphs": meeting.paragraphs.filter(number__isnull=False),
        # The § options from the list read above, not from a query of their own.
        "choices_cache": {
            "present_from": [("", "---------")]
            + [(ModelChoiceIteratorValue(p.pk, p), p.sign) for p in numbered]
        },
    }
    participant = ParticipantForm(request.POST or None, prefix="new")
    problems = []
    if request.method == "POST":
        forms = [
            AttendanceForm(request.POST, instance=row, prefix=f"a{row.pk}", **choices)
            for row in rows
        ]
        if all(f.is_valid() for f in forms) and participant.is_valid():
            try:
                warnings = services.save_attendance(
                    meeting,
                    [f.save(commit=False) for f in forms],
                    by=request.user,
                    new_participant=(
                        participant.cleaned_data["name"],
                        participant.cleaned_data["role_title"],
                    ),
                )
            except services.AttendanceError as e:
                problems = e.problems
            else:
                messages.success(request, _("The attendance is saved."))
                for warning in warnings:
                    messages.warning(request, warning)
                return redirect("workspace:meeting", pk=meeting.pk)
    else:
        forms = [AttendanceForm(instance=row, prefix=f"a{row.pk}", **choices) for row in rows]
    warnings = (
        []
        if request.method == "POST"
        else services.attendance_findings(meeting, rows, numbered).warnings
    )
    return render(
        request,
        "meetings/workspace/attendance_form.html",
        {
            "meeting": meeting,
            "forms": forms,
            "participant_form": participant,
            "problems": problems,
            "warnings": warnings,
        },
        status=400 if problems else 200,
    )


@private
def bilagor(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    _refuse_unless_editable(meeting)
    paragraphs = meeting.paragraphs.all()
    form = BilagaForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        paragraphs=paragraphs,
        # ?paragraph=<id>: coming from a paragraph, attach to it.
        initial={
            "paragraph": next(
                (p for p in paragraphs if str(p.pk) == request.GET.get("paragraph")), None
            )
        },
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        bilaga = services.attach_bilaga(
            form.cleaned_data["paragraph"],
            title=form.cleaned_data["title"],
            file=upload,
            filename=upload.name,
            is_public=form.cleaned_data["is_public"],
            title_is_public=form.cleaned_data["title_is_public"],
            by=request.user,
        )
        messages.success(request, _("Bilaga %(number)s is attached.") % {"number": bilaga.number})
        return redirect("workspace:bilagor", pk=meeting.pk)
    return render(
        request,
        "meetings/workspace/bilagor.html",
        {
            "meeting": meeting,
            "form": form,
            "bilagor": meeting.bilagor.select_related("paragraph"),
            "confidential_paragraphs": [p.pk for p in paragraphs if p.is_confidential],
        },
        status=400 if form.errors else 200,
    )


def _bilaga_of(meeting: Meeting, number: int) -> Bilaga:
    bilaga = (
        Bilaga.objects.filter(meeting=meeting, number=number).select_related("paragraph").first()
    )
    if bilaga is None:
        raise Http404
    return bilaga


@private
def bilaga_edit(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    _refuse_unless_editable(meeting)
    bilaga = _bilaga_of(meeting, number)
    form = BilagaEditForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        bilaga=bilaga,
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        services.edit_bilaga(
            bilaga,
            title=form.cleaned_data["title"],
            is_public=form.cleaned_data["is_public"],
            title_is_public=form.cleaned_data["title_is_public"],
            file=upload,
            filename=upload.name if upload else "",
            by=request.user,
        )
        messages.success(request, _("Bilaga %(number)s is saved.") % {"number": bilaga.number})
        return redirect("workspace:bilagor", pk=meeting.pk)
    return render(
        request,
        "meetings/workspace/bilaga_form.html",
        {"meeting": meeting, "bilaga": bilaga, "form": form},
        status=400 if form.errors else 200,
    )


@private
@require_POST
def bilaga_move(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    _refuse_unless_editable(meeting)
    step = -1 if request.POST.get("direction") == "up" else 1
    services.move_bilaga(_bilaga_of(meeting, number), step, by=request.user)
    return redirect("workspace:bilagor", pk=meeting.pk)


@private
def bilaga_remove(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """Ask first; then take the bilaga out (the later ones move up a number)."""
    meeting = _meeting(request, pk)
    _refuse_unless_editable(meeting)
    bilaga = _bilaga_of(meeting, number)
    if request.method == "POST":
        services.remove_bilaga(bilaga, by=request.user)
        messages.success(
            request,
            _("Bilaga %(number)s is removed; the later ones moved up a number.")
            % {"number": number},
        )
        return redirect("workspace:bilagor", pk=meeting.pk)
    return render(
        request, "meetings/workspace/bilaga_remove.html", {"meeting": meeting, "bilaga": bilaga}
    )


@private
def bilaga_download(request: HttpRequest, pk: int, number: int) -> FileResponse:
    meeting = _meeting(request, pk)
    bilaga = Bilaga.objects.filter(meeting=meeting, number=number).exclude(file="").first()
    if bilaga is None:
        raise Http404
    return _stored_file(bilaga.file, filename=bilaga.filename, as_attachment=True)


def _filename(meeting: Meeting, kind: str) -> str:
    return archival.file_name(kind, meeting)


@private
def draft_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    return _pdf_response(protocol_draft_pdf(meeting), _filename(meeting, "protokollsutkast"))


@private
def kallelse_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    return _pdf_response(kallelse.render(meeting), _filename(meeting, "kallelse"))


@private
def kallelse_send(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    recipients = kallelse_recipients(meeting)
    refusal = kallelse.why_not_send(meeting)
    if request.method == "POST" and not refusal:
        work = kallelse.order(meeting, by=request.user)
        if work.failed:
            messages.error(request, work.failure)
            return redirect("workspace:kallelse_send", pk=meeting.pk)
        if work.waiting:
            # A worker makes the PDF and records the mails: the page says when it is done.
            messages.success(
                request,
                _(
                    "The kallelse is being made and sent: in a moment the list below "
                    "shows each recipient's mail (reload the page)."
                ),
            )
        else:
            sent = meeting.kallelser.order_by("-sent_at").first()
            # The mails are recorded; the outbox sends them. The meeting page shows each.
            messages.success(
                request,
                _(
                    "The kallelse is recorded and goes out by e-mail to %(count)s people: "
                    "the list below shows each one's mail as it is sent."
                )
                % {"count": sum(1 for r in sent.recipients if r["email"]) if sent else 0},
            )
        return redirect(reverse("workspace:meeting", args=[meeting.pk]) + "#utskick")
    return render(
        request,
        "meetings/workspace/kallelse_send.html",
        {
            "meeting": meeting,
            "recipients": recipients,
            # Called, but without an account: they cannot open the handlingar that are
            # not public (those with an address can be invited from this page).
            "without_account": [p for p in recipients if p.user_id is None and p.email],
            "refusal": refusal,
            "sent": meeting.kallelser.order_by("-sent_at").first(),
            "can": states.controls(meeting),
        },
        status=400 if refusal and request.method == "POST" else 200,
    )


@private
@require_POST
def mail_retry(request: HttpRequest, pk: int, mail: int) -> HttpResponse:
    """ "Försök igen": a kallelse's (or a notice's) mail that failed goes out again."""
    meeting = _meeting(request, pk)
    found = sending.of(meeting).filter(pk=mail).first()
    if found is None:
        raise Http404
    if sending.retry(found):
        messages.success(
            request, _("The mail to %(to)s is sent again.") % {"to": ", ".join(found.to)}
        )
    else:
        messages.info(
            request, _("The mail to %(to)s is already sent.") % {"to": ", ".join(found.to)}
        )
    return redirect(reverse("workspace:meeting", args=[meeting.pk]) + "#utskick")


@private
@require_POST
def kallelse_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Försök igen för alla": every mail of the latest kallelse that did not arrive."""
    meeting = _meeting(request, pk)
    sent = meeting.kallelser.order_by("-sent_at").first()
    if sent is None:
        raise Http404
    again = kallelse.retry(sent)
    messages.success(
        request,
        ngettext("%(count)d mail is sent again.", "%(count)d mails are sent again.", again)
        % {"count": again},
    )
    return redirect(reverse("workspace:meeting", args=[meeting.pk]) + "#utskick")


@private
@require_POST
def kallelse_invite(request: HttpRequest, pk: int) -> HttpResponse:
    """Invite those the kallelse goes to who have no account (and an address), so
    that they can open the handlingar that are not public."""
    meeting = _meeting(request, pk)
    invited = []
    for person in kallelse_recipients(meeting):
        if person.user_id is None and person.email:
            invite(person)
            invited.append(person.name)
    if invited:
        messages.success(
            request,
            _("An invitation is sent to %(names)s.") % {"names": ", ".join(invited)},
        )
    return redirect("workspace:kallelse_send", pk=meeting.pk)


@private
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask first, then cancel the meeting and tell those called."""
    meeting = _meeting(request, pk)
    if request.method == "GET" and (refusal := services.why_not_cancel(meeting)):
        raise NotNow(refusal)
    if request.method == "POST":
        try:
            told = services.cancel_meeting(
                meeting, by=request.user, reason=posted_text(request.POST, "reason")
            )
        except (services.MeetingRuleError, ValidationError) as e:
            messages.error(request, " ".join(getattr(e, "messages", [str(e)])))
        else:
            messages.success(
                request, _("The meeting is cancelled; %(count)s were told.") % {"count": told}
            )
        return redirect("workspace:meeting", pk=meeting.pk)
    return render(request, "meetings/workspace/meeting_cancel.html", {"meeting": meeting})


@private
def justering_send(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose the justerare and the deadline, and send the protocol to them."""
    meeting = _meeting(request, pk)
    if refusal := justering.why_not_send(meeting):
        raise NotNow(refusal)
    eligible = justering.eligible_justerare(meeting)
    form = JusteringForm(
        request.POST if request.method == "POST" else None,
        meeting=meeting,
        eligible=eligible,
        initial={
            # Those the protocol says the meeting chose ("Val av justerare"): what is
            # written there decides, also after a correction; else those sent to.
            "justerare": justering.chosen_at_the_meeting(meeting, eligible)
            or [j.person_id for j in meeting.justerare.all()],
            "deadline": justering.default_deadline(meeting),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            unreachable = justering.send_for_justering(
                meeting,
                justerare=list(form.cleaned_data["justerare"]),
                deadline=form.cleaned_data["deadline"],
                by=request.user,
            )
        except justering.JusteringError as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, _("The protocol is sent for justering."))
            for person in unreachable:
                messages.error(
                    request,
                    _("%(name)s has no e-mail address: tell them another way.")
                    % {"name": person.name},
                )
            return redirect("workspace:meeting", pk=meeting.pk)
    return render(
        request, "meetings/workspace/justering_send.html", {"meeting": meeting, "form": form}
    )


@private
def archive_pdf(request: HttpRequest, pk: int) -> FileResponse:
    """The sealed, justerat protocol exactly as stored."""
    meeting = _meeting(request, pk)
    archive = getattr(meeting, "archive", None) if meeting.is_frozen else None
    if archive is None:
        raise Http404
    return _stored_file(archive.pdf)


@private
def public_version_pdf(request: HttpRequest, pk: int) -> FileResponse:
    """The sealed public version of the justerat protocol, exactly as stored: what
    the public gets once the protocol is published."""
    meeting = _meeting(request, pk)
    public = PublicProtocol.objects.filter(meeting=meeting).first()
    if public is None:
        raise Http404
    return _stored_file(public.pdf)


@private
def utdrag_pdf(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    """A protokollsutdrag of one paragraph, certified by the logged-in secretary."""
    meeting = _meeting(request, pk)
    paragraph = paragraph_of(meeting, item)
    if not meeting.is_frozen:
        raise Http404
    if ArchivedProtocol.objects.filter(meeting=meeting).exclude(imported_from="").exists():
        # Its text here was read from the original, which is what an extract copies.
        raise NotNow(
            _(
                "The protocol was justerat before Paragraf: make an extract from the "
                "imported original."
            )
        )
    person = services.person_for(request.user, meeting.body.organisation_id)
    certifier = person.name if person else request.user.get_full_name() or request.user.username
    pdf = utdrag.staff_extract(
        meeting, paragraph.number, certified_by=certifier, on=timezone.localdate()
    )
    return _pdf_response(
        pdf, archival.file_name("protokollsutdrag", meeting, f"p{paragraph.number}", "bestyrkt")
    )


@private
@require_POST
def rattelse_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Write a correction of a justerat protocol, for its approvers to approve."""
    meeting = _meeting(request, pk)
    paragraph = meeting.paragraphs.filter(pk=posted_id(request.POST, "paragraph")).first()
    try:
        rattelse.propose(
            meeting, text=posted_text(request.POST, "text"), paragraph=paragraph, by=request.user
        )
    except justering.JusteringError as e:
        messages.error(request, str(e))
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("The correction is sent to the approvers."))
    return redirect("workspace:meeting", pk=meeting.pk)


@private
def rattelse_pdf(request: HttpRequest, pk: int, rattelse_id: int) -> FileResponse:
    meeting = _meeting(request, pk)
    correction = meeting.rattelser.filter(pk=rattelse_id).exclude(pdf="").first()
    if correction is None:
        raise Http404
    return _stored_file(correction.pdf)


@private
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    """First the public version as the public will read it, then, confirmed,
    published today or on a chosen later day."""
    meeting = _meeting(request, pk)
    public = PublicProtocol.objects.filter(meeting=meeting).first()
    if request.method == "POST":
        raw = request.POST.get("publish_on", "")
        try:
            on = datetime.date.fromisoformat(raw) if raw else None
        except ValueError:
            messages.error(request, _("Write the day as YYYY-MM-DD."))
            return redirect("workspace:publish", pk=meeting.pk)
        try:
            publication.publish(meeting, on=on, by=request.user)
        except justering.JusteringError as e:
            messages.error(request, str(e))
        else:
            meeting.refresh_from_db(fields=["publish_on"])
            if meeting.publish_on > timezone.localdate():
                messages.success(
                    request,
                    _("The protocol will be published, and its anslag posted, on %(date)s.")
                    % {"date": f"{meeting.publish_on:%Y-%m-%d}"},
                )
            else:
                messages.success(request, _("The protocol is published and its anslag posted."))
        return redirect("workspace:meeting", pk=meeting.pk)
    if not meeting.is_frozen or public is None:
        raise NotNow(_("Only a justerat protocol can be published."))
    return render(
        request,
        "meetings/workspace/publish.html",
        {
            "meeting": meeting,
            "organisation": meeting.body.organisation,
            "protocol": document(json.loads(public.content)),
            "today": timezone.localdate(),
            "anslag_last_day": anslag.last_day_to_appeal(timezone.localdate()),
        },
    )


def report_links(request: HttpRequest, paragraph) -> bool:
    """Återrapportering, posted with the paragraph's own form (so that nothing typed
    in it is lost) and done once it is saved: link the uppdrag chosen as reported back
    here (`report_uppdrag`), or undo a link (`withdraw_report`). Says what became of
    it; returns whether it was asked."""
    withdraw = request.POST.get("withdraw_report", "")
    chosen = request.POST.get("report_uppdrag", "")
    if not (withdraw or chosen or "link_report" in request.POST):
        return False
    try:
        if withdraw.isdigit():
            follow_up = get_object_or_404(FollowUp, pk=int(withdraw), report=paragraph)
            followup.withdraw_report(follow_up, by=request.user)
            messages.success(request, _("The link to the uppdrag is removed."))
        else:
            uppdrag = (
                followup.reportable(paragraph).filter(pk=int(chosen)).first()
                if chosen.isdigit()
                else None
            )
            if uppdrag is None:
                raise followup.FollowUpError(_("Choose the uppdrag the paragraph reports back."))
            followup.report_back(uppdrag, paragraph, by=request.user)
            messages.success(
                request,
                _("%(sign)s is linked as the report back of the uppdrag.")
                % {"sign": paragraph.sign if paragraph.number else _("The paragraph")},
            )
    except followup.FollowUpError as e:
        messages.error(request, str(e))
    return True
