"""Who may reach each page and API operation of motcua: every URL pattern, classified once.

`test_access_matrix.py` walks the URL resolver and fails on a pattern that is not in MATRIX (and on an entry whose
pattern is gone), so a new endpoint is classified when it is added. An entry gives a class per HTTP method; ALLOWED
says, once for every endpoint of a class, which roles it lets in. Everyone else is refused: a visitor is sent to
sign in (401 from the API), a signed-in person gets 403 or 404 (409 where a dossier's state refuses first), anyone
but the administrator is sent to the admin site's login, and a refused write changes nothing.

The roles stand around one dossier, filed online at Phường Mỹ Tho by citizen C: its receiving unit is the commune's
one-stop centre (28261.TTPVHCC), its competent unit the commune's People's Committee (28261.UBND).
"""

from enum import StrEnum

# Role → the account that plays it (demo seed usernames; the second citizen is made by the test's world).
ROLES: dict[str, str | None] = {
    "anonymous": None,
    "citizen": "0912345678",  # C, the dossier's applicant
    "other_citizen": "0987654321",
    "officer_other_unit": "stp.motcua",  # one-stop officer of Sở Tư pháp: the dossier is not in his units
    "officer_of_unit": "mytho.motcua",  # one-stop officer of the receiving centre
    "leader": "mytho.lanhdao",  # chairman of the competent committee
    "admin": "quantri",  # system administrator: sees every unit
}


class Access(StrEnum):
    PUBLIC = "public"
    SIGN_IN = "sign-in"  # the steps of signing in: anyone; without a sign-in under way they send back to its start
    SIGNED_IN = "signed-in"
    CITIZEN = "citizen"  # any citizen account; officials are refused
    APPLICANT = "citizen-own"  # the citizen whose dossier (or draft) the URL names
    STAFF = "staff"  # any official
    UNIT_STAFF = "unit-staff"  # officials whose scope covers the dossier's receiving or competent unit
    UNIT_MEMBER = "unit-member"  # members of the unit the URL names (the centre), and those who see every unit
    PARTY = "party"  # the applicant, or officials whose scope covers the dossier (the API's dossier reads)
    ACTING = "acting"  # the officials the dossier rules let take the action asked (`start`: the receiving one-stop
    # officer or the competent unit's staff); the other parties are refused by the rules (403)
    STEP_HOLDER = "step-holder"  # whoever holds the current step: the world's dossier is not started, so nobody;
    # the parties are refused by the rules (403 or 409), everyone else as for any dossier out of their scope
    INTAKE = "intake"  # filing through the API: citizens online, the receiving unit's one-stop officer at the counter
    LEADER = "leader"  # leaders of a unit (their units and those below), and those who see every unit
    UNIT_LEADER = "unit-leader"  # the leader of the dossier's unit alone (reviewing its unhappy rating)
    ADMIN = "admin"  # the system administrator
    ADMIN_SITE = "admin-site"  # the admin site: its login page for everyone else, whatever their role
    CLOSED = "closed"  # an admin page its ModelAdmin refuses to all (403 to the administrator)
    RECEPTION = "reception"  # the desks that take cases in: one-stop officers and leaders, never the administrator
    NATIONAL_CHANNEL = "national-channel"  # the national portal's system account alone, which is none of these roles
    # (motcua/integrations/tests/test_channel_access.py asks every other write as that account)
    # The payment platform's callback: proven by its signature, never by an account; a forged one is refused (403)
    PLATFORM = "platform"
    # The province monitor alone (the payment reconciliation): not one of the roles above, so all of them are refused;
    # motcua/integrations/tests/test_payment_access.py lets the monitor in.
    PROVINCE_MONITOR = "province-monitor"
    # Directives and tasks: the world's task is led by the commune's committee, whose leader sees and accepts it (the
    # units above it, Văn phòng UBND tỉnh and the monitor too; not the centre, which is not above it).
    TASK_UNIT = "task-unit"
    # Văn phòng UBND tỉnh alone (role directive_tracker, none of the roles above): entering directives, publishing
    # KPIs; motcua/reform/tests/test_tasks_api.py asks its writes as that account.
    DIRECTIVE_TRACKER = "directive-tracker"
    # A unit's periodic CCHC report (motcua.reform): the reporting unit's officials (its service centre's too), and
    # Sở Nội vụ and the province monitor, who are none of these roles (motcua/reform/tests/test_reports_api.py).
    REFORM_UNIT = "reform-unit"
    # Sở Nội vụ (reform_officer) and the province monitor alone: the province's consolidation of the reports.
    REFORM_OFFICE = "reform-office"
    # Review meetings (motcua.reform.meetings): the world's meeting has a bridge point at the commune's committee,
    # hosted by its leader, who reads the meeting and alone enters that point's counts; leaders of UBND tỉnh and
    # Văn phòng UBND tỉnh, none of these roles, schedule (motcua/reform/tests/test_meetings_api.py asks them).
    MEETING_UNIT = "meeting-unit"
    MEETING_HOST = "meeting-host"
    MEETING_ORGANISER = "meeting-organiser"
    # A CCHC inspection of the commune's committee by the province's team (motcua.reform.inspections): its leader (the
    # inspected unit's) reads it and Sở Nội vụ, the monitor and the team, who are none of these roles; the team alone
    # acts (`start`), so the leader is refused by the rules (motcua/reform/tests/test_inspections_api.py).
    INSPECTED_UNIT = "inspected-unit"
    INSPECTION_TEAM = "inspection-team"
    # eOffice (motcua.eoffice): a body's documents are seen by its members alone. The world holds no document, so its
    # pages and actions answer 404 to every role; motcua/eoffice/tests/test_api.py asks them as the body's members.
    EOFFICE_BODY = "eoffice-body"
    # Registering an incoming document: the body's văn thư (role clerk), none of the roles above.
    EOFFICE_CLERK = "eoffice-clerk"
    # Drafting an outgoing document: the body's specialists, clerks and leaders (here the committee's chairman).
    EOFFICE_DRAFTER = "eoffice-drafter"
    # The head-of-unit page of the world's committee (motcua.reform.overview): its officials and those of the units
    # above it; Văn phòng UBND tỉnh, Sở Nội vụ and the monitor, none of these roles (test_overview_access.py).
    UNIT_OVERVIEW = "unit-overview"


_SIGNED_IN = frozenset(ROLES) - {"anonymous"}
_STAFF = frozenset({"officer_other_unit", "officer_of_unit", "leader", "admin"})
ALLOWED: dict[Access, frozenset[str]] = {
    Access.PUBLIC: frozenset(ROLES),
    Access.SIGN_IN: frozenset(ROLES),
    Access.SIGNED_IN: _SIGNED_IN,
    Access.CITIZEN: frozenset({"citizen", "other_citizen"}),
    Access.APPLICANT: frozenset({"citizen"}),
    Access.STAFF: _STAFF,
    Access.UNIT_STAFF: _STAFF - {"officer_other_unit"},
    Access.UNIT_MEMBER: frozenset({"officer_of_unit", "admin"}),
    Access.PARTY: frozenset({"citizen", "officer_of_unit", "leader", "admin"}),
    Access.ACTING: frozenset({"officer_of_unit", "leader"}),
    Access.STEP_HOLDER: frozenset(),
    Access.INTAKE: frozenset({"citizen", "other_citizen", "officer_of_unit"}),
    Access.LEADER: frozenset({"leader", "admin"}),
    Access.UNIT_LEADER: frozenset({"leader"}),
    Access.ADMIN: frozenset({"admin"}),
    Access.ADMIN_SITE: frozenset({"admin"}),
    Access.CLOSED: frozenset(),
    Access.RECEPTION: frozenset({"officer_other_unit", "officer_of_unit", "leader"}),
    Access.NATIONAL_CHANNEL: frozenset(),
    Access.PLATFORM: frozenset(),
    Access.PROVINCE_MONITOR: frozenset(),
    Access.TASK_UNIT: frozenset({"leader"}),
    Access.DIRECTIVE_TRACKER: frozenset(),
    Access.REFORM_UNIT: frozenset({"officer_of_unit", "leader"}),
    Access.REFORM_OFFICE: frozenset(),
    Access.MEETING_UNIT: frozenset({"leader"}),
    Access.MEETING_HOST: frozenset({"leader"}),
    Access.MEETING_ORGANISER: frozenset(),
    Access.INSPECTED_UNIT: frozenset({"leader"}),
    Access.INSPECTION_TEAM: frozenset(),
    Access.EOFFICE_BODY: frozenset(),
    Access.EOFFICE_CLERK: frozenset(),
    Access.EOFFICE_DRAFTER: frozenset({"leader"}),
    Access.UNIT_OVERVIEW: frozenset({"leader"}),
}

PUBLIC, SIGN_IN, SIGNED_IN, CITIZEN, APPLICANT = (
    Access.PUBLIC,
    Access.SIGN_IN,
    Access.SIGNED_IN,
    Access.CITIZEN,
    Access.APPLICANT,
)
STAFF, UNIT_STAFF, UNIT_MEMBER, PARTY, LEADER, ADMIN = (
    Access.STAFF,
    Access.UNIT_STAFF,
    Access.UNIT_MEMBER,
    Access.PARTY,
    Access.LEADER,
    Access.ADMIN,
)
Entry = dict[str, Access]  # HTTP method → class

MATRIX: dict[str, Entry] = {
    # API (/api/v1/): token authentication, problem+json answers.
    "api:tracking": {"GET": PUBLIC},
    "api:feedback": {"GET": SIGNED_IN, "POST": PUBLIC},  # a report proves its dossier by account or receipt
    "api:feedback-tracking": {"GET": PUBLIC},
    "api:feedback-answers": {"GET": PUBLIC},
    "api:feedback-detail": {"GET": Access.UNIT_LEADER},  # the handling unit's head (and the province monitor)
    "api:feedback-events": {"GET": Access.UNIT_LEADER},
    "api:feedback-action": {"POST": Access.UNIT_LEADER},
    "api:directives": {"GET": STAFF, "POST": Access.DIRECTIVE_TRACKER},  # each sees the directives of their tasks
    "api:directive": {"GET": Access.TASK_UNIT},
    "api:tasks": {"GET": STAFF},  # each sees the tasks of their units and those below
    "api:task": {"GET": Access.TASK_UNIT},
    "api:task-events": {"GET": Access.TASK_UNIT},
    "api:task-action": {"POST": Access.TASK_UNIT},  # `accept`: the lead unit's leader or specialist
    "api:meetings": {"GET": STAFF, "POST": Access.MEETING_ORGANISER},  # each sees the meetings of their units
    "api:meeting": {"GET": Access.MEETING_UNIT},
    "api:meeting-action": {"POST": Access.MEETING_HOST},  # `attendance` of the commune's point
    "api:token": {"POST": PUBLIC},
    "api:logout": {"POST": SIGNED_IN},
    "api:calendar-due": {"GET": PUBLIC},
    "api:calendar-off-days": {"GET": PUBLIC},
    "api:calendar-proposals": {"GET": PUBLIC},
    "api:procedures": {"GET": PUBLIC},
    "api:procedures-import": {"POST": ADMIN},
    "api:procedure": {"GET": PUBLIC},
    "api:dossiers": {"GET": SIGNED_IN, "POST": Access.INTAKE},
    "api:dossier": {"GET": PARTY},
    "api:dossier-events": {"GET": PARTY},
    "api:dossier-action": {"POST": Access.ACTING},
    "api:dossier-form": {"GET": PARTY},
    "api:dossier-filled-form": {"GET": PARTY},
    "api:dossier-national-record": {"GET": UNIT_STAFF},
    "api:dossier-results": {"POST": Access.STEP_HOLDER},
    "api:national-dossiers": {"POST": Access.NATIONAL_CHANNEL},
    "api:queue-mine": {"GET": SIGNED_IN},
    "api:queue-unit": {"GET": UNIT_MEMBER},
    "api:register": {"GET": UNIT_MEMBER},
    "api:verify-upload": {"POST": PUBLIC},
    "api:verify": {"GET": PUBLIC},
    # Competency tests (motcua.assessments): a candidate's own attempt (no world role is a candidate, and the ids
    # name no attempt), the bank for Sở Nội vụ alone; motcua/assessments/tests/test_api.py lets them in.
    "api:assessment-start": {"POST": Access.REFORM_OFFICE},
    "api:assessment-attempt": {"GET": Access.REFORM_OFFICE},
    "api:assessment-answer": {"PUT": Access.REFORM_OFFICE},
    "api:assessment-submit": {"POST": Access.REFORM_OFFICE},
    "api:assessment-items": {"POST": Access.REFORM_OFFICE},
    "api:assessment-item-action": {"POST": Access.REFORM_OFFICE},
    # Campaign set-up for Sở Nội vụ; a candidate's second device and extra time for their sitting's invigilators (no
    # world role is either: motcua/assessments/tests/test_campaigns.py lets them in).
    "api:assessment-campaigns": {"POST": Access.REFORM_OFFICE},
    "api:assessment-sittings": {"POST": Access.REFORM_OFFICE},
    "api:assessment-call": {"POST": Access.REFORM_OFFICE},
    "api:assessment-candidates": {"POST": Access.REFORM_OFFICE},
    "api:assessment-candidate-action": {"POST": Access.REFORM_OFFICE},
    "api:assessment-extend": {"POST": Access.REFORM_OFFICE},
    "api:indices-766": {"GET": LEADER},
    "api:indices-766-drilldown": {"GET": LEADER},
    "api:indices-766-report": {"GET": LEADER},
    "api:reform-report-file": {"GET": Access.REFORM_UNIT},
    "api:reform-consolidation": {"GET": Access.REFORM_OFFICE},
    "api:reform-report": {"GET": Access.REFORM_UNIT, "PATCH": Access.REFORM_UNIT},  # edited until submitted
    "api:reform-report-action": {"POST": Access.UNIT_LEADER},  # submitted by the unit's leader
    # CCHC inspections
    "api:inspections": {"GET": STAFF},  # each sees the inspections of their units: none for some
    "api:inspection": {"GET": Access.INSPECTED_UNIT},
    "api:inspection-action": {"POST": Access.INSPECTION_TEAM},
    "api:documents-incoming": {"GET": SIGNED_IN, "POST": Access.EOFFICE_CLERK},  # each reads their bodies' register
    "api:documents-incoming-detail": {"GET": Access.EOFFICE_BODY},
    "api:documents-incoming-action": {"POST": Access.EOFFICE_BODY},
    "api:documents-outgoing": {"GET": SIGNED_IN, "POST": Access.EOFFICE_DRAFTER},
    "api:documents-outgoing-detail": {"GET": Access.EOFFICE_BODY},
    "api:documents-outgoing-action": {"POST": Access.EOFFICE_BODY},
    # The PAR index (motcua.par): the world's round assesses the commune's committee, whose leader reads and enters
    # it; Sở Nội vụ and the monitor, none of these roles, read every unit (motcua/par/tests/test_par_api.py).
    "api:par-sets": {"GET": STAFF},
    "api:par-rounds": {"GET": STAFF, "POST": Access.REFORM_OFFICE},
    "api:par-ranking": {"GET": Access.REFORM_OFFICE},  # before publication; then any official
    "api:par-assessment": {"GET": Access.UNIT_LEADER},
    "api:par-item": {"PATCH": Access.UNIT_LEADER},
    "api:par-action": {"POST": Access.UNIT_LEADER},  # approve: the unit's leader alone
    "api:unit-overview": {"GET": Access.UNIT_OVERVIEW},
    "api:plans": {"GET": STAFF, "POST": Access.DIRECTIVE_TRACKER},  # each sees the plans of their units
    # Sở Nội vụ manages the sets and rounds (motcua/par/tests/test_manage.py asks as its officer); evidence files
    # are the unit's like its items; the published results are public (nothing before publication).
    "api:par-set-publish": {"POST": Access.REFORM_OFFICE},
    "api:par-round-step": {"POST": Access.REFORM_OFFICE},
    "api:par-evidence": {"POST": Access.UNIT_LEADER},
    "office:par-manage": {"GET": Access.REFORM_OFFICE},
    "office:par-set-publish": {"POST": Access.REFORM_OFFICE},
    "office:par-round-create": {"POST": Access.REFORM_OFFICE},
    "office:par-round-step": {"POST": Access.REFORM_OFFICE},
    "portal:par-ranking": {"GET": PUBLIC},
    "api:payment-callback": {"POST": Access.PLATFORM},
    "api:unit-list": {"GET": PUBLIC, "POST": ADMIN},
    "api:unit-detail": {"GET": PUBLIC, "PATCH": ADMIN},
    "schema": {"GET": PUBLIC},
    "api-docs": {"GET": PUBLIC},
    "healthz": {"GET": PUBLIC},
    # The portal: public pages, sign-in and recovery, and the citizen's own dossiers.
    "portal:home": {"GET": PUBLIC},
    "portal:register": {"GET": PUBLIC, "POST": PUBLIC},
    "portal:register-confirm": {"GET": PUBLIC, "POST": PUBLIC},
    "portal:second-factor": {"GET": SIGN_IN, "POST": SIGN_IN},
    "portal:second-factor-setup": {"GET": SIGN_IN, "POST": SIGN_IN},
    "portal:vneid": {"GET": SIGN_IN},  # to VNeID's page; the account is chosen (never an official's) on return
    "portal:vneid-callback": {"GET": SIGN_IN},
    "portal:vneid-link": {"GET": SIGN_IN, "POST": SIGN_IN},
    "portal:citizen-second-factor": {"GET": SIGNED_IN, "POST": SIGNED_IN},
    "favicon.ico": {"GET": PUBLIC},
    "portal:password-reset": {"GET": PUBLIC, "POST": PUBLIC},
    "portal:password-reset-sent": {"GET": PUBLIC},
    "portal:password-reset-confirm": {"GET": PUBLIC},
    "portal:password-reset-complete": {"GET": PUBLIC},
    "portal:password-code": {"GET": PUBLIC, "POST": PUBLIC},
    "portal:password-code-enter": {"GET": SIGN_IN, "POST": SIGN_IN},
    "portal:account": {"GET": SIGNED_IN},
    "portal:my-dossier": {"GET": APPLICANT},
    "portal:dossier-file": {"GET": APPLICANT},
    "portal:dossier-declaration": {"GET": APPLICANT},
    "portal:supplement-upload": {"POST": APPLICANT},
    "portal:supplement-submit": {"POST": APPLICANT},
    "portal:rate": {"POST": APPLICANT},
    "portal:withdraw": {"POST": APPLICANT},
    "portal:payment": {"GET": APPLICANT, "POST": APPLICANT},
    "portal:payment-return": {"GET": APPLICANT},
    "portal:result-pdf": {"GET": APPLICANT},
    "portal:refusal-pdf": {"GET": APPLICANT},
    "portal:submit-start": {"GET": CITIZEN},
    "portal:draft-save": {"POST": APPLICANT},
    "portal:draft-upload": {"POST": APPLICANT},
    "portal:draft-submit": {"POST": APPLICANT},
    "portal:draft-next": {"POST": APPLICANT},
    "portal:draft-form": {"GET": APPLICANT, "POST": APPLICANT},
    "portal:draft-return": {"GET": APPLICANT, "POST": APPLICANT},
    "portal:draft-review": {"GET": APPLICANT},
    "portal:blank-form": {"GET": PUBLIC},
    "portal:calendar": {"GET": PUBLIC},
    "portal:procedures": {"GET": PUBLIC},
    "portal:tracking-form": {"GET": PUBLIC},
    "portal:tracking": {"GET": PUBLIC},
    "portal:procedure": {"GET": PUBLIC},
    "portal:verify-file": {"GET": PUBLIC, "POST": PUBLIC},
    "portal:verify": {"GET": PUBLIC},
    "xac-thuc/<str:public_id>/": {"GET": PUBLIC},
    "portal:report-extra-paper": {"GET": PUBLIC, "POST": PUBLIC},  # the dossier is proved by account or secret
    "portal:report-tracking": {"GET": PUBLIC},
    "portal:report-action": {"POST": PUBLIC},  # the sender, proved by the case's secret (or their account)
    "portal:file-case": {"GET": PUBLIC, "POST": PUBLIC},
    "portal:case-draft": {"POST": Access.CITIZEN},  # the signed-in citizen's own draft
    "portal:answers": {"GET": PUBLIC},  # published without personal data (ND 20/2008 art. 19)
    "portal:answer": {"GET": PUBLIC},  # a complaint or denunciation needs a citizen account
    "login": {"GET": PUBLIC, "POST": PUBLIC},
    "logout": {"POST": PUBLIC},
    "after-login": {"GET": SIGNED_IN},
    "set_language": {"POST": PUBLIC},
    # The officials' pages (/can-bo/).
    "office:home": {"GET": STAFF},
    "office:dossiers": {"GET": STAFF},
    "office:intake": {"GET": STAFF, "POST": STAFF},
    "office:dossier": {"GET": UNIT_STAFF},
    "office:dossier-action": {"POST": UNIT_STAFF},  # the page reports what the rules refuse, beside the action
    "office:dossier-file": {"GET": UNIT_STAFF},
    "office:dossier-declaration": {"GET": UNIT_STAFF},
    "office:signing-register": {"GET": STAFF},
    "office:sign-results": {"GET": STAFF},
    "office:sign-result": {"GET": UNIT_STAFF, "POST": Access.STEP_HOLDER},
    "office:signed-pdf": {"GET": UNIT_STAFF},
    "office:result-pdf": {"GET": UNIT_STAFF},
    "office:dossier-form": {"GET": UNIT_STAFF},
    "office:indices": {"GET": LEADER},
    "office:indices-drilldown": {"GET": LEADER},
    "office:indices-report": {"GET": LEADER},
    "office:dossier-result": {"POST": UNIT_STAFF},
    "office:queue": {"GET": STAFF},
    "office:register": {"GET": UNIT_MEMBER},
    "office:leader-board": {"GET": LEADER},
    "office:review-rating": {"POST": Access.UNIT_LEADER},
    "office:feedback": {"GET": STAFF},  # each sees the cases they handle: none for most
    "office:reception": {"GET": Access.RECEPTION, "POST": Access.RECEPTION},
    "office:feedback-case": {"GET": Access.UNIT_LEADER},  # the head of the handling unit (and the monitor)
    "office:feedback-file": {"GET": Access.UNIT_LEADER},  # a paper sent with the case: as the case
    "office:feedback-action": {"POST": Access.UNIT_LEADER},
    # Competency tests: the list of one's campaigns for any official (empty for most); the bank, a campaign's results
    # and the test page for Sở Nội vụ, its candidates and invigilators (the world's ids name none).
    "office:assessments": {"GET": STAFF},
    "office:assessment-bank": {"GET": Access.REFORM_OFFICE},
    "office:assessment-item-action": {"POST": Access.REFORM_OFFICE},
    "office:assessment-campaign": {"GET": Access.REFORM_OFFICE},
    "office:assessment-take": {"GET": Access.REFORM_OFFICE, "POST": Access.REFORM_OFFICE},
    "office:par": {"GET": STAFF},
    "office:par-ranking": {"GET": Access.REFORM_OFFICE},
    "office:par-assessment": {"GET": Access.UNIT_LEADER},
    "office:par-action": {"POST": Access.UNIT_LEADER},
    "office:payment-reconciliation": {"GET": Access.PROVINCE_MONITOR},
    # Official documents pages: each official sees their bodies' registers; registering is the clerk's, drafting the
    # drafters'; the world holds no document, so one document's pages answer 404 to all (test_eoffice_pages.py).
    "office:eoffice-incoming": {"GET": STAFF, "POST": Access.EOFFICE_CLERK},
    "office:eoffice-incoming-document": {"GET": Access.EOFFICE_BODY},
    "office:eoffice-incoming-action": {"POST": Access.EOFFICE_BODY},
    "office:eoffice-incoming-file": {"GET": Access.EOFFICE_BODY},
    "office:eoffice-outgoing": {"GET": STAFF, "POST": Access.EOFFICE_DRAFTER},
    "office:eoffice-outgoing-document": {"GET": Access.EOFFICE_BODY},
    "office:eoffice-outgoing-action": {"POST": Access.EOFFICE_BODY},
    "office:eoffice-outgoing-pdf": {"GET": Access.EOFFICE_BODY},
    "office:tasks": {"GET": STAFF},
    "office:directive-new": {"GET": Access.DIRECTIVE_TRACKER, "POST": Access.DIRECTIVE_TRACKER},
    "office:task-kpis": {"GET": STAFF, "POST": Access.DIRECTIVE_TRACKER},  # publication: the tracker's
    "office:task": {"GET": Access.TASK_UNIT},
    "office:task-action": {"POST": Access.TASK_UNIT},
    "office:task-file": {"GET": Access.TASK_UNIT},
    "office:reform-reports": {"GET": STAFF},  # each sees the reports of the units they work in: none for some
    "office:reform-consolidation": {"GET": Access.REFORM_OFFICE},
    "office:reform-report-file": {"GET": Access.REFORM_UNIT},
    "office:reform-report": {"GET": Access.REFORM_UNIT, "POST": Access.REFORM_UNIT},
    "office:reform-report-action": {"POST": Access.UNIT_LEADER},
    "office:meetings": {"GET": STAFF},
    "office:meeting": {"GET": Access.MEETING_UNIT},
    "office:meeting-action": {"POST": Access.MEETING_HOST},
    "office:meeting-file": {"GET": Access.MEETING_UNIT},
    # CCHC inspections
    "office:inspections": {"GET": STAFF},
    "office:inspection": {"GET": Access.INSPECTED_UNIT},
    "office:inspection-action": {"POST": Access.INSPECTION_TEAM},
    "office:unit-overview": {"GET": Access.UNIT_OVERVIEW},
    "office:unit-overview-rows": {"GET": Access.UNIT_OVERVIEW},
    "office:plan-new": {"GET": Access.DIRECTIVE_TRACKER, "POST": Access.DIRECTIVE_TRACKER},
    # Setting meetings and inspections up: organisers schedule, Sở Nội vụ plans and draws (none of these roles); a
    # leader whose unit has divisions schedules their self-inspection (the commune's committee has its centre).
    "office:meeting-new": {"GET": Access.MEETING_ORGANISER, "POST": Access.MEETING_ORGANISER},
    "office:inspection-plan-new": {"GET": Access.REFORM_OFFICE, "POST": Access.REFORM_OFFICE},
    "office:inspection-plan-draw": {"POST": Access.REFORM_OFFICE},
    "office:self-inspection-new": {
        "GET": Access.UNIT_LEADER
    },  # its POST: motcua/reform/tests/test_inspection_pages.py
    # The admin site (/quan-tri/): Django's own pages and our few additions.
    "admin:index": {"GET": Access.ADMIN_SITE},
    "admin:login": {"GET": SIGN_IN},  # sends everyone to the site's own sign-in
    "admin:logout": {"POST": PUBLIC},
    "admin:password_change": {"GET": Access.ADMIN_SITE},
    "admin:password_change_done": {"GET": Access.ADMIN_SITE},
    "admin:autocomplete": {"GET": Access.ADMIN_SITE},
    "admin:jsi18n": {"GET": Access.ADMIN_SITE},
    "admin:view_on_site": {"GET": Access.ADMIN_SITE},
    "admin:app_list": {"GET": Access.ADMIN_SITE},
    "quan-tri/(?P<url>.*)$": {"GET": Access.ADMIN_SITE},
    "admin:auth_user_password_change": {"GET": Access.ADMIN_SITE, "POST": Access.ADMIN_SITE},
    "admin:catalogue_import": {"GET": Access.ADMIN_SITE, "POST": Access.ADMIN_SITE},
    "admin:catalogue_export": {"GET": Access.ADMIN_SITE},
    "admin:worktime_calendarproposal_decide": {"GET": Access.ADMIN_SITE, "POST": Access.ADMIN_SITE},
}

# Every model on the admin site, with the pages its ModelAdmin refuses even to the administrator: records that are
# appended by the system and never added or deleted by hand. The list, add, change, delete and history pages and the
# bare object address (a redirect to the change page) are otherwise the administrator's. Listed, so that a model newly
# put on the admin site fails the test until it is classified here.
ADMIN_MODELS: dict[str, tuple[str, ...]] = {
    "auth.group": (),
    "axes.accessattempt": ("add",),
    "axes.accessfailurelog": ("add",),
    "axes.accesslog": ("add",),
    "catalogue.procedure": (),
    "catalogue.procedureversion": ("add", "delete"),  # a published version is kept; a new one replaces it
    "django_tasks_database.dbtaskresult": ("add", "delete"),
    "feedback.competence": ("delete",),  # a rule replaced is a new row from its day: cases already routed name it
    "eforms.formdefinition": ("delete",),  # published, never deleted: dossiers pin it
    "eforms.resulttemplate": ("delete",),  # published, never deleted: generated results name it
    "notifications.outgoingmessage": ("add", "delete"),
    "outbox.outboundmessage": ("add", "delete"),  # written by events, kept as the record of what was sent
    "par.parindexset": ("delete",),  # a published set is read-only; a correction is a new version
    "par.round": ("add", "delete"),  # created by Sở Nội vụ's service, never deleted: assessments name it
    "outbox.subscription": ("delete",),  # its messages name it: stopped by making it inactive
    "organizations.membership": (),
    "organizations.unit": (),
    "organizations.user": (),
    "otp_totp.totpdevice": ("add",),  # a device is enrolled by its owner at sign-in
    "signing.documenttype": (),
    "signing.issuingbody": (),
    "signing.refusal": ("add", "delete"),
    "signing.registerentry": (),
    "signing.resultsigning": (),
    "signing.signeddocument": ("add", "delete"),
    "worktime.calendarday": (),
    "worktime.calendarproposal": ("add", "delete"),  # decided on its own page, never edited
    "worktime.calendarversion": ("add", "delete"),
    "worktime.officeschedule": (),
    # The reform app: written by its services alone (events, projections); the outline is the editable template.
    "reform.directive": ("add", "delete"),
    "reform.task": ("add", "delete"),
    "reform.cchcplan": ("add", "delete"),
    "reform.reportperiod": ("add", "delete"),
    "reform.reportoutline": ("delete",),
    # CCHC meetings and inspections: read-mostly, written by their services (events, seeds, tasks)
    "reform.meeting": ("add", "delete"),
    "reform.inspectionplan": ("add", "delete"),
    "reform.inspection": ("add", "delete"),
}
# The models whose admin shows each past version of a row (django-simple-history).
ADMIN_HISTORY_MODELS = (
    "organizations.membership",
    "organizations.unit",
    "signing.issuingbody",
    "signing.registerentry",
    "worktime.calendarday",
    "worktime.officeschedule",
)
# The pages generated for each model: the admin site lets in by `is_staff` alone, the same way on every one of them,
# so the test asks them as a visitor, a leader (the most trusted official who is not staff) and the administrator.
ADMIN_MODEL_PAGES: set[str] = set()
for _model, _refused in ADMIN_MODELS.items():
    _app, _name = _model.split(".")
    for _page in ("changelist", "add", "change", "delete", "history"):
        _access = Access.CLOSED if _page in _refused else Access.ADMIN_SITE
        # A refused delete is also sent, to see that nothing is deleted.
        MATRIX[f"admin:{_app}_{_name}_{_page}"] = (
            {"GET": _access, "POST": _access} if _page == "delete" else {"GET": _access}
        )
    MATRIX[f"quan-tri/{_app}/{_name}/<path:object_id>/"] = {"GET": Access.ADMIN_SITE}
    ADMIN_MODEL_PAGES |= {f"admin:{_app}_{_name}_{page}" for page in ("add", "change", "delete", "history")}
    ADMIN_MODEL_PAGES.add(f"quan-tri/{_app}/{_name}/<path:object_id>/")
for _model in ADMIN_HISTORY_MODELS:
    _app, _name = _model.split(".")
    MATRIX[f"admin:{_app}_{_name}_simple_history"] = {"GET": Access.ADMIN_SITE}
    ADMIN_MODEL_PAGES.add(f"admin:{_app}_{_name}_simple_history")
