from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.conf import settings

from .models import Subscription

TOPIC_FAMILIES = ("dossier", "feedback")


class SubscriptionForm(forms.ModelForm[Subscription]):
    """A subscription names an HTTPS address and the events it wants, each as `family.action` or `family.*`."""

    url = forms.URLField(label="Địa chỉ nhận (HTTPS)", max_length=500, assume_scheme="https")

    class Meta:
        model = Subscription
        fields = ["name", "url", "topics", "active"]

    def clean_url(self) -> str:
        url: str = self.cleaned_data["url"]
        parts = urlsplit(url)
        if parts.scheme != "https" and parts.hostname not in settings.MOTCUA_WEBHOOK_PLAIN_HTTP_HOSTS:
            # The body carries dossier codes and statuses: it travels encrypted, and only to whom the URL names.
            raise forms.ValidationError(
                "Địa chỉ nhận phải dùng HTTPS (https://…) để dữ liệu được mã hóa trên đường truyền."
            )
        return url

    def clean_topics(self) -> list[str]:
        topics: Any = self.cleaned_data["topics"]
        if not isinstance(topics, list) or not topics or not all(isinstance(t, str) for t in topics):
            raise forms.ValidationError(
                'Hãy liệt kê sự kiện dạng danh sách JSON, ví dụ ["dossier.*", "feedback.conclude"].'
            )
        wrong = [t for t in topics if t.split(".", 1)[0] not in TOPIC_FAMILIES or "." not in t]
        if wrong:
            raise forms.ValidationError(
                "Sự kiện không hợp lệ: " + ", ".join(wrong) + ". Mỗi sự kiện có dạng dossier.<thao tác> hoặc "
                "feedback.<thao tác>, hoặc dossier.* / feedback.* để nhận tất cả."
            )
        return topics
