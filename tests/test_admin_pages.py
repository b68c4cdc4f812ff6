"""Every model of the admin has a working list, change and add page, on the demo's
data (seeded once for the module: each case runs in its own savepoint)."""

import datetime

import pytest
from django.contrib import admin
from django.urls import reverse

from meetings import demo
from meetings.admin import RecordAdmin
from tests.conftest import shared_rows


def _seed():
    demo.seed(today=datetime.date(2026, 11, 23))


_demo_built, seeded_demo = shared_rows("seeded_demo", _seed)


@pytest.fixture
def admin_client_with_demo(seeded_demo, admin_client):
    return admin_client


@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda m: m._meta.label)
def test_every_model_has_a_working_list_and_change_page(admin_client_with_demo, model):
    meta = model._meta
    changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
    response = admin_client_with_demo.get(changelist)
    assert response.status_code == 200

    obj = model.objects.order_by("pk").first()
    if obj is not None:
        change = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
        assert admin_client_with_demo.get(change).status_code == 200
    add = reverse(f"admin:{meta.app_label}_{meta.model_name}_add")
    response = admin_client_with_demo.get(add)
    # The record (approvals, audit log, archive, login attempts …) is written by the
    # code only; everything else can be added by hand.
    can_add = admin.site._registry[model].has_add_permission(response.wsgi_request)
    assert response.status_code == (200 if can_add else 403)
    if isinstance(admin.site._registry[model], RecordAdmin):
        assert not can_add
