"""Errors of the online submission form, for the error summary and beside the fields they concern."""

from collections.abc import Mapping, Sequence

# The domain names a problem by its field in the filing; the page by the input's id.
FIELD_IDS = {
    "applicant.name": "name",
    "applicant.citizen_id": "citizen_id",
    "applicant.phone": "phone",
    "applicant.email": "email",
    "applicant.address": "address",
    "commune": "commune",
    "receiving_unit": "receiving_unit",
    "case": "case",
    "papers": "giay-to",
}


def submission_problems(errors: Mapping[str, Sequence[str]]) -> dict[str, object]:
    """Return the summary's (input id, message) pairs and each input's message, for the submission template."""
    problems = [(FIELD_IDS.get(key, "name"), message) for key, messages in errors.items() for message in messages]
    beside: dict[str, str] = {}
    for target, message in problems:
        key = target.replace("-", "_")  # a template looks names up with dots, which a hyphen would end
        beside[key] = f"{beside[key]} {message}" if key in beside else message
    return {"problems": problems, "field_errors": beside}
