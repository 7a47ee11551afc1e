"""The system admin publishes a definition from the admin site; it is never edited nor deleted there."""

import json

import pytest
from django.test import Client

from motcua.catalogue.selectors import get_version_on
from motcua.dossiers.tests.factories import load_catalogue, user
from motcua.eforms.models import FormDefinition

from .birth import birth_document

pytestmark = pytest.mark.django_db
ADD = "/quan-tri/eforms/formdefinition/add/"


@pytest.fixture
def admin(client: Client) -> Client:
    load_catalogue()
    client.force_login(user("quantri"))
    return client


def test_publishing_from_the_admin_checks_the_definition_first(admin: Client) -> None:
    version = get_version_on("1.001193")
    assert version is not None
    broken = birth_document() | {"source": {}}
    page = admin.post(ADD, {"version": version.pk, "document": json.dumps(broken)}).content.decode()
    assert "source.form_name: không được để trống." in page and not FormDefinition.objects.exists()
    done = admin.post(ADD, {"version": version.pk, "document": json.dumps(birth_document())})
    published = FormDefinition.objects.get()
    assert done.status_code == 302 and published.number == 1 and published.published_by == user("quantri")
    again = admin.post(ADD, {"version": version.pk, "document": json.dumps(birth_document())})
    assert again.status_code == 302 and FormDefinition.objects.count() == 1  # the same content: nothing new
    view = admin.get(f"/quan-tri/eforms/formdefinition/{published.pk}/change/").content.decode()
    assert "Tờ khai đăng ký khai sinh" in view and 'name="_save"' not in view
