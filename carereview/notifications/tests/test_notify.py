"""The GOV.UK Notify backend: the real client against a small HTTP server started by the test
(http.server in a thread, on 127.0.0.1), which checks each request as Notify would."""

import base64
import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest

from carereview.notifications import backends, notify, outbox
from carereview.notifications.models import Message

pytestmark = pytest.mark.django_db

SERVICE_ID = str(uuid.UUID(int=1))
SECRET = str(uuid.UUID(int=2))
API_KEY = f"carereview_test-{SERVICE_ID}-{SECRET}"
EMAIL_TEMPLATE = str(uuid.UUID(int=3))
TEXT_TEMPLATE = str(uuid.UUID(int=4))
FILE_TEMPLATE = str(uuid.UUID(int=5))


class FakeNotify(BaseHTTPRequestHandler):
    """Answers POST /v2/notifications/email and /sms with 201 and an id, after checking the
    bearer token (signed with the key's secret, issued by the service) and the JSON body."""

    requests: list = []
    fail_next = 0

    def log_message(self, *args):  # quiet
        pass

    def _reply(self, status: int, payload: dict) -> None:
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        data = json.loads(self.rfile.read(length))
        auth = self.headers.get("Authorization", "")
        if not auth.startswith("Bearer "):
            return self._reply(403, {"errors": [{"error": "AuthError", "message": "no token"}]})
        claims = jwt.decode(auth.removeprefix("Bearer "), SECRET, algorithms=["HS256"])
        if claims["iss"] != SERVICE_ID:
            return self._reply(403, {"errors": [{"error": "AuthError", "message": "issuer"}]})
        FakeNotify.requests.append((self.path, data))
        if FakeNotify.fail_next:
            FakeNotify.fail_next -= 1
            return self._reply(500, {"errors": [{"error": "Exception", "message": "Internal"}]})
        if self.path == "/v2/notifications/email":
            assert set(data) >= {"email_address", "template_id", "personalisation"}
        elif self.path == "/v2/notifications/sms":
            assert set(data) >= {"phone_number", "template_id", "personalisation"}
        else:
            return self._reply(404, {"errors": [{"error": "NotFound", "message": self.path}]})
        self._reply(201, {"id": str(uuid.uuid4()), "reference": data.get("reference")})


@pytest.fixture
def fake_notify(settings, monkeypatch):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    FakeNotify.requests = []
    FakeNotify.fail_next = 0
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeNotify)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.NOTIFICATIONS = {
        **settings.NOTIFICATIONS,
        "BACKEND": "notify",
        "NOTIFY_API_KEY": API_KEY,
        "NOTIFY_BASE_URL": f"http://127.0.0.1:{server.server_address[1]}",
        "NOTIFY_EMAIL_TEMPLATE_ID": EMAIL_TEMPLATE,
        "NOTIFY_TEXT_TEMPLATE_ID": TEXT_TEMPLATE,
        "NOTIFY_EMAIL_WITH_FILE_TEMPLATE_ID": FILE_TEMPLATE,
    }
    yield FakeNotify
    server.shutdown()
    server.server_close()


def test_email_and_text_go_to_notify_with_the_template_and_personalisation(fake_notify):
    mail = notify("n1", to="ian.iro@northmoor.example.org", subject="Review due", body="Book it")
    text = notify("n2", to="07700900123", subject="", body="Papers late")
    delivery = outbox.deliver_due()
    assert (delivery.sent, delivery.failed) == (2, 0)
    (email_path, email_body), (sms_path, sms_body) = fake_notify.requests
    assert email_path == "/v2/notifications/email"
    assert email_body == {
        "email_address": "ian.iro@northmoor.example.org",
        "template_id": EMAIL_TEMPLATE,
        "personalisation": {"subject": "Review due", "body": "Book it"},
        "reference": backends.notify_reference(mail),
    }
    assert sms_path == "/v2/notifications/sms"
    assert sms_body == {
        "phone_number": "07700900123",
        "template_id": TEXT_TEMPLATE,
        "personalisation": {"body": "Papers late"},
        "reference": backends.notify_reference(text),
    }
    for message in (mail, text):
        message.refresh_from_db()
        assert message.status == "sent"
        assert uuid.UUID(message.provider_reference)  # Notify's notification id


def test_a_notify_error_is_kept_and_the_message_tried_again(fake_notify):
    from datetime import timedelta

    from django.utils import timezone

    fake_notify.fail_next = 1
    message = notify("n3", to="07700900123", subject="", body="Hello")
    now = timezone.now()
    assert outbox.deliver_due(now=now).failed == 1
    message.refresh_from_db()
    assert message.status == "retrying"
    assert message.last_error == "HTTPError: 500 - [{'error': 'Exception', 'message': 'Internal'}]"
    assert outbox.deliver_due(now=now + timedelta(minutes=1)).sent == 1
    assert len(fake_notify.requests) == 2
    assert Message.objects.get(pk=message.pk).status == "sent"


def test_the_reference_is_the_same_on_every_attempt_and_names_the_key(fake_notify):
    fake_notify.fail_next = 1
    message = notify("decisions:7:8:v2", to="a@example.org", subject="S", body="B")
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    outbox.deliver_due(now=now)
    outbox.deliver_due(now=now + timedelta(minutes=1))
    first, second = (body["reference"] for _, body in fake_notify.requests)
    assert first == second == backends.notify_reference(message)
    assert first.startswith(f"carereview-{message.pk}-") and "a@example.org" not in first


def test_a_document_goes_by_notifys_file_sending(fake_notify):
    """An email with a PDF: the file template, and the file in ((link_to_file)), base64, with
    the recipient confirming their address before downloading it."""
    pdf = b"%PDF-1.7 a review's decisions"
    message = notify(
        "decisions:1:2:v0",
        to="morgan@example.org",
        subject="Decisions of Robin's Child in Care Review",
        body="Dear Morgan,",
        attachments=[outbox.File("review-decisions.pdf", pdf)],
    )
    assert outbox.deliver_due().sent == 1
    [(path, body)] = fake_notify.requests
    assert path == "/v2/notifications/email"
    assert body["template_id"] == FILE_TEMPLATE
    assert body["reference"] == backends.notify_reference(message)
    sent = body["personalisation"]
    assert (sent["subject"], sent["body"]) == (message.subject, "Dear Morgan,")
    assert base64.b64decode(sent["link_to_file"]["file"]) == pdf
    assert sent["link_to_file"]["filename"] == "review-decisions.pdf"
    assert sent["link_to_file"]["confirm_email_before_download"] is True


def test_without_a_file_template_a_document_waits_with_a_clear_error(fake_notify, settings):
    settings.NOTIFICATIONS = {**settings.NOTIFICATIONS, "NOTIFY_EMAIL_WITH_FILE_TEMPLATE_ID": ""}
    message = notify(
        "record:1:2:v0",
        to="morgan@example.org",
        subject="S",
        body="B",
        attachments=[outbox.File("review-record.pdf", b"%PDF-")],
    )
    assert outbox.deliver_due().failed == 1
    message.refresh_from_db()
    assert message.status == "retrying" and "((link_to_file))" in message.last_error
    assert fake_notify.requests == []


def test_portal_links_by_text_go_through_notify_from_the_outbox(fake_notify, service):
    from carereview.core.testing import make_child
    from carereview.portal import services as portal

    child = make_child(iro=service.iro, social_worker=service.social_worker)
    mother = child.relationships.get().person
    sent = portal.grant_and_invite(
        child,
        by=service.iro,
        person=mother,
        channel="text",
        sent_to="07700900123",
        base_url="http://testserver",
    )
    message = Message.objects.get(key=f"portal-link:{sent.invitation.pk}")
    delivery = outbox.deliver([message.pk])
    assert delivery is not None and delivery.sent == 1
    [(path, body)] = fake_notify.requests
    assert path == "/v2/notifications/sms" and sent.token in body["personalisation"]["body"]
    assert body["reference"] == backends.notify_reference(message)
    message.refresh_from_db()
    assert message.status == "sent" and sent.token not in message.body
