"""The dossier lifecycle as data: national statuses (DVCQG codes 1-10) and the transitions between them.

Pure: no Django. `services.perform` is the one place that executes a transition; it looks the rule up here, checks
who may act, runs the guards named here, and records an event. DOMAIN.md §1.3 and §1.6 give the sources.
"""

from dataclasses import dataclass
from enum import IntEnum, StrEnum


class Status(IntEnum):
    SUBMITTED = 1  # Mới đăng ký: submitted online, not yet accepted
    RECEIVED = 2  # Được tiếp nhận
    REFUSED = 3  # Không được tiếp nhận (Form 03)
    PROCESSING = 4  # Đang xử lý
    SUPPLEMENT_REQUESTED = 5  # Yêu cầu bổ sung giấy tờ (Form 02); the clock is paused
    PAYMENT_REQUESTED = 6  # Yêu cầu thực hiện nghĩa vụ tài chính; the clock is paused
    WITHDRAWN = 7  # Công dân yêu cầu rút hồ sơ
    STOPPED = 8  # Dừng xử lý (Form 05)
    FINISHED = 9  # Đã xử lý xong
    RETURNED = 10  # Đã trả kết quả

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    Status.SUBMITTED: "Mới đăng ký",
    Status.RECEIVED: "Được tiếp nhận",
    Status.REFUSED: "Không được tiếp nhận",
    Status.PROCESSING: "Đang xử lý",
    Status.SUPPLEMENT_REQUESTED: "Yêu cầu bổ sung giấy tờ",
    Status.PAYMENT_REQUESTED: "Yêu cầu thực hiện nghĩa vụ tài chính",
    Status.WITHDRAWN: "Công dân yêu cầu rút hồ sơ",
    Status.STOPPED: "Dừng xử lý",
    Status.FINISHED: "Đã xử lý xong",
    Status.RETURNED: "Đã trả kết quả",
}
# Statuses whose time does not count against the deadline (QĐ 766 statistics group "dừng").
PAUSED = frozenset({Status.SUPPLEMENT_REQUESTED, Status.PAYMENT_REQUESTED})
# Dossiers someone still has to act on: the officers' work queue (a finished result still has to be handed back).
OPEN = frozenset({Status.SUBMITTED, Status.RECEIVED, Status.PROCESSING, *PAUSED, Status.FINISHED})
# Dossiers whose due instant still runs: the deadline watch and calendar recomputation look only at these.
RUNNING = frozenset({Status.RECEIVED, Status.PROCESSING})


class Action(StrEnum):
    SUBMIT = "submit"
    RECEIVE = "receive"
    ACCEPT = "accept"
    REFUSE = "refuse"
    START = "start"
    REQUEST_SUPPLEMENT = "request-supplement"
    SUBMIT_SUPPLEMENT = "submit-supplement"
    WITHDRAW = "withdraw"
    # Processing (DOMAIN.md §1.3(b)-(e)): hand-overs between the steps of the approved internal process.
    CLAIM = "claim"
    ASSIGN = "assign"
    COMPLETE_STEP = "complete-step"
    TRANSFER = "transfer"  # completing a step whose next step is at another unit (liên thông)
    RETURN_STEP = "return-step"
    REQUEST_PAYMENT = "request-payment"
    CONFIRM_PAYMENT = "confirm-payment"
    EXTEND = "extend"
    STOP = "stop"
    COMPLETE = "complete"  # completing the last step: the result is ready
    ATTACH_RESULT = "attach-result"  # the step that produces the result attaches (or generates) its PDF
    CORRECT_FORM = "correct-form"  # that step corrects a value of the tờ khai, with its reason, before generating
    SIGN_RESULT = "sign-result"  # the signing step signs that PDF under the register, then hands the dossier on
    RETURN_RESULT = "return-result"
    RATE = "rate"
    RECOMPUTE_DUE = "recompute-due"  # the official calendar changed under an open dossier
    REPORT = "report"  # a phản ánh, kiến nghị about the dossier was received (recorded by the feedback app)
    RECORD_PAYMENT = "record-payment"  # the payment platform confirmed a fee paid online (no status change)


class Actor(StrEnum):
    """Who acts, relative to the dossier: its applicant, or an official of its receiving or competent unit."""

    APPLICANT = "applicant"
    RECEIVING_OFFICER = "receiving_officer"  # one-stop officer of the receiving unit
    COMPETENT_STAFF = "competent_staff"  # specialist or leader of the competent unit
    STEP_OFFICER = "step_officer"  # member of the unit holding the current step, in a position the step calls for
    HOLDING_LEADER = "holding_leader"  # leader of the unit holding the current step
    COMPETENT_LEADER = "competent_leader"  # leader of the competent unit (signs Forms 04 and 05)
    SYSTEM = "system"  # the deadline watch, calendar recomputation, and the payment platform's signed callback


class Guard(StrEnum):
    REASON_REQUIRED = "reason_required"
    ITEMS_FROM_CASE = "items_from_case"  # Form 02 names only components of the pinned case (ND 63/2010 art. 18(6))
    SUPPLEMENT_ROUNDS = "supplement_rounds"  # ND 63/2010 art. 20(4): no more than two trips to supplement [R]
    STEP_IN_HAND = "step_in_hand"  # the current step is the actor's: assigned to them, or unassigned and suitable
    NEXT_STEP_HERE = "next_step_here"  # complete-step: the next step stays in the same unit
    NEXT_STEP_ELSEWHERE = "next_step_elsewhere"  # transfer: the next step is at another unit
    LAST_STEP = "last_step"  # complete: no step follows the current one
    HAS_PREVIOUS_STEP = "has_previous_step"
    RESULT_ATTACHED = "result_attached"  # ND 45/2020: a result document exists before the dossier is finished
    NO_RESULT = "no_result"  # Form 05: a stop is decided only while no result exists (DOMAIN-2.md §2.1)
    # At most one reschedule: carried over from ND 61/2018 art. 12 (replaced on 01/07/2025); the ND 118/2025 article
    # is not confirmed (DOMAIN.md §9).
    EXTENSION_ONCE = "extension_once"
    BEFORE_D_MINUS_ONE = "before_d_minus_one"  # the apology is sent no later than one working day before the due date
    STEP_ACTIVE = "step_active"  # a step is waiting for someone (claim, assign)
    NOT_RATED = "not_rated"  # TT 01/2018: the applicant rates a dossier once
    RESULT_STEP = "result_step"  # only the step that produces the result attaches it; earlier steps are done
    SIGNING_STEP = "signing_step"  # the current step is the one the procedure's result-signing entry names
    RESULT_UNSIGNED = "result_unsigned"  # the latest result is waiting for its signature
    MAY_SIGN = "may_sign"  # ND 30/2020 art. 13: the signer's register entry covers this result on this day
    SIGNED_AT_SIGNING_STEP = "signed_at_signing_step"  # the signing step hands on only a signed result
    NOT_YET_RECEIVED = "not_yet_received"  # Form 03 refuses reception: only a dossier never received or accepted
    RECEIVED_ONCE = "received_once"  # Form 05 stops what was received; a dossier never received is refused (Form 03)
    # ND 30/2020 art. 13: the register lets the signer sign the unit's letter (Form 04, Form 05) about it on the day
    MAY_SIGN_LETTER = "may_sign_letter"
    FORM_FILED = "form_filed"  # the dossier was filed with an e-form (a paper tờ khai is not corrected here)


RESUME = None  # a transition back to the status the dossier had before its pause


@dataclass(frozen=True)
class Transition:
    action: Action
    sources: frozenset[Status | None]  # None: the dossier does not exist yet
    target: Status | None
    actors: frozenset[Actor]
    guards: tuple[Guard, ...] = ()
    form: str = ""  # the Circular 03/2025 form issued with it

    def label(self) -> str:
        return ACTION_LABELS[self.action]


def _t(
    action: Action, sources: set[Status | None], target: Status | None, actors: set[Actor], *rest: object
) -> Transition:
    guards = tuple(g for g in rest if isinstance(g, Guard))
    form = next((f for f in rest if isinstance(f, str) and not isinstance(f, Guard)), "")
    return Transition(action, frozenset(sources), target, frozenset(actors), guards, form)


APPLICANT, OFFICER, STAFF = Actor.APPLICANT, Actor.RECEIVING_OFFICER, Actor.COMPETENT_STAFF
STEP_OFFICER, HOLDING_LEADER, COMPETENT_LEADER = Actor.STEP_OFFICER, Actor.HOLDING_LEADER, Actor.COMPETENT_LEADER
S = Status
TRANSITIONS: tuple[Transition, ...] = (
    _t(Action.SUBMIT, {None}, S.SUBMITTED, {APPLICANT}),
    _t(Action.RECEIVE, {None}, S.RECEIVED, {OFFICER}, "01"),
    _t(Action.ACCEPT, {S.SUBMITTED}, S.RECEIVED, {OFFICER}, "01"),
    # Form 03 refuses reception: at the counter (the record is created refused), or while an online dossier waits to be
    # accepted, papers asked for or not; once accepted, ending it is a stop (Form 05). DOMAIN.md §1.3(a), §1.6.
    _t(
        Action.REFUSE,
        {None, S.SUBMITTED, S.SUPPLEMENT_REQUESTED},
        S.REFUSED,
        {OFFICER},
        Guard.REASON_REQUIRED,
        Guard.NOT_YET_RECEIVED,
        "03",
    ),
    _t(Action.START, {S.RECEIVED}, S.PROCESSING, {OFFICER, STAFF}),
    _t(
        Action.REQUEST_SUPPLEMENT,
        {S.SUBMITTED, S.RECEIVED, S.PROCESSING},
        S.SUPPLEMENT_REQUESTED,
        {OFFICER},
        Guard.REASON_REQUIRED,
        Guard.ITEMS_FROM_CASE,
        Guard.SUPPLEMENT_ROUNDS,
        "02",
    ),
    _t(Action.SUBMIT_SUPPLEMENT, {S.SUPPLEMENT_REQUESTED}, RESUME, {APPLICANT, OFFICER}),
    _t(
        Action.WITHDRAW,
        {S.SUBMITTED, S.RECEIVED, S.PROCESSING, S.SUPPLEMENT_REQUESTED},
        S.WITHDRAWN,
        {APPLICANT, OFFICER},
        Guard.REASON_REQUIRED,
    ),
    # Hand-overs keep the national status at 4 ("4 → 4", DOMAIN.md §1.6); each is a row of Form 06.
    _t(Action.CLAIM, {S.PROCESSING}, S.PROCESSING, {STEP_OFFICER}, Guard.STEP_ACTIVE, Guard.STEP_IN_HAND),
    _t(Action.ASSIGN, {S.PROCESSING}, S.PROCESSING, {HOLDING_LEADER}, Guard.STEP_ACTIVE),
    _t(
        Action.COMPLETE_STEP,
        {S.PROCESSING},
        S.PROCESSING,
        {STEP_OFFICER},
        Guard.STEP_IN_HAND,
        Guard.NEXT_STEP_HERE,
        Guard.SIGNED_AT_SIGNING_STEP,
    ),
    _t(
        Action.TRANSFER,
        {S.PROCESSING},
        S.PROCESSING,
        {STEP_OFFICER},
        Guard.STEP_IN_HAND,
        Guard.NEXT_STEP_ELSEWHERE,
        Guard.SIGNED_AT_SIGNING_STEP,
    ),
    _t(
        Action.RETURN_STEP,
        {S.PROCESSING},
        S.PROCESSING,
        {STEP_OFFICER, HOLDING_LEADER},
        Guard.REASON_REQUIRED,
        Guard.HAS_PREVIOUS_STEP,
    ),
    _t(
        Action.REQUEST_PAYMENT,
        {S.PROCESSING},
        S.PAYMENT_REQUESTED,
        {STEP_OFFICER, COMPETENT_LEADER},
        Guard.REASON_REQUIRED,
    ),
    # The payment platform's signed callback (or the daily reconciliation) confirms an online payment as the system;
    # officials confirm one paid at the counter or by transfer.
    _t(Action.CONFIRM_PAYMENT, {S.PAYMENT_REQUESTED}, RESUME, {OFFICER, STAFF, Actor.SYSTEM}),
    _t(
        Action.EXTEND,
        {S.PROCESSING},
        S.PROCESSING,
        {COMPETENT_LEADER},
        Guard.REASON_REQUIRED,
        Guard.EXTENSION_ONCE,
        Guard.BEFORE_D_MINUS_ONE,
        Guard.MAY_SIGN_LETTER,
        "04",
    ),
    _t(
        Action.STOP,
        {S.PROCESSING, S.SUPPLEMENT_REQUESTED, S.PAYMENT_REQUESTED},
        S.STOPPED,
        {COMPETENT_LEADER},
        Guard.REASON_REQUIRED,
        Guard.RECEIVED_ONCE,
        Guard.NO_RESULT,
        Guard.MAY_SIGN_LETTER,
        "05",
    ),
    _t(
        Action.COMPLETE,
        {S.PROCESSING},
        S.FINISHED,
        {STEP_OFFICER},
        Guard.STEP_IN_HAND,
        Guard.LAST_STEP,
        Guard.RESULT_ATTACHED,
        Guard.SIGNED_AT_SIGNING_STEP,
    ),
    _t(Action.ATTACH_RESULT, {S.PROCESSING}, S.PROCESSING, {STEP_OFFICER}, Guard.STEP_IN_HAND, Guard.RESULT_STEP),
    _t(
        Action.CORRECT_FORM,
        {S.PROCESSING},
        S.PROCESSING,
        {STEP_OFFICER},
        Guard.REASON_REQUIRED,
        Guard.FORM_FILED,
        Guard.STEP_IN_HAND,
        Guard.RESULT_STEP,
    ),
    # Signing completes the signing step: `perform` follows it with the hand-over, in the same transaction.
    _t(
        Action.SIGN_RESULT,
        {S.PROCESSING},
        S.PROCESSING,
        {STEP_OFFICER},
        Guard.SIGNING_STEP,
        Guard.STEP_IN_HAND,
        Guard.RESULT_ATTACHED,
        Guard.RESULT_UNSIGNED,
        Guard.MAY_SIGN,
    ),
    _t(Action.RETURN_RESULT, {S.FINISHED}, S.RETURNED, {OFFICER}),
    _t(Action.RATE, {S.RETURNED}, S.RETURNED, {APPLICANT, OFFICER}, Guard.NOT_RATED),
    # One rule per open status: a recomputation never changes the status.
    *(_t(Action.RECOMPUTE_DUE, {status}, status, {Actor.SYSTEM}) for status in (S.RECEIVED, S.PROCESSING, *PAUSED)),
    # A citizen may report how a dossier is handled at any time: the report never changes its status.
    *(_t(Action.REPORT, {status}, status, {Actor.SYSTEM}) for status in S),
    # A fee paid online is recorded whatever the status (money taken as an officer refused is still owed back); in
    # status 6 the same payment resumes the dossier through CONFIRM_PAYMENT instead.
    *(_t(Action.RECORD_PAYMENT, {status}, status, {Actor.SYSTEM}) for status in S if status != S.PAYMENT_REQUESTED),
)
ACTION_LABELS = {
    Action.SUBMIT: "Nộp hồ sơ trực tuyến",
    Action.RECEIVE: "Tiếp nhận hồ sơ tại quầy",
    Action.ACCEPT: "Tiếp nhận hồ sơ trực tuyến",
    Action.REFUSE: "Từ chối tiếp nhận",
    Action.START: "Chuyển xử lý",
    Action.REQUEST_SUPPLEMENT: "Yêu cầu bổ sung, hoàn thiện hồ sơ",
    Action.SUBMIT_SUPPLEMENT: "Nộp bổ sung hồ sơ",
    Action.WITHDRAW: "Rút hồ sơ theo yêu cầu của người nộp",
    Action.CLAIM: "Nhận xử lý bước",
    Action.ASSIGN: "Phân công xử lý",
    Action.COMPLETE_STEP: "Hoàn thành bước, chuyển bước tiếp theo",
    Action.TRANSFER: "Hoàn thành bước, chuyển liên thông sang đơn vị khác",
    Action.RETURN_STEP: "Trả lại bước trước",
    Action.REQUEST_PAYMENT: "Yêu cầu thực hiện nghĩa vụ tài chính",
    Action.CONFIRM_PAYMENT: "Xác nhận đã thực hiện nghĩa vụ tài chính",
    Action.EXTEND: "Xin lỗi và gia hạn thời gian giải quyết",
    Action.STOP: "Dừng giải quyết hồ sơ",
    Action.COMPLETE: "Hoàn thành giải quyết (có kết quả)",
    Action.ATTACH_RESULT: "Đính kèm kết quả giải quyết",
    Action.CORRECT_FORM: "Đính chính thông tin tờ khai",
    Action.SIGN_RESULT: "Ký số kết quả",
    Action.RETURN_RESULT: "Trả kết quả",
    Action.RATE: "Đánh giá mức độ hài lòng",
    Action.RECOMPUTE_DUE: "Tính lại hạn giải quyết do thay đổi lịch làm việc",
    Action.REPORT: "Tiếp nhận phản ánh, kiến nghị về việc giải quyết hồ sơ",
    Action.RECORD_PAYMENT: "Ghi nhận thanh toán trực tuyến phí, lệ phí",
}


class TransitionRefused(Exception):
    """The action is not possible now; `message` says why in Vietnamese."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def transition_for(action: Action, status: Status | None, actors: set[Actor]) -> Transition:
    """Return the rule for an action in a status by one of these actors, or say why it is not allowed."""
    rule = next((t for t in TRANSITIONS if t.action == action and status in t.sources), None)
    if rule is None:
        where = f"hồ sơ đang ở trạng thái «{status.label}»" if status else "hồ sơ chưa tồn tại"
        raise TransitionRefused(f"Không thể «{ACTION_LABELS[action]}» khi {where}.", "invalid_transition")
    if not rule.actors & actors:
        raise TransitionRefused(f"Bạn không có quyền «{ACTION_LABELS[action]}» đối với hồ sơ này.", "not_permitted")
    return rule
